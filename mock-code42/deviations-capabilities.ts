import { isScimError, scimErrors, URN, type ScimResource, type UserStore } from '../scim';
import type { Code42Deviations } from './deviations';
import { patchIgnoringPathless, truthyStringBooleans } from './deviations-profiles';

// The rewrites behind the deviations of declared capabilities (issue 13 §6): a server that declares PATCH, ETags,
// sorting or filtering in /ServiceProviderConfig and then does not honour what RFC 7644 says of them. Kept apart from
// the real behaviour, like deviate.ts, so that routes.ts reads as the documented Code42.

type PatchBody = { Operations?: unknown; [key: string]: unknown };

/** `relative-location`: `http://host/scim/v2/Users/1` → `/scim/v2/Users/1`, an absolute-path reference. */
export function relativeUri(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** `declares-sort` (when `on`): /ServiceProviderConfig claims sorting, which the mock does not do. */
export function declaringSort(spc: Record<string, unknown>, on: boolean): Record<string, unknown> {
  return on ? { ...spc, sort: { supported: true } } : spc;
}

/** `filter-co-as-sw`: `co` (contains) evaluated as `sw` (starts with). */
export function containsAsStartsWith(filter: string): string {
  return filter.replace(/(\s)co(\s)/gi, '$1sw$2');
}

/** `patch-replace-all-values`: `emails[type eq "work"].value` replaced as if the path were `emails`. */
function withoutValueFilters(body: PatchBody): PatchBody {
  if (!Array.isArray(body.Operations)) return body;
  const Operations = body.Operations.map((op: unknown) => {
    const o = op as { op?: unknown; path?: unknown; value?: unknown } | null;
    if (!o || String(o.op).toLowerCase() !== 'replace' || typeof o.path !== 'string') return op;
    const match = /^([^[]+)\[[^\]]*\](?:\.(.+))?$/.exec(o.path);
    if (!match) return op;
    const [, attr, sub] = match;
    return { ...o, path: attr, value: [sub === undefined ? o.value : { [sub]: o.value }] };
  });
  return { ...body, Operations };
}

/** `patch-not-atomic`: each operation applied and stored alone, so that a failing one keeps the earlier ones. */
function patchOneByOne(store: UserStore, id: string, body: PatchBody): ScimResource {
  if (!Array.isArray(body.Operations)) return store.patch(id, body);
  let user = store.get(id);
  for (const op of body.Operations) user = store.patch(id, { ...body, Operations: [op] });
  return user;
}

/** PATCH as the deviations in force make it: the store's atomic, RFC 7644 §3.5.2 PATCH when none is. */
export function deviatedPatch(store: UserStore, id: string, body: unknown, dev: Code42Deviations): ScimResource {
  let patch = (body ?? {}) as PatchBody;
  if (dev.has('patch-replace-all-values')) patch = withoutValueFilters(patch);
  if (dev.has('string-booleans-truthy')) patch = truthyStringBooleans(patch);
  if (dev.has('pathless-replace-ignored')) {
    const left = patchIgnoringPathless(store, id, patch);
    if (!Array.isArray(left.Operations)) return left as ScimResource;
    patch = left;
  }
  try {
    return dev.has('patch-not-atomic') ? patchOneByOne(store, id, patch) : store.patch(id, patch);
  } catch (err) {
    const specific = ['noTarget', 'invalidPath', 'mutability'];
    if (dev.has('patch-generic-errors') && isScimError(err) && specific.includes(err.scimType ?? ''))
      throw scimErrors.invalidValue(err.detail);
    throw err;
  }
}

/** `no-enterprise-extension`: the extension's attributes and URN are dropped from a request body. */
export function withoutEnterprise(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const urn = URN.EnterpriseUser.toLowerCase();
  const copy = Object.fromEntries(Object.entries(body).filter(([key]) => key.toLowerCase() !== urn));
  if (Array.isArray(copy.schemas)) copy.schemas = copy.schemas.filter((s: unknown) => String(s).toLowerCase() !== urn);
  return copy;
}

/** `no-enterprise-extension` (when `on`): /ResourceTypes lists User without the enterprise extension. */
export function undeclaringEnterprise<T>(list: T, on: boolean): T {
  if (!on) return list;
  const resources = (list as { Resources?: Record<string, unknown>[] }).Resources ?? [];
  const urn = URN.EnterpriseUser.toLowerCase();
  const undeclared = (extensions: unknown) =>
    (extensions as { schema: string }[]).filter((e) => e.schema.toLowerCase() !== urn);
  return {
    ...list,
    Resources: resources.map((r) =>
      Array.isArray(r.schemaExtensions) ? { ...r, schemaExtensions: undeclared(r.schemaExtensions) } : r,
    ),
  };
}
