// RFC 7643 §4.2, RFC 7644 §3: the mock Code42's /Groups. Code42 takes SCIM groups for custom and role mapping
// [DOC C42-SCIM-PROVISIONING]; what it does with them (organizations, roles) lives in placement.ts.
import type { Ctx, Route } from '../lab/http-core';
import {
  listResponse,
  memberValues,
  parseListParams,
  project,
  scimErrors,
  scimReply,
  type GroupStore,
  type Reply,
  type ResourceSchema,
  type ScimResource,
} from '../scim';
import { relativeUri } from './deviations-capabilities';
import { withoutMeta } from './deviate';
import {
  baseUrlOf,
  causeOf,
  checkIfMatch,
  noteEffects,
  projectionOf,
  searchQuery,
  type PlacementEffects,
  type Query,
} from './route-helpers';
import { removesByFilter } from './deviations-groups';
import type { ResolvedCode42Options } from './options';

export interface GroupRouteDeps {
  options: ResolvedCode42Options;
  groups: GroupStore;
  /** Called with the users whose memberships may have changed, after every group write. */
  membershipChanged(userIds: readonly string[], cause: string): PlacementEffects;
}

/** The URL of a resource under the base URL, as the client reached it; relative under `relative-location`. */
export function resourceUrl(ctx: Ctx, options: ResolvedCode42Options, endpoint: string, id: string): string {
  const url = `${baseUrlOf(ctx, options)}/${endpoint}/${encodeURIComponent(id)}`;
  return options.deviations.has('relative-location') ? relativeUri(url) : url;
}

/** What every group response goes through: fresh location, member `$ref` and `type`, projection, output deviations. */
function renderGroup(
  ctx: Ctx,
  options: ResolvedCode42Options,
  group: ScimResource,
  query: Query,
  schema: ResourceSchema,
): ScimResource {
  const members = Array.isArray(group.members)
    ? (group.members as Record<string, unknown>[]).map((m) => ({
        ...m,
        // RFC 7643 §4.2: `$ref` is the URI of the member, `type` its resource type; Code42 groups hold users.
        $ref: resourceUrl(ctx, options, 'Users', String(m.value)),
        type: m.type ?? 'User',
      }))
    : undefined;
  let out: ScimResource = {
    ...group,
    ...(members ? { members } : {}),
    meta: group.meta && { ...group.meta, location: resourceUrl(ctx, options, 'Groups', group.id!) },
  };
  out = project(out, projectionOf(query), schema);
  return options.deviations.has('no-meta') ? withoutMeta(out) : out;
}

export function groupRoutes({ options, groups, membershipChanged }: GroupRouteDeps): Route[] {
  const dev = options.deviations;
  const render = (ctx: Ctx, group: ScimResource, query: Query = ctx.query) =>
    renderGroup(ctx, options, group, query, groups.schema);
  const reply = (ctx: Ctx, status: number, group: ScimResource, extra: Record<string, string> = {}): Reply =>
    scimReply(status, render(ctx, group), { ...(group.meta ? { ETag: group.meta.version } : {}), ...extra });
  const getGroup = (id: string): ScimResource => {
    const group = groups.find(id);
    if (!group) throw scimErrors.notFound(`Group '${id}' not found`);
    return group;
  };
  /** After a write: tells the placement which users were members before or after it, and notes what it changed. */
  const written = (ctx: Ctx, before: ScimResource | undefined, after: ScimResource | undefined): void => {
    const members = new Set([...(before ? memberValues(before) : []), ...(after ? memberValues(after) : [])]);
    noteEffects(ctx, membershipChanged([...members], causeOf(ctx)));
  };

  const search = (ctx: Ctx, query: Query): Reply => {
    const params = parseListParams(query, { maxResults: options.maxPageSize });
    const result = groups.query({ filter: params.filter, startIndex: params.startIndex, count: params.count });
    const resources = result.resources.map((g) => render(ctx, g, query));
    return scimReply(200, listResponse(resources, result.totalResults, params.startIndex));
  };

  return [
    {
      path: '/Groups',
      handlers: {
        GET: (ctx) => search(ctx, ctx.query),
        POST: (ctx) => {
          const group = groups.create(ctx.body, { location: (id) => resourceUrl(ctx, options, 'Groups', id) });
          written(ctx, undefined, group);
          // RFC 7644 §3.3: 201 Created, with Location.
          return reply(ctx, 201, group, { Location: resourceUrl(ctx, options, 'Groups', group.id!) });
        },
      },
    },
    // RFC 7644 §3.4.3: searching with POST.
    {
      path: '/Groups/.search',
      handlers: { POST: (ctx) => search(ctx, searchQuery(ctx.body as Record<string, unknown>)) },
    },
    {
      path: '/Groups/:id',
      handlers: {
        GET: (ctx) => reply(ctx, 200, getGroup(ctx.params.id)),
        PUT: (ctx) => {
          const current = getGroup(ctx.params.id);
          checkIfMatch(ctx, current);
          const body = dev.has('group-put-drops-members') ? withoutMembers(ctx.body) : ctx.body;
          const group = groups.replace(current.id!, body);
          written(ctx, current, group);
          return reply(ctx, 200, group);
        },
        PATCH: (ctx) => {
          const current = getGroup(ctx.params.id);
          checkIfMatch(ctx, current);
          if (dev.has('group-patch-ignored') || (dev.has('group-remove-filter-ignored') && removesByFilter(ctx.body)))
            return reply(ctx, 200, current);
          const group = groups.patch(current.id!, ctx.body);
          written(ctx, current, group);
          return reply(ctx, 200, group);
        },
        DELETE: (ctx) => {
          const current = getGroup(ctx.params.id);
          checkIfMatch(ctx, current);
          // Code42 takes group deletion (RFC 7644 §3.6); no Code42 source says it refuses one (docs/decisions.md).
          groups.delete(current.id!);
          written(ctx, current, undefined);
          return { status: 204 };
        },
      },
    },
  ];
}

/** The deviation `group-put-drops-members`: a PUT body stored without its members. */
function withoutMembers(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => key.toLowerCase() !== 'members'));
}
