import express, { type Request, type Response, type Router } from 'express';
import {
  bearerAuth,
  listResponse,
  methodNotAllowed,
  notFoundHandler,
  parseListParams,
  project,
  resourceTypeById,
  resourceTypesList,
  schemaById,
  schemasList,
  scimErrorHandler,
  scimErrors,
  scimJsonParser,
  sendScim,
  serviceProviderConfig,
  URN,
  type ScimError,
  type ScimResource,
  type UserStore,
} from '../scim';
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
  relativeUri,
  undeclaringEnterprise,
  withoutEnterprise,
} from './deviations-capabilities';
import type { Lifecycle } from './user-lifecycle';
import type { ResolvedCode42Options } from './options';
import type { Providers } from './providers';

export interface ScimRouterDeps {
  options: ResolvedCode42Options;
  store: UserStore;
  lifecycle: Lifecycle;
  providers: Providers;
}

/** The SCIM base URL as the client reached it (or the configured public URL). */
export function baseUrlOf(req: Request, options: ResolvedCode42Options): string {
  return options.publicUrl ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${options.basePath}`;
}

/** The SCIM 2.0 endpoints of the mock Code42, mounted at the base path (default /scim/v2). */
export function createScimRouter(deps: ScimRouterDeps): Router {
  const { options } = deps;
  const dev = options.deviations;
  const router = express.Router();
  guard(router, deps);
  router.use(scimJsonParser({ limit: options.bodyLimit }));
  const users = userResponses(deps);
  userRoutes(router, deps, users);
  discoveryRoutes(router, deps);
  router.use(notFoundHandler);
  router.use(
    scimErrorHandler({
      plainJson: dev.has('plain-json-errors'),
      statusAsNumber: dev.has('status-as-number'),
      logger: { error: (message, err) => options.logger(`${message}: ${(err as Error)?.stack ?? String(err)}`) },
    }),
  );
  return router;
}

/** Authentication (RFC 6750 bearer tokens of the SCIM providers) and the content-type deviation. */
function guard(router: Router, { options, providers }: ScimRouterDeps): void {
  const dev = options.deviations;
  if (!dev.has('no-auth')) {
    router.use(
      bearerAuth({
        tokens: () => providers.activeTokens(),
        realm: 'code42-scim',
        onAuthenticated: (token, _req, res) => {
          res.locals.provider = providers.byToken(token)?.id;
        },
      }),
    );
  }
  if (dev.has('reject-scim-json')) {
    router.use((req, _res, next) => {
      const type = req.get('content-type') ?? '';
      next(
        type.toLowerCase().startsWith('application/scim+json')
          ? scimErrors.unsupportedMediaType('only application/json is accepted')
          : undefined,
      );
    });
  }
}

/** What the user routes share: reading, rendering and answering users, with the deviations applied. */
interface UserResponses {
  location(req: Request, id: string): string;
  sendUser(req: Request, res: Response, status: number, user: ScimResource, extra?: Record<string, string>): void;
  checkIfMatch(req: Request, current: ScimResource): void;
  getUser(id: string): ScimResource;
  observe(user: ScimResource): void;
  incoming(body: unknown): unknown;
  search(req: Request, res: Response, query: Record<string, unknown>): void;
}

function userResponses({ options, store, lifecycle }: ScimRouterDeps): UserResponses {
  const dev = options.deviations;
  const location = (req: Request, id: string) => {
    const url = `${baseUrlOf(req, options)}/Users/${encodeURIComponent(id)}`;
    return dev.has('relative-location') ? relativeUri(url) : url;
  };

  /** What every response of a user goes through: fresh location, projection, and the output deviations. */
  const render = (req: Request, user: ScimResource, query: Record<string, unknown> = req.query): ScimResource => {
    let out: ScimResource = { ...user, meta: user.meta && { ...user.meta, location: location(req, user.id!) } };
    out = project(out, projectionOf(query), store.schema);
    if (dev.has('no-meta')) out = withoutMeta(out);
    if (dev.has('active-as-string')) out = activeAsString(out);
    return out;
  };

  const search = (req: Request, res: Response, query: Record<string, unknown>) => {
    const params = parseListParams(query, { maxResults: options.maxPageSize });
    let filter = params.filter;
    const empty = () => sendScim(res, 200, listResponse([], 0, params.startIndex, 0));
    if (filter !== undefined && dev.has('case-sensitive-filter') && usesNonCanonicalNames(filter, store.schema)) {
      // The deviation: the attribute lookup misses, so nothing matches.
      if (dev.has('unknown-user-404')) throw scimErrors.notFound('no user matches the filter');
      return empty();
    }
    if (filter !== undefined && dev.has('no-filter-unescape')) filter = undecodedFilter(filter);
    if (filter !== undefined && dev.has('filter-co-as-sw')) filter = containsAsStartsWith(filter);
    const paging = dev.has('ignore-paging') ? {} : { startIndex: params.startIndex, count: params.count };
    const result = store.query({ filter, ...paging });
    if (result.totalResults === 0 && dev.has('unknown-user-404'))
      throw scimErrors.notFound('no user matches the filter');
    const resources = result.resources.map((u) => render(req, u, query));
    const total = dev.has('wrong-total-results') ? resources.length : result.totalResults;
    sendScim(res, 200, listResponse(resources, total, dev.has('ignore-paging') ? 1 : params.startIndex));
  };

  return {
    location,
    search,
    sendUser: (req, res, status, user, extra = {}) =>
      sendScim(res, status, render(req, user), { ...(user.meta ? { ETag: user.meta.version } : {}), ...extra }),
    /** RFC 7644 §3.14: If-Match on a write must name the current version. */
    checkIfMatch(req, current) {
      const ifMatch = req.get('if-match');
      if (ifMatch && ifMatch.trim() !== '*' && !ifMatch.split(',').some((t) => t.trim() === current.meta?.version)) {
        throw scimErrors.preconditionFailed(
          `If-Match '${ifMatch}' does not match the current version ${current.meta?.version}`,
        );
      }
    },
    getUser(id) {
      const user = store.find(id);
      if (user) return user;
      if (dev.has('unknown-id-500')) throw scimErrors.internal('internal server error');
      throw scimErrors.notFound(`User '${id}' not found`);
    },
    /** Code42's side follows every stored `active` value [DOC S7]. */
    observe: (user) => lifecycle.observe(user.id!, user.userName as string, user.active !== false),
    incoming(raw) {
      const body = dev.has('no-enterprise-extension') ? withoutEnterprise(raw) : raw;
      const drops = dev.values('drop-attribute');
      return drops.length && body && typeof body === 'object' && !Array.isArray(body)
        ? dropAttributes(body as ScimResource, drops)
        : body;
    },
  };
}

/** RFC 7644 §3.4.3: the body of POST /Users/.search as the query parameters of a GET. */
function searchQuery(body: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!body || typeof body !== 'object' || !Array.isArray(body.schemas) || !body.schemas.includes(URN.SearchRequest))
    throw scimErrors.invalidSyntax(`.search: 'schemas' must contain ${URN.SearchRequest}`);
  const query: Record<string, unknown> = {};
  for (const key of ['filter', 'startIndex', 'count', 'sortBy', 'sortOrder'])
    if (body[key] !== undefined) query[key] = String(body[key]);
  for (const key of ['attributes', 'excludedAttributes'])
    if (Array.isArray(body[key])) query[key] = (body[key] as unknown[]).join(',');
  return query;
}

function userRoutes(router: Router, { options, store, lifecycle }: ScimRouterDeps, users: UserResponses): void {
  const dev = options.deviations;
  const { location, sendUser, checkIfMatch, getUser, observe, incoming, search } = users;
  router
    .route('/Users')
    .get((req, res) => search(req, res, req.query as Record<string, unknown>))
    .post((req, res) => {
      const user = store.create(incoming(req.body), { location: (id) => location(req, id) });
      observe(user);
      // RFC 7644 §3.3: 201 Created (the `create-200` deviation answers 200).
      const status = dev.has('create-200') ? 200 : 201;
      sendUser(req, res, status, user, dev.has('no-location') ? {} : { Location: location(req, user.id!) });
    })
    .all(methodNotAllowed('GET, POST'));

  // RFC 7644 §3.4.3: searching with POST.
  router
    .route('/Users/.search')
    .post((req, res) => search(req, res, searchQuery(req.body as Record<string, unknown> | undefined)))
    .all(methodNotAllowed('POST'));

  router
    .route('/Users/:id')
    .get((req, res) => sendUser(req, res, 200, getUser(req.params.id)))
    .put((req, res) => {
      const current = getUser(req.params.id);
      if (!dev.has('ignore-if-match')) checkIfMatch(req, current);
      let body = incoming(req.body);
      if (dev.has('ignore-active')) body = keepActive(body, current);
      if (dev.has('put-merges')) body = mergeForPut(body, current);
      const user = store.replace(current.id!, body);
      observe(user);
      sendUser(req, res, 200, user);
    })
    .patch((req, res) => {
      const current = getUser(req.params.id);
      if (dev.has('patch-not-implemented')) throw scimErrors.notImplemented('PATCH is not implemented');
      if (!dev.has('ignore-if-match')) checkIfMatch(req, current);
      let user: ScimResource;
      if (!dev.has('ignore-active')) user = deviatedPatch(store, current.id!, req.body, dev);
      else user = patchesOnlyActive(req.body) ? current : store.patch(current.id!, patchWithoutActive(req.body));
      const drops = dev.values('drop-attribute');
      if (drops.length) user = store.replace(user.id!, dropAttributes(user, drops));
      observe(user);
      sendUser(req, res, 200, user);
    })
    .delete((req, res) => deleteUser(req, res, getUser(req.params.id)))
    .all(methodNotAllowed('GET, PUT, PATCH, DELETE'));

  function deleteUser(_req: Request, res: Response, current: ScimResource): void {
    if (dev.has('allow-delete')) {
      store.delete(current.id!);
      lifecycle.forget(current.id!);
      res.status(204).end();
      return;
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
function discoveryRoutes(router: Router, { options, store }: ScimRouterDeps): void {
  const discovery = (req: Request) => baseUrlOf(req, options);
  const dev = options.deviations;
  router
    .route('/ServiceProviderConfig')
    .get((req, res) =>
      sendScim(
        res,
        200,
        declaringSort(
          serviceProviderConfig({ baseUrl: discovery(req), patch: true, maxResults: options.maxPageSize, etag: true }),
          dev.has('declares-sort'),
        ),
      ),
    )
    .all(methodNotAllowed('GET'));
  router
    .route('/ResourceTypes')
    .get((req, res) =>
      sendScim(
        res,
        200,
        undeclaringEnterprise(resourceTypesList(discovery(req), store.schema), dev.has('no-enterprise-extension')),
      ),
    )
    .all(methodNotAllowed('GET'));
  router
    .route('/ResourceTypes/:id')
    .get((req, res) => sendScim(res, 200, resourceTypeById(discovery(req), req.params.id, store.schema)))
    .all(methodNotAllowed('GET'));
  router
    .route('/Schemas')
    .get((req, res) => sendScim(res, 200, schemasList(discovery(req), store.schema)))
    .all(methodNotAllowed('GET'));
  router
    .route('/Schemas/:id')
    .get((req, res) => sendScim(res, 200, schemaById(discovery(req), req.params.id, store.schema)))
    .all(methodNotAllowed('GET'));
}

function projectionOf(query: Record<string, unknown>): { attributes?: string[]; excludedAttributes?: string[] } {
  const read = (name: string) => {
    const v = query[name];
    return typeof v === 'string' && v.trim() ? v.split(',').map((s) => s.trim()) : undefined;
  };
  return { attributes: read('attributes'), excludedAttributes: read('excludedAttributes') };
}

export type { ScimError };
