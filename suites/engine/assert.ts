// Assertion helpers named after protocol outcomes (style.md 9). Each failure says what was expected, what came
// back, and which request it was, and carries that exchange as evidence. The runner adds the id and source.
import { deepEqual } from '../../scim/json';
import { URN } from '../../scim/urns';
import type { HttpResponse } from './http-client';
import { CheckFailure } from './outcomes';

/** An exact status, a class (`2xx`, `4xx`, `5xx`), or a list of either. */
export type StatusSpec = number | StatusClass | readonly (number | StatusClass)[];
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** `DELETE /Users/123`, with the query decoded for reading. */
export function describeRequest(res: HttpResponse): string {
  let path = res.request.path;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep it encoded when it is not valid percent-encoding
  }
  return `${res.request.method} ${path}`;
}

function statusMatches(status: number, spec: StatusSpec): boolean {
  const items = Array.isArray(spec) ? spec : [spec];
  return items.some((s: number | StatusClass) =>
    typeof s === 'number' ? s === status : Math.floor(status / 100) === Number(s[0]),
  );
}

function describeSpec(spec: StatusSpec): string {
  const items = (Array.isArray(spec) ? spec : [spec]).map(String);
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** What the server said, briefly: the SCIM `detail` when there is one. */
function said(res: HttpResponse): string {
  const detail = (res.body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? ` (detail: ${JSON.stringify(detail.slice(0, 200))})` : '';
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function expectStatus(res: HttpResponse, expected: StatusSpec): void {
  if (!statusMatches(res.status, expected)) {
    throw new CheckFailure(
      `${describeRequest(res)} answered ${res.status}${said(res)}; expected ${describeSpec(expected)}`,
      res,
    );
  }
}

/**
 * RFC 7644 §3.12: the status, a body whose `schemas` holds the Error URN, `status` as the string form of the HTTP
 * status, and the scimType when one is expected.
 */
export function expectScimError(res: HttpResponse, status: StatusSpec, scimType?: string): void {
  const wanted = `${describeSpec(status)} with a SCIM Error${scimType ? ` (scimType ${scimType})` : ''}`;
  const failWith = (what: string): never => {
    throw new CheckFailure(`${describeRequest(res)} answered ${what}; expected ${wanted}`, res);
  };
  if (!statusMatches(res.status, status)) failWith(`${res.status}${said(res)}`);
  const body = res.body as { schemas?: unknown; status?: unknown; scimType?: unknown } | undefined;
  if (body === null || typeof body !== 'object') {
    failWith(`${res.status} with ${res.text === '' ? 'an empty body' : 'a body that is not JSON'}`);
  }
  const b = body as { schemas?: unknown; status?: unknown; scimType?: unknown };
  if (!Array.isArray(b.schemas) || !b.schemas.includes(URN.Error)) {
    failWith(`${res.status} with schemas ${show(b.schemas)}, not containing ${URN.Error}`);
  }
  if (b.status !== String(res.status)) {
    failWith(`${res.status} with a body status of ${show(b.status)}, not the string "${res.status}"`);
  }
  if (scimType !== undefined && b.scimType !== scimType) failWith(`${res.status} with scimType ${show(b.scimType)}`);
}

/** A header is present, and equal to (string) or matching (RegExp) the expectation when one is given. */
export function expectHeader(res: HttpResponse, name: string, expected?: string | RegExp): string {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) {
    throw new CheckFailure(`${describeRequest(res)} answered ${res.status} without a ${name} header`, res);
  }
  const ok = expected === undefined || (typeof expected === 'string' ? value === expected : expected.test(value));
  if (!ok) {
    throw new CheckFailure(
      `${describeRequest(res)} answered ${name}: ${value}; expected ${typeof expected === 'string' ? expected : `to match ${String(expected)}`}`,
      res,
    );
  }
  return value;
}

/** RFC 7644 §3.1, §8.1: a JSON body labelled application/scim+json (or application/json). */
export function expectJsonContentType(
  res: HttpResponse,
  allowed: readonly string[] = ['application/scim+json', 'application/json'],
): void {
  const value = res.headers['content-type'];
  const mediaType = value?.split(';')[0].trim().toLowerCase();
  if (mediaType === undefined || !allowed.includes(mediaType)) {
    throw new CheckFailure(
      `${describeRequest(res)} answered Content-Type ${value === undefined ? '(none)' : value}; expected ${describeSpec(allowed as unknown as StatusSpec)}`,
      res,
    );
  }
  if (res.body === undefined) {
    throw new CheckFailure(`${describeRequest(res)} answered Content-Type ${value} with a body that is not JSON`, res);
  }
}

/** `what` names the value, e.g. `name.givenName of the user read back`; `res` is the answer it came from. */
export function expectEqual(actual: unknown, expected: unknown, what: string, res?: HttpResponse): void {
  if (!deepEqual(actual, expected)) {
    const where = res ? ` in the answer to ${describeRequest(res)}` : '';
    // Composed and decomposed forms print alike; say so rather than show two identical-looking strings.
    const note =
      typeof actual === 'string' &&
      typeof expected === 'string' &&
      actual.normalize('NFC') === expected.normalize('NFC')
        ? ' (the same text in a different Unicode normalization form)'
        : '';
    throw new CheckFailure(`${what}${where}: expected ${show(expected)}, got ${show(actual)}${note}`, res);
  }
}
