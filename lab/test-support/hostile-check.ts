import { expectNoPollution, prototypeSnapshot } from './hostile';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http';

// The checks of issue 8 that the hostile-input tests of both mocks make of every request, and the ways they build
// their requests. Each test says what its mock's state is and what makes an accepted state sound.

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
