// What the target-suite checks share: reading answers defensively (a misbehaving server fails a check, it never
// crashes it), the seed's User Filter Expression, and named preconditions (style.md 7) set up over HTTP only.
import { SEED_SETTINGS, valueAtMappingPath } from '../../fixtures/mapping';
import { toExpectedScim, type PingOneUser } from '../../fixtures/users';
import { URN } from '../../scim/urns';
import { describeRequest, fail, skip, type HttpClient, type HttpResponse } from '../engine';

export type Resource = Record<string, unknown>;

/** RFC 7643 §2.1: attribute names are case-insensitive; `attr`, `attr.sub` or `attr[type eq "work"].sub`. */
export function read(resource: object, path: string): unknown {
  return valueAtMappingPath(resource, path);
}

/** A member of an object by a name compared case-insensitively (e.g. an extension URN, RFC 7643 §2.1). */
export function member(resource: object, name: string): unknown {
  const record = resource as Resource;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

function what(res: HttpResponse): string {
  return res.text === '' ? 'an empty body' : 'a body that is not a JSON object';
}

/** The JSON object an answer carries; fails, naming the request, when it carries none. */
export function objectBody(res: HttpResponse, expected = 'a JSON object'): Resource {
  const body = res.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    fail(`${describeRequest(res)} answered ${res.status} with ${what(res)}; expected ${expected}`, res);
  }
  return body as Resource;
}

/** RFC 8141 §3.1: URNs compare case-insensitively; `schemas` may list them in any order (RFC 7643 §3). */
export function hasUrn(schemas: unknown, urn: string): boolean {
  return Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === urn.toLowerCase());
}

export const userPath = (id: string): string => `/Users/${encodeURIComponent(id)}`;

/**
 * RFC 7231 §7.1.2: `Location` is a URI-reference; a relative one is resolved against the effective request URI.
 * Returns the absolute URL, or undefined when the value is no URI-reference at all.
 */
export function resolveLocation(value: string, requestUrl: string): string | undefined {
  return URL.canParse(value.trim(), requestUrl) ? new URL(value.trim(), requestUrl).href : undefined;
}

/**
 * RFC 7643 §2.3.7: a reference is an absolute or a relative URI; a relative one is resolved against the service
 * provider's root endpoint, path included (`https://example.com/v2/` for `Users/2819c223…`).
 */
export function resolveReference(value: string, baseUrl: string): string | undefined {
  return resolveLocation(value, `${baseUrl.replace(/\/+$/, '')}/`);
}

/** True when `value` is an absolute URI: a scheme, then the rest (RFC 3986 §4.3). */
export function isAbsoluteUri(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value.trim()) && URL.canParse(value.trim());
}

/** RFC 7643 §3.1: every resource has a non-empty string `id`, assigned by the service provider. */
export function idOf(res: HttpResponse): string {
  const id = read(objectBody(res, 'the User resource'), 'id');
  if (typeof id !== 'string' || id === '') {
    fail(
      `${describeRequest(res)} answered ${res.status} with id ${JSON.stringify(id) ?? 'absent'}; expected a non-empty string (RFC 7643 §3.1)`,
      res,
    );
  }
  return id;
}

/**
 * Seed step 6.1's User Filter Expression `username Eq "%s"` with `%s` substituted as PingOne does, the value
 * escaped as the body of a JSON string (RFC 7644 §3.4.2.2: `"` and `\` need escaping).
 */
export function seedFilter(userName: string): string {
  return SEED_SETTINGS.USER_FILTER.replace('%s', () => JSON.stringify(userName).slice(1, -1));
}

/** `userName sw "<prefix>"`: only the users of one requirement, whatever else a shared target holds. */
export function prefixFilter(prefix: string): string {
  return `userName sw ${JSON.stringify(prefix)}`;
}

export function search(target: HttpClient, filter: string, paging: { startIndex?: number; count?: number } = {}) {
  return target.get('/Users', { query: { filter, ...paging } });
}

export interface ListAnswer {
  totalResults: number;
  resources: Resource[];
  body: Resource;
}

/** RFC 7644 §3.4.2: a 200 ListResponse, with `totalResults` and, when it is not 0, `Resources`. */
export function listOf(res: HttpResponse): ListAnswer {
  if (res.status !== 200) {
    const detail = (res.body as { detail?: unknown } | undefined)?.detail;
    fail(
      `${describeRequest(res)} answered ${res.status}${typeof detail === 'string' ? ` (detail: ${JSON.stringify(detail)})` : ''}; expected 200 with a ListResponse`,
      res,
    );
  }
  const body = objectBody(res, 'a ListResponse');
  const schemas = read(body, 'schemas');
  if (!hasUrn(schemas, URN.ListResponse)) {
    fail(
      `${describeRequest(res)} answered schemas ${JSON.stringify(schemas) ?? 'absent'}; expected [${JSON.stringify(URN.ListResponse)}] (RFC 7644 §3.4.2)`,
      res,
    );
  }
  const totalResults = read(body, 'totalResults');
  if (typeof totalResults !== 'number' || !Number.isInteger(totalResults) || totalResults < 0) {
    fail(
      `${describeRequest(res)} answered totalResults ${JSON.stringify(totalResults) ?? 'absent'}; expected a non-negative integer (RFC 7644 §3.4.2)`,
      res,
    );
  }
  const resources = read(body, 'Resources');
  if (resources === undefined && totalResults === 0) return { totalResults, resources: [], body };
  if (!Array.isArray(resources) || resources.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    fail(
      `${describeRequest(res)} answered Resources ${JSON.stringify(resources)?.slice(0, 200) ?? 'absent'} with totalResults ${totalResults}; expected an array of resources (RFC 7644 §3.4.2)`,
      res,
    );
  }
  return { totalResults, resources: resources as Resource[], body };
}

/** Searches with the seed's filter and requires exactly the one user `id`; returns it as listed. */
export async function expectFoundOnce(
  target: HttpClient,
  filter: string,
  id: string,
  who: string,
): Promise<{ res: HttpResponse; resource: Resource }> {
  const res = await search(target, filter);
  const list = listOf(res);
  const ids = list.resources.map((r) => read(r, 'id'));
  if (list.totalResults !== 1 || ids.length !== 1 || ids[0] !== id) {
    fail(
      `${describeRequest(res)} answered totalResults ${list.totalResults} with ids ${JSON.stringify(ids)}; expected exactly ${who} (id ${JSON.stringify(id)})`,
      res,
    );
  }
  return { res, resource: list.resources[0] };
}

/** A 2xx answer, else a failure that says the check could not get as far as what it checks. */
function expectSetUp(res: HttpResponse, step: string): void {
  if (res.status < 200 || res.status > 299) {
    const detail = (res.body as { detail?: unknown } | undefined)?.detail;
    fail(
      `could not ${step}: ${describeRequest(res)} answered ${res.status}${typeof detail === 'string' ? ` (detail: ${JSON.stringify(detail)})` : ''}; expected 2xx`,
      res,
    );
  }
}

/** The full mapped representation PingOne sends (seed step 7), with `active` when the Remove Action is involved. */
export function scimUser(user: PingOneUser, active?: boolean): Resource {
  const body: Resource = { ...toExpectedScim(user) };
  if (active !== undefined) body.active = active;
  return body;
}

/** Named preconditions, seeded through the public SCIM API so they work on anyone's server (style.md 7). */
export const given = {
  /** POST /Users; returns the id the target assigned and its answer. */
  async userExists(target: HttpClient, body: Resource): Promise<{ id: string; res: HttpResponse }> {
    const res = await target.post('/Users', { body });
    expectSetUp(res, `create the user ${JSON.stringify(body.userName)}`);
    return { id: idOf(res), res };
  },

  /** GET /Users/{id}: the user as the target now holds it. */
  async userRead(target: HttpClient, id: string): Promise<{ resource: Resource; res: HttpResponse }> {
    const res = await target.get(userPath(id));
    expectSetUp(res, `read the user ${id}`);
    return { resource: objectBody(res, 'the User resource'), res };
  },

  /** RFC 7643 §5: the ServiceProviderConfig, or undefined when the target serves none. */
  async serviceProviderConfig(target: HttpClient): Promise<Resource | undefined> {
    const res = await target.get('/ServiceProviderConfig');
    if (res.status !== 200 || res.body === null || typeof res.body !== 'object') return undefined;
    return res.body as Resource;
  },

  /**
   * docs/reports.md: an RFC-optional feature that /ServiceProviderConfig declares unsupported is `skipped`.
   * Without a ServiceProviderConfig nothing is declared, so the check runs.
   */
  async featureDeclared(target: HttpClient, feature: 'patch' | 'etag'): Promise<void> {
    const spc = await given.serviceProviderConfig(target);
    const supported = spc === undefined ? undefined : read(spc, `${feature}.supported`);
    if (supported === false) skip(`/ServiceProviderConfig declares ${feature}.supported: false`);
  },
};

/** A PATCH request body (RFC 7644 §3.5.2). */
export function patchOp(...operations: { op: string; path?: string; value?: unknown }[]): Resource {
  return { schemas: [URN.PatchOp], Operations: operations };
}
