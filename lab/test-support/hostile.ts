import fc from 'fast-check';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http';

// Hostile input shared by the reliability tests of both mocks (issue 8): bodies, texts and checks that do not depend
// on which API is being attacked.

/** SCIM_LAB_SOAK=1 multiplies every run count (docs/performance.md "Soak and fuzz mode"). */
export const SOAK = process.env.SCIM_LAB_SOAK === '1';
export const runs = (n: number): number => (SOAK ? n * 20 : n);
/** The time limit of one fuzzing or soak test: generous, since the machine is shared; an hour in soak mode. */
export const FUZZ_TIMEOUT_MS = SOAK ? 3_600_000 : 120_000;

/** Keys that reach a prototype if some code copies them with plain assignment. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** JSON texts that carry a prototype-pollution attempt at several depths (written as text: `__proto__` stays a key). */
export function pollutionTexts(valid: Record<string, unknown>): string[] {
  const body = JSON.stringify(valid).slice(1, -1); // the members, without braces
  return [
    `{"__proto__":{"polluted":"yes"},${body}}`,
    `{${body},"__proto__":{"polluted":"yes"}}`,
    `{${body},"constructor":{"prototype":{"polluted":"yes"}}}`,
    `{${body},"name":{"__proto__":{"polluted":"yes"}}}`,
    `{${body},"emails":[{"__proto__":{"polluted":"yes"},"value":"a@example.com"}]}`,
    `{${body},"prototype":{"polluted":"yes"}}`,
    `[{"__proto__":{"polluted":"yes"}}]`,
    `{"__proto__":[]}`,
    `{"constructor":{"prototype":null}}`,
  ];
}

/** Names that must never appear on the shared prototypes after any request. */
const POLLUTED_NAMES = ['polluted', 'yes', 'isAdmin', 'toString2'];

/** The own property names of the prototypes a request could pollute, to compare after each request. */
export function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort().join(','),
  );
}

/** Fails when a request polluted a prototype. */
export function expectNoPollution(before: string[]): void {
  expect(prototypeSnapshot()).toEqual(before);
  const probe = {} as Record<string, unknown>;
  for (const name of POLLUTED_NAMES) expect(probe[name]).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}

/** A body of `bytes` bytes of valid JSON, to be refused for its size. */
export function hugeJson(bytes: number): string {
  return JSON.stringify({ padding: 'x'.repeat(bytes) });
}

/** Nested arrays or objects `depth` deep, as text (a hostile parser input and a hostile validator input). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, a surrogate half, 0xFF) inside a JSON string. */
export function invalidUtf8(prefix: string, suffix: string, junk: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(prefix, 'utf8'),
    Buffer.from([0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff]),
    Buffer.from(junk),
    Buffer.from(suffix, 'utf8'),
  ]);
}

/** Any JSON value, small. */
export const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A text that is mostly not JSON: random characters, or valid JSON cut short. */
export const malformedJson = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.json({ maxDepth: 3 }).map((text) => text.slice(0, Math.max(1, Math.floor(text.length / 2)))),
  fc.constantFrom('{', '{"a":}', '{"a" 1}', "{'a':1}", '[1,]', 'nul', '{"a":1}}', '\u0000', '{"a":"\\x41"}', 'NaN'),
);

/** Hostile header values (printable Latin-1, so that the raw client can send them), and a few legitimate ones. */
export const headerValue = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/[\r\n\0]/g, '')),
  fc.constantFrom('', ' ', '*', '%00', '\u00ff\u00fe', 'a'.repeat(2000), '__proto__', 'W/"1"', 'W/"x", *'),
);

/** A random JSON-ish request body: JSON values, malformed text, or nothing. */
export const randomBody = fc.oneof(
  { weight: 3, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: malformedJson },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

// The checks that the hostile-input tests of both mocks make of every request, and the ways they build their
// requests. Each test says what its mock's state is and what makes an accepted state sound.

/** A running mock, as the hostile-input checks see it. */
export interface HostileTarget {
  port: number;
  /** Puts back the seeded state that every case starts from. */
  restore(): void;
  exportState(): unknown;
  /** Throws when the state an accepted request left does not hold together; `where` names the request. */
  verifyAccepted(state: unknown, where: string): void;
  /** Whether a 5xx is one the mock was configured to give (the mock Code42's `deleteStatus: 501`). */
  expected5xx?(request: RawRequest, status: number): boolean;
}

/**
 * Sends one request, byte for byte, from the restored state. It must get an answer below 500, pollute no prototype,
 * and, if refused (4xx), leave the state exactly as it was.
 */
export async function sendHostile(target: HostileTarget, request: RawRequest): Promise<RawResponse> {
  target.restore();
  const before = JSON.stringify(target.exportState());
  const prototypes = prototypeSnapshot();
  const res = await rawRequest(target.port, request);
  const where = `${request.method} ${request.target} → ${res.status} ${res.body.slice(0, 200)}`;
  if (res.status === 0) throw new Error(`no answer: ${where}`);
  if (res.status >= 500 && !target.expected5xx?.(request, res.status)) throw new Error(`5xx: ${where}`);
  expectNoPollution(prototypes);
  const after = target.exportState();
  if (res.status >= 400) {
    if (JSON.stringify(after) !== before) throw new Error(`a refused request changed the state: ${where}`);
  } else {
    target.verifyAccepted(after, where);
  }
  return res;
}

/** Builds well-formed requests to one API: its path prefix, its bearer token and its usual content type. */
export function requestsTo(prefix: string, token: string, contentType: string) {
  return (method: string, path: string, body?: string | Buffer, type = contentType): RawRequest => ({
    method,
    target: `${prefix}${path}`,
    headers: [
      ['Authorization', `Bearer ${token}`],
      ['Content-Type', type],
    ],
    body,
  });
}

/** A generated request as the raw client sends it: an empty `auth` and an absent `contentType` send no header. */
export function toRawRequest(r: {
  method: string;
  target: string;
  auth: string;
  contentType?: string;
  extra?: [string, string][];
  body?: string;
}): RawRequest {
  return {
    method: r.method,
    target: r.target,
    headers: [
      ...(r.auth ? [['Authorization', r.auth] as [string, string]] : []),
      ...(r.contentType !== undefined ? [['Content-Type', r.contentType] as [string, string]] : []),
      ...(r.extra ?? []),
    ],
    body: r.body,
  };
}

/** Filters that name a prototype: each must be answered below 500 and pollute nothing. */
export const POLLUTION_FILTERS = [
  '__proto__ pr',
  '__proto__.polluted eq "yes"',
  'constructor.prototype pr',
  'name.__proto__ pr',
] as const;

/** The mock still answers its health check and has journalled what it was sent. */
export async function expectStillServing(port: number, adminToken: string, journalLimit: number): Promise<void> {
  expect((await rawRequest(port, { method: 'GET', target: '/__admin/health' })).status).toBe(200);
  const journal = await rawRequest(port, {
    method: 'GET',
    target: `/__admin/journal?limit=${journalLimit}`,
    headers: [['Authorization', `Bearer ${adminToken}`]],
  });
  expect(journal.status).toBe(200);
  expect(JSON.parse(journal.body).entries.length).toBeGreaterThan(0);
}
