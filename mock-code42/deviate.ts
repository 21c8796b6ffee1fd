import { parseFilter, resolveAttribute, type Filter, type ScimResource, type ResourceSchema } from '../scim';
import type { Code42Deviations } from './deviations';

// The body and filter rewrites behind the deviations (deliberate bugs, see deviations.ts). Kept apart from the
// real behaviour so that routes.ts reads as the documented Code42.

/** `drop-attribute=<path>`: `title`, `name.givenName`, `addresses.locality`, `addresses[type eq "work"].locality`. */
export function dropAttributes(resource: ScimResource, paths: string[]): ScimResource {
  const copy = structuredClone(resource);
  for (const raw of paths) {
    const [attr, sub] = raw.replace(/\[[^\]]*\]/g, '').split('.');
    const key = Object.keys(copy).find((k) => k.toLowerCase() === attr.toLowerCase());
    if (!key) continue;
    if (sub === undefined) {
      delete copy[key];
      continue;
    }
    const value = copy[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item && typeof item === 'object') {
        const subKey = Object.keys(item).find((k) => k.toLowerCase() === sub.toLowerCase());
        if (subKey) delete (item as Record<string, unknown>)[subKey];
      }
    }
  }
  return copy;
}

/** `ignore-active`: whatever `active` the client sent, the stored value stays. */
export function keepActive(body: unknown, current: ScimResource | undefined): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  for (const key of Object.keys(copy)) if (key.toLowerCase() === 'active') delete copy[key];
  if (current && 'active' in current) copy.active = current.active;
  return copy;
}

/** `ignore-active` for PATCH: operations on `active` are dropped. */
export function patchWithoutActive(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { Operations?: unknown }).Operations)) return body;
  const ops = (body as { Operations: unknown[] }).Operations.flatMap((op) => {
    if (!op || typeof op !== 'object') return [op];
    const o = op as { path?: unknown; value?: unknown };
    if (typeof o.path === 'string') return isActivePath(o.path) ? [] : [op];
    return [{ ...o, value: keepActive(o.value, undefined) }];
  });
  return { ...(body as object), Operations: ops };
}

/**
 * `ignore-active` for PATCH: true when every operation names the `active` path. Such a server answers 200
 * with the user unchanged, rather than refusing the PATCH that is left empty once `active` is dropped.
 */
export function patchesOnlyActive(body: unknown): boolean {
  const ops = (body as { Operations?: unknown } | null)?.Operations;
  return (
    Array.isArray(ops) &&
    ops.length > 0 &&
    ops.every(
      (op) => typeof (op as { path?: unknown })?.path === 'string' && isActivePath((op as { path: string }).path),
    )
  );
}

const isActivePath = (path: string) => path.toLowerCase().endsWith('active');

/** `case-sensitive-filter`: true when the filter names an attribute in other than its canonical casing. */
export function usesNonCanonicalNames(filter: string, schema: ResourceSchema): boolean {
  const visit = (f: Filter, parent?: string): boolean => {
    switch (f.op) {
      case 'and':
      case 'or':
        return visit(f.left, parent) || visit(f.right, parent);
      case 'not':
        return visit(f.filter, parent);
      case 'valuePath':
        return nonCanonical(f.path.attr, f.path.sub, f.path.uri) || visit(f.filter, f.path.attr);
      default:
        return parent ? nonCanonical(parent, f.path.attr) : nonCanonical(f.path.attr, f.path.sub, f.path.uri);
    }
  };
  const nonCanonical = (attr: string, sub?: string, uri?: string): boolean => {
    const path = `${uri ? `${uri}:` : ''}${attr}${sub ? `.${sub}` : ''}`;
    const resolved = resolveAttribute(schema, path);
    if (!resolved) return false;
    return resolved.def.name !== attr || (resolved.sub !== undefined && resolved.sub.name !== sub);
  };
  return visit(parseFilter(filter));
}

/** `no-filter-unescape`: string values keep their JSON escapes, as a server that never decodes them would. */
export function undecodedFilter(filter: string): string {
  return filter.replace(/\\(["\\])/g, '\\\\\\$1');
}

/** `put-merges`: a PUT that merges into the stored user instead of replacing it. */
export function mergeForPut(body: unknown, current: ScimResource): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const { meta: _meta, id: _id, ...rest } = current;
  return { ...rest, ...(body as Record<string, unknown>) };
}

export function withoutMeta(resource: ScimResource): ScimResource {
  const { meta: _meta, ...rest } = resource;
  return rest as ScimResource;
}

export function activeAsString(resource: ScimResource): ScimResource {
  return typeof resource.active === 'boolean' ? { ...resource, active: String(resource.active) } : resource;
}

export type { Code42Deviations };
