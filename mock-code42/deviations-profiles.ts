import type { ScimResource, UserStore } from '../scim';

// The rewrites behind the deviations that only another identity provider's traffic reveals (issue 16 §3,
// docs/profiles.md): bugs a server can have while PingOne's PUTs all pass. Kept apart, like deviate.ts.

type PatchBody = { Operations?: unknown; [key: string]: unknown };
type Operation = { op?: unknown; path?: unknown; value?: unknown };

/** The value a careless server makes of a string boolean: JavaScript truthiness, so `"False"` is true. */
const truthy = (value: unknown): unknown => (typeof value === 'string' ? value !== '' : value);

/** `string-booleans-truthy`: `active` given as a string (Entra's "False") is read by truthiness, so it stays true. */
export function truthyStringBooleans(body: PatchBody): PatchBody {
  if (!Array.isArray(body.Operations)) return body;
  const Operations = body.Operations.map((op: unknown) => {
    const o = op as Operation | null;
    if (!o) return op;
    if (typeof o.path === 'string') return o.path.toLowerCase() === 'active' ? { ...o, value: truthy(o.value) } : op;
    if (!o.value || typeof o.value !== 'object' || Array.isArray(o.value)) return op;
    const value = Object.fromEntries(
      Object.entries(o.value).map(([k, v]) => [k, k.toLowerCase() === 'active' ? truthy(v) : v]),
    );
    return { ...o, value };
  });
  return { ...body, Operations };
}

/**
 * `pathless-replace-ignored`: operations without a `path` (Okta's `{"op": "replace", "value": {"active": false}}`)
 * are dropped, and the PATCH still answers 200 with the user unchanged.
 */
export function patchIgnoringPathless(store: UserStore, id: string, body: PatchBody): ScimResource | PatchBody {
  if (!Array.isArray(body.Operations)) return body;
  const Operations = body.Operations.filter((op) => typeof (op as Operation | null)?.path === 'string');
  return Operations.length === 0 ? store.get(id) : { ...body, Operations };
}

/** `no-externalid-filter`: a filter on externalId matches nobody. */
export function filtersOnExternalId(filter: string): boolean {
  return /\bexternalId\b/i.test(filter);
}
