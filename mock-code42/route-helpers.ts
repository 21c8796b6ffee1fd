// What the mock Code42's SCIM routes share, whatever the resource type: the base URL, projection, .search bodies,
// and If-Match.
import type { Ctx } from '../lab/http-core';
import { scimErrors, URN, type ScimResource } from '../scim';
import type { ResolvedCode42Options } from './options';
import type { PlacementChange } from './placement';

export type Query = Readonly<Record<string, unknown>>;

/** What a write reports back about the organizations and roles it changed (code42-placement.ts). */
export type PlacementEffects = readonly PlacementChange[];

/**
 * Attaches what a request changed beyond its resource to its journal entry (lab/pipeline.ts records
 * `ctx.locals.effects`): an engineer reading the journal sees which request moved a user or changed its roles. A
 * user's first placement (an organization with no `from`) is part of its creation: the history keeps it, the entry
 * of the POST does not repeat it.
 */
export function noteEffects(ctx: Ctx, changes: PlacementEffects): void {
  const effects = changes.filter((change) => !change.organization || change.organization.from !== undefined);
  if (effects.length === 0) return;
  const kept = ctx.locals.effects as object[] | undefined;
  if (kept) kept.push(...effects);
  else (ctx.locals as Record<string, unknown>).effects = [...effects];
}

/** The request as a placement change names its cause: "METHOD /path". */
export const causeOf = (ctx: Pick<Ctx, 'method' | 'path'>): string => `${ctx.method} ${ctx.path}`;

/** The SCIM base URL as the client reached it (or the configured public URL). */
export function baseUrlOf(ctx: Pick<Ctx, 'origin'>, options: ResolvedCode42Options): string {
  return options.publicUrl ?? `${ctx.origin}${options.basePath}`;
}

/** RFC 7644 §3.4.3: the body of POST /Users/.search or /Groups/.search as the query parameters of a GET. */
export function searchQuery(body: Record<string, unknown> | undefined): Query {
  if (!body || typeof body !== 'object' || !Array.isArray(body.schemas) || !body.schemas.includes(URN.SearchRequest))
    throw scimErrors.invalidSyntax(`.search: 'schemas' must contain ${URN.SearchRequest}`);
  const query: Record<string, unknown> = {};
  for (const key of ['filter', 'startIndex', 'count', 'sortBy', 'sortOrder'])
    if (body[key] !== undefined) query[key] = String(body[key]);
  for (const key of ['attributes', 'excludedAttributes'])
    if (Array.isArray(body[key])) query[key] = (body[key] as unknown[]).join(',');
  return query;
}

/** RFC 7644 §3.14: If-Match on a write must name the current version. */
export function checkIfMatch(ctx: Ctx, current: ScimResource): void {
  const ifMatch = ctx.get('if-match');
  if (ifMatch && ifMatch.trim() !== '*' && !ifMatch.split(',').some((t) => t.trim() === current.meta?.version)) {
    throw scimErrors.preconditionFailed(
      `If-Match '${ifMatch}' does not match the current version ${current.meta?.version}`,
    );
  }
}

/** RFC 7644 §3.4.2.5: `attributes` and `excludedAttributes` as lists. */
export function projectionOf(query: Query): { attributes?: string[]; excludedAttributes?: string[] } {
  const read = (name: string) => {
    const v = query[name];
    return typeof v === 'string' && v.trim() ? v.split(',').map((s) => s.trim()) : undefined;
  };
  return { attributes: read('attributes'), excludedAttributes: read('excludedAttributes') };
}
