import { filtersOnExternalId } from './deviations-profiles';
import type { Ctx, Route, Surface } from '../lab/http-core';
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
import {
  checkCredentials,
  errorReply,
  listResponse,
  parseListParams,
  project,
  resourceTypeById,
  resourceTypesList,
  schemaById,
  schemasList,
  scimErrors,
  scimReply,
  SCIM_CONTENT_TYPE_HEADER,
  serviceProviderConfig,
  URN,
  type Reply,
  type ScimError,
  type GroupStore,
  type ScimResource,
  type UserStore,
} from '../scim';
import { groupRoutes, resourceUrl } from './group-routes';
import {
  activeAsString,
  dropAttributes,
  keepActive,
  mergeForPut,
  patchesOnlyActive,
  patchWithoutActive,
  undecodedFilter,
  usesNonCanonicalNames,
  withoutMeta,
} from './deviate';
import {
  containsAsStartsWith,
  declaringSort,
  deviatedPatch,
  undeclaringEnterprise,
  withoutEnterprise,
} from './deviations-capabilities';
import type { Lifecycle } from './user-lifecycle';
import { createWriteRules, deactivates } from './write-rules';
import { createRenderedUsers, listResponseText } from './rendered-users';
import type { ResolvedCode42Options } from './options';
import type { Providers } from './providers';

export interface ScimRouterDeps {
  options: ResolvedCode42Options;
  store: UserStore;
  lifecycle: Lifecycle;
  providers: Providers;
  groups: GroupStore;
  /** The users whose groups may have changed: their organization and roles are evaluated again. */
  membershipChanged(userIds: readonly string[], cause: string): PlacementEffects;
  /** A user was written (its c42OrgName may have changed): its organization and roles are evaluated again. */
  userChanged(user: Readonly<ScimResource>, cause: string): PlacementEffects;
}

export { baseUrlOf };

/** The SCIM 2.0 endpoints of the mock Code42 at the base path (default /scim/v2): a route table for either shell. */
export function createScimSurface(deps: ScimRouterDeps): Surface {
  const { options } = deps;
  const dev = options.deviations;
  const users = userResponses(deps);
  const logger = {
    error: (message: string, err: unknown) => options.logger(`${message}: ${(err as Error)?.stack ?? String(err)}`),
  };
  return {
    prefix: options.basePath,
    routes: [
      ...userRoutes(deps, users),
      // The deviation `org-not-reevaluated`: group writes leave organizations and roles as they were.
      ...groupRoutes(dev.has('org-not-reevaluated') ? { ...deps, membershipChanged: () => [] } : deps),
      ...discoveryRoutes(deps),
    ],
    guard: guard(deps),
    notFound: (ctx) => scimErrors.notFound(`there is no SCIM endpoint ${ctx.method} ${ctx.path}`),
    renderError: (err, ctx) =>
      errorReply(err, `${ctx.method} ${ctx.path}`, {
        plainJson: dev.has('plain-json-errors'),
        statusAsNumber: dev.has('status-as-number'),
        logger,
      }),
    contentType: SCIM_CONTENT_TYPE_HEADER,
    journaled: true,
    bodyLimit: options.bodyLimit,
  };
}

/** Authentication (RFC 6750 bearer tokens of the SCIM providers) and the content-type deviation. */
function guard({ options, providers }: ScimRouterDeps): (ctx: Ctx) => void {
  const dev = options.deviations;
  const auth = !dev.has('no-auth');
  const scimJsonRefused = dev.has('reject-scim-json');
  return (ctx) => {
    if (auth) {
      const token = checkCredentials(ctx.get('authorization'), providers.scimCredentials(), 'code42-scim');
      ctx.locals.provider = providers.byToken(token)?.id;
    }
    if (scimJsonRefused && (ctx.get('content-type') ?? '').toLowerCase().startsWith('application/scim+json'))
      throw scimErrors.unsupportedMediaType('only application/json is accepted');
  };
}

/** What the user routes share: reading, rendering and answering users, with the deviations applied. */
interface UserResponses {
  location(ctx: Ctx, id: string): string;
  userReply(ctx: Ctx, status: number, user: ScimResource, extra?: Record<string, string>): Reply;
  checkIfMatch(ctx: Ctx, current: ScimResource): void;
  getUser(id: string): ScimResource;
  /** After a write: Code42's side of the user, and its placement (noted on the request's journal entry). */
  observe(ctx: Ctx, user: ScimResource): void;
  incoming(body: unknown): unknown;
  search(ctx: Ctx, query: Query): Reply;
}

function userResponses({ options, store, lifecycle, groups, userChanged }: ScimRouterDeps): UserResponses {
  const dev = options.deviations;
  const location = (ctx: Ctx, id: string) => resourceUrl(ctx, options, 'Users', id);

  /** RFC 7643 §4.1.2: the read-only `groups` of a user, the groups that list it as a member ("direct"). */
  const groupsAttribute = (ctx: Ctx, id: string): { groups?: Record<string, string>[] } => {
    const of = groups.groupsOf(id);
    if (of.length === 0) return {};
    return {
      groups: of.map((g) => ({
        value: g.id!,
        $ref: resourceUrl(ctx, options, 'Groups', g.id!),
        display: g.displayName as string,
        type: 'direct',
      })),
    };
  };

  /** What every response of a user goes through: fresh location, projection, and the output deviations. */
  const render = (ctx: Ctx, user: ScimResource, query: Query = ctx.query): ScimResource => {
    const { meta, ...attributes } = user;
    let out: ScimResource = {
      ...attributes,
      ...(dev.has('no-user-groups') ? {} : groupsAttribute(ctx, user.id!)),
      meta: meta && { ...meta, location: location(ctx, user.id!) },
    };
    out = project(out, projectionOf(query), store.schema);
    if (dev.has('no-meta')) out = withoutMeta(out);
    if (dev.has('active-as-string')) out = activeAsString(out);
    return out;
  };

  const rendered = createRenderedUsers();
  const search = (ctx: Ctx, query: Query): Reply => {
    const params = parseListParams(query, { maxResults: options.maxPageSize });
    let filter = params.filter;
    const empty = () => scimReply(200, listResponse([], 0, params.startIndex, 0));
    if (filter !== undefined && dev.has('case-sensitive-filter') && usesNonCanonicalNames(filter, store.schema)) {
      // The deviation: the attribute lookup misses, so nothing matches.
      if (dev.has('unknown-user-404')) throw scimErrors.notFound('no user matches the filter');
      return empty();
    }
    if (filter !== undefined && dev.has('no-externalid-filter') && filtersOnExternalId(filter)) return empty();
    if (filter !== undefined && dev.has('no-filter-unescape')) filter = undecodedFilter(filter);
    if (filter !== undefined && dev.has('filter-co-as-sw')) filter = containsAsStartsWith(filter);
    const paging = dev.has('ignore-paging') ? {} : { startIndex: params.startIndex, count: params.count };
    const result = store.queryStored({ filter, ...paging });
    if (result.totalResults === 0 && dev.has('unknown-user-404'))
      throw scimErrors.notFound('no user matches the filter');
    const shape = `${JSON.stringify(projectionOf(query))} ${dev.has('no-meta')} ${dev.has('active-as-string')}`;
    const texts = result.resources.map((u) =>
      rendered.text(u, `${location(ctx, u.id!)} ${shape}`, () => render(ctx, u as ScimResource, query)),
    );
    const total = dev.has('wrong-total-results') ? texts.length : result.totalResults;
    const startIndex = dev.has('ignore-paging') ? 1 : params.startIndex;
    return {
      status: 200,
      raw: listResponseText(texts, total, startIndex, URN.ListResponse),
      type: SCIM_CONTENT_TYPE_HEADER,
    };
  };

  return {
    location,
    search,
    userReply: (ctx, status, user, extra = {}) =>
      scimReply(status, render(ctx, user), { ...(user.meta ? { ETag: user.meta.version } : {}), ...extra }),
    checkIfMatch,
    getUser(id) {
      const user = store.find(id);
      if (user) return user;
      if (dev.has('unknown-id-500')) throw scimErrors.internal('internal server error');
      throw scimErrors.notFound(`User '${id}' not found`);
    },
    /** Code42's side follows every stored `active` value [DOC S7]. */
    observe: (ctx, user) => {
      lifecycle.observe(user.id!, user.userName as string, user.active !== false);
      noteEffects(ctx, userChanged(user, causeOf(ctx)));
    },
    incoming(raw) {
      const body = dev.has('no-enterprise-extension') ? withoutEnterprise(raw) : raw;
      const drops = dev.values('drop-attribute');
      return drops.length && body && typeof body === 'object' && !Array.isArray(body)
        ? dropAttributes(body as ScimResource, drops)
        : body;
    },
  };
}

function userRoutes(
  { options, store, lifecycle, groups, membershipChanged }: ScimRouterDeps,
  users: UserResponses,
): Route[] {
  const dev = options.deviations;
  const rules = createWriteRules(lifecycle, dev);
  const { location, userReply, checkIfMatch, getUser, observe, incoming, search } = users;
  return [
    {
      path: '/Users',
      handlers: {
        GET: (ctx) => search(ctx, ctx.query),
        POST: (ctx) => {
          const user = store.create(rules.forCreate(incoming(ctx.body)), { location: (id) => location(ctx, id) });
          observe(ctx, user);
          // RFC 7644 §3.3: 201 Created (the `create-200` deviation answers 200).
          const status = dev.has('create-200') ? 200 : 201;
          return userReply(ctx, status, user, dev.has('no-location') ? {} : { Location: location(ctx, user.id!) });
        },
      },
    },
    // RFC 7644 §3.4.3: searching with POST.
    {
      path: '/Users/.search',
      handlers: { POST: (ctx) => search(ctx, searchQuery(ctx.body as Record<string, unknown> | undefined)) },
    },
    {
      path: '/Users/:id',
      handlers: {
        GET: (ctx) => userReply(ctx, 200, getUser(ctx.params.id)),
        PUT: (ctx) => {
          const current = getUser(ctx.params.id);
          if (!dev.has('ignore-if-match')) checkIfMatch(ctx, current);
          rules.checkWrite(current, 'PUT', deactivates('PUT', ctx.body));
          let body = incoming(ctx.body);
          if (dev.has('ignore-active')) body = keepActive(body, current);
          if (dev.has('put-merges')) body = mergeForPut(body, current);
          const user = store.replace(current.id!, body);
          observe(ctx, user);
          return userReply(ctx, 200, user);
        },
        PATCH: (ctx) => {
          const current = getUser(ctx.params.id);
          if (dev.has('patch-not-implemented')) throw scimErrors.notImplemented('PATCH is not implemented');
          if (!dev.has('ignore-if-match')) checkIfMatch(ctx, current);
          rules.checkWrite(current, 'PATCH', deactivates('PATCH', ctx.body));
          let user: ScimResource;
          if (!dev.has('ignore-active')) user = deviatedPatch(store, current.id!, ctx.body, dev);
          else user = patchesOnlyActive(ctx.body) ? current : store.patch(current.id!, patchWithoutActive(ctx.body));
          const drops = dev.values('drop-attribute');
          if (drops.length) user = store.replace(user.id!, dropAttributes(user, drops));
          observe(ctx, user);
          return userReply(ctx, 200, user);
        },
        DELETE: (ctx) => {
          const current = getUser(ctx.params.id);
          rules.checkWrite(current, 'DELETE', false);
          return deleteUser(ctx, current);
        },
      },
    },
  ];

  function deleteUser(ctx: Ctx, current: ScimResource): Reply {
    if (dev.has('allow-delete')) {
      store.delete(current.id!);
      lifecycle.forget(current.id!);
      groups.removeMember(current.id!);
      noteEffects(ctx, membershipChanged([current.id!], causeOf(ctx)));
      return { status: 204 };
    }
    // Code42: "Code42 doesn't support user deletion." (seed step 6.1). Status [INF], configurable.
    throw scimErrors.refused(
      options.deleteStatus,
      `Code42 doesn't support user deletion: deactivate the user instead (PUT or PATCH with "active": false)`,
      'GET, PUT, PATCH',
    );
  }
}

/** RFC 7644 §4: the discovery endpoints, read-only. */
function discoveryRoutes({ options, store, groups }: ScimRouterDeps): Route[] {
  const served = { user: store.schema, group: groups.schema };
  const discovery = (ctx: Ctx) => baseUrlOf(ctx, options);
  const dev = options.deviations;
  const get = (path: string, body: (ctx: Ctx) => unknown): Route => ({
    path,
    handlers: { GET: (ctx) => scimReply(200, body(ctx)) },
  });
  return [
    get('/ServiceProviderConfig', (ctx) =>
      declaringSort(
        serviceProviderConfig({ baseUrl: discovery(ctx), patch: true, maxResults: options.maxPageSize, etag: true }),
        dev.has('declares-sort'),
      ),
    ),
    get('/ResourceTypes', (ctx) =>
      undeclaringEnterprise(resourceTypesList(discovery(ctx), served), dev.has('no-enterprise-extension')),
    ),
    get('/ResourceTypes/:id', (ctx) => resourceTypeById(discovery(ctx), ctx.params.id, served)),
    get('/Schemas', (ctx) => schemasList(discovery(ctx), served)),
    get('/Schemas/:id', (ctx) => schemaById(discovery(ctx), ctx.params.id, served)),
  ];
}

export type { ScimError };
