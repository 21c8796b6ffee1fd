import { scimErrors } from './errors';
import {
  COMMON_ATTRIBUTES,
  USER_RESOURCE_SCHEMA,
  resolveAttribute,
  type AttributeDef,
  type ResourceSchema,
} from './schemas';
import { URN } from './urns';
import { isObject } from './json';
import type { ScimResource } from './validate';

/** The page size used when the client asks for more, or gives no `count`; declared as `filter.maxResults`. */
export const DEFAULT_MAX_RESULTS = 200;

export interface ListParams {
  filter?: string;
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
  /** Parsed but not applied: sorting is declared unsupported (`sort.supported: false`). */
  sortBy?: string;
  sortOrder?: string;
}

export interface ListParamsOptions {
  /** The largest page served; a larger `count` is lowered to it. */
  maxResults?: number;
}

/**
 * Reads the query parameters of `GET /Users` (RFC 7644 §3.4.2). Parameter names are matched
 * case-insensitively. A parameter given twice (`?filter=a&filter=b` arrives as an array) is refused
 * with invalidFilter for `filter` and invalidValue for the others, naming it.
 *
 * `sortBy` and `sortOrder` are returned but not applied: the service provider declares `sort.supported: false`,
 * and ignoring them answers clients that send them anyway (RFC 7644 §3.4.2.3 makes sorting optional).
 */
export function parseListParams(query: Record<string, unknown>, options: ListParamsOptions = {}): ListParams {
  const maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
  const read = (name: string): string | undefined => {
    const keys = Object.keys(query).filter((k) => k.toLowerCase() === name.toLowerCase());
    if (keys.length === 0) return undefined;
    const value = query[keys[0]];
    if (keys.length > 1 || typeof value !== 'string') {
      const detail = `'${name}' must be given once, as a single value`;
      throw name === 'filter' ? scimErrors.invalidFilter(detail) : scimErrors.invalidValue(detail);
    }
    return value;
  };

  const params: ListParams = { startIndex: 1, count: maxResults };
  const filter = read('filter');
  if (filter !== undefined) params.filter = filter;
  // RFC 7644 §3.4.2.4: "A value less than 1 SHALL be interpreted as 1."
  const startIndex = readInteger('startIndex', read('startIndex'));
  if (startIndex !== undefined) params.startIndex = Math.max(1, startIndex);
  // RFC 7644 §3.4.2.4: "A negative value SHALL be interpreted as 0"; larger than the page limit: the limit.
  const count = readInteger('count', read('count'));
  if (count !== undefined) params.count = Math.min(maxResults, Math.max(0, count));
  const attributes = readList(read('attributes'));
  if (attributes) params.attributes = attributes;
  const excludedAttributes = readList(read('excludedAttributes'));
  if (excludedAttributes) params.excludedAttributes = excludedAttributes;
  const sortBy = read('sortBy');
  if (sortBy !== undefined) params.sortBy = sortBy;
  const sortOrder = read('sortOrder');
  if (sortOrder !== undefined) params.sortOrder = sortOrder;
  return params;
}

function readInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw scimErrors.invalidValue(`'${name}' must be an integer, got '${text}'`);
  const n = Number(text);
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

/** RFC 7644 §3.9: "a comma-separated list of resource attribute names". */
function readList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return names.length > 0 ? names : undefined;
}

export interface ListResponse<T = ScimResource> {
  schemas: [typeof URN.ListResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/**
 * RFC 7644 §3.4.2: the ListResponse message. `Resources` is always present, empty when nothing matched:
 * the RFC requires it only when totalResults is non-zero, and an empty array is easier on clients than a
 * missing member.
 */
export function listResponse<T>(
  resources: T[],
  totalResults: number,
  startIndex: number,
  itemsPerPage = resources.length,
): ListResponse<T> {
  return { schemas: [URN.ListResponse], totalResults, startIndex, itemsPerPage, Resources: resources };
}

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Which attributes of one container (the core, or an extension) were named: name → 'all' or sub-attribute names. */
type Named = Map<string, 'all' | Set<string>>;

/**
 * RFC 7644 §3.4.2.5 and §3.9, RFC 7643 §2.4 `returned`:
 * - `schemas` and attributes returned "always" (`id`) are always present; "never" (`password`) never;
 * - without `attributes`, "default" and "always" attributes are returned, less `excludedAttributes`
 *   (which "SHALL have no effect on attributes whose schema 'returned' setting is 'always'");
 * - with `attributes`, only those (and "always" ones); "request" attributes appear only when named.
 * Names may carry sub-attributes (`name.givenName`) and URN prefixes (`urn:…:enterprise:2.0:User:department`);
 * an extension URN alone names the whole extension. Unknown names are ignored.
 * The RFC does not forbid giving both lists: `attributes` selects, then `excludedAttributes` removes.
 */
export function project(
  resource: ScimResource,
  projection: Projection = {},
  schema: ResourceSchema = USER_RESOURCE_SCHEMA,
): ScimResource {
  const include = projection.attributes ? collectNames(projection.attributes, schema) : undefined;
  const exclude = collectNames(projection.excludedAttributes ?? [], schema);
  const out: ScimResource = { schemas: [...resource.schemas] };
  const core = projectContainer(resource, [...COMMON_ATTRIBUTES, ...schema.core.attributes], 'core', include, exclude);
  Object.assign(out, core);
  for (const ext of schema.extensions) {
    const value = resource[ext.id];
    if (!isObject(value)) continue;
    const projected = projectContainer(value, ext.attributes, ext.id, include, exclude);
    if (Object.keys(projected).length > 0) out[ext.id] = projected;
  }
  return out;
}

function collectNames(names: string[], schema: ResourceSchema): Map<string, Named> {
  const byContainer = new Map<string, Named>();
  const named = (container: string): Named => {
    let m = byContainer.get(container);
    if (!m) byContainer.set(container, (m = new Map()));
    return m;
  };
  for (const name of names) {
    const whole = schema.extensions.find((e) => e.id.toLowerCase() === name.toLowerCase());
    if (whole) {
      for (const def of whole.attributes) named(whole.id).set(def.name, 'all');
      continue;
    }
    const resolved = resolveAttribute(schema, name);
    if (!resolved) continue;
    const m = named(resolved.extension ?? 'core');
    const current = m.get(resolved.def.name);
    if (!resolved.sub) m.set(resolved.def.name, 'all');
    else if (current !== 'all') m.set(resolved.def.name, (current ?? new Set()).add(resolved.sub.name));
  }
  return byContainer;
}

function projectContainer(
  source: Record<string, unknown>,
  defs: AttributeDef[],
  container: string,
  include: Map<string, Named> | undefined,
  exclude: Map<string, Named>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const value = source[def.name];
    if (value === undefined || def.returned === 'never') continue;
    const asked = include?.get(container)?.get(def.name);
    const excluded = exclude.get(container)?.get(def.name);
    if (def.returned !== 'always') {
      if (include ? asked === undefined : def.returned === 'request') continue;
      if (excluded === 'all') continue;
    }
    const subs = def.subAttributes;
    if (!subs) {
      out[def.name] = value;
      continue;
    }
    const keep = (sub: AttributeDef): boolean => {
      if (sub.returned === 'never') return false;
      if (sub.returned === 'always') return true;
      if (asked instanceof Set ? !asked.has(sub.name) : sub.returned === 'request' && asked === undefined) return false;
      return !(excluded instanceof Set && excluded.has(sub.name));
    };
    const pick = (item: unknown): Record<string, unknown> | undefined => {
      if (!isObject(item)) return undefined;
      const picked: Record<string, unknown> = {};
      for (const sub of subs) if (item[sub.name] !== undefined && keep(sub)) picked[sub.name] = item[sub.name];
      return Object.keys(picked).length > 0 ? picked : undefined;
    };
    if (Array.isArray(value)) {
      const items = value.map(pick).filter((item) => item !== undefined);
      if (items.length > 0) out[def.name] = items;
    } else {
      const picked = pick(value);
      if (picked) out[def.name] = picked;
    }
  }
  return out;
}
