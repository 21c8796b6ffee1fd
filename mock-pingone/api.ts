import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import { p1Errors, PingOneError } from './errors';
import { verifyUtf8 } from '../scim/http';
import {
  apiBase,
  enabledView,
  environmentView,
  halList,
  mappingView,
  planView,
  populationView,
  ruleView,
  storeView,
  syncedRuleView,
  viewContext,
} from './hal-views';
import type { ViewContext } from './hal-views';
import type { ScimStoreConfiguration } from './model';
import { parseScimConfiguration } from './store-configuration';
import type { ConnectionCheck } from './test-connection';
import type { Directory, Propagation, Provisioner } from './types';
import { userView } from './users';

// The management API (PingOne Platform API shapes, S5): thin handlers over the directory, the propagation
// configuration and the provisioner, grouped by area. The HAL shapes they answer are in hal-views.ts.

export interface ApiContext {
  envId(): string;
  directory: Directory;
  propagation: Propagation;
  provisioner: Provisioner;
  /** Test Connection for a (proposed or stored) SCIM configuration. */
  testConnection(config: ScimStoreConfiguration): Promise<ConnectionCheck>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Route = (path: string, handlers: Partial<Record<Method, RequestHandler>>) => void;
/** What each group of routes gets: the parts, a way to register a route, and the view context of a request. */
interface Routes extends ApiContext {
  route: Route;
  view(req: Request): ViewContext;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const SYNC_RESULTS = ['SUCCESS', 'FAILED', 'UNSYNCED', 'PARTIALLY_SYNCED'];
const P = '/environments/:envId/propagation';

const body = (req: Request): unknown => {
  if (req.body === undefined)
    throw p1Errors.malformed('The request body must be JSON (Content-Type: application/json).');
  return req.body;
};
const id = (req: Request, name = 'id') => req.params[name] as string;

export function createApiRouter(ctx: ApiContext): Router {
  const router = express.Router({ mergeParams: true });
  router.use(express.json({ type: JSON_TYPES, limit: '1mb', verify: verifyUtf8 })); // invalid UTF-8 is refused, not replaced
  router.param('envId', (_req, _res, next, envId: string) => {
    next(envId === ctx.envId() ? undefined : p1Errors.notFound('environment', envId));
  });

  /** One path, its handlers, and a 405 with `Allow` for every other method. */
  const route: Route = (path, handlers) => {
    const chain = router.route(path);
    for (const [method, handler] of Object.entries(handlers)) chain[method.toLowerCase() as Lowercase<Method>](handler);
    const allow = Object.keys(handlers).join(', ');
    chain.all((req, res, next) => {
      res.set('Allow', allow);
      next(new PingOneError(405, 'INVALID_REQUEST', `${req.method} is not allowed here (allowed: ${allow}).`));
    });
  };
  const parts = { directory: ctx.directory, propagation: ctx.propagation };
  const routes: Routes = { ...ctx, route, view: (req) => viewContext(req, ctx.envId(), parts) };

  environmentRoutes(routes);
  userRoutes(routes);
  syncedRuleRoutes(routes);
  storeRoutes(routes);
  planAndRuleRoutes(routes);
  mappingRoutes(routes);
  syncRoutes(routes);

  router.use((req, _res, next) => next(p1Errors.noRoute(req.method, req.originalUrl.split('?')[0])));
  return router;
}

function environmentRoutes({ route, view, directory }: Routes): void {
  route('/environments', {
    GET: (req, res) => void res.json(halList(view(req), 'environments', [environmentView(view(req))])),
  });
  route('/environments/:envId', { GET: (req, res) => void res.json(environmentView(view(req))) });
  route('/environments/:envId/populations', {
    GET: (req, res) => {
      const v = view(req);
      res.json(
        halList(
          v,
          'populations',
          directory.populations.list().map((p) => populationView(v, p)),
        ),
      );
    },
    POST: (req, res) => void res.status(201).json(populationView(view(req), directory.populations.create(body(req)))),
  });
  route('/environments/:envId/populations/:id', {
    GET: (req, res) => void res.json(populationView(view(req), directory.populations.get(id(req)))),
    PUT: (req, res) => void res.json(populationView(view(req), directory.populations.replace(id(req), body(req)))),
    DELETE: (req, res) => {
      directory.populations.remove(id(req));
      res.status(204).end();
    },
  });
}

/** S5 "Read All Users": `limit` (1–1000) and an opaque `cursor`; `_links.next` while more remain. */
function listUsers(req: Request, v: ViewContext) {
  const { filter, limit, cursor } = req.query;
  for (const [name, value] of Object.entries({ filter, limit, cursor })) {
    if (value !== undefined && typeof value !== 'string')
      throw p1Errors.invalidValue(name, `${name} must be given once`);
  }
  const size = limit === undefined ? DEFAULT_PAGE : Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw p1Errors.invalidValue('limit', `limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  const offset = cursor === undefined ? 0 : Number(Buffer.from(cursor as string, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw p1Errors.invalidValue('cursor', 'cursor is not valid');
  const all = v.directory.users.list(filter as string | undefined);
  const page = all.slice(offset, offset + size);
  let next: string | undefined;
  if (offset + size < all.length) {
    const params = new URLSearchParams({
      ...(filter !== undefined && { filter: filter as string }),
      limit: String(size),
    });
    params.set('cursor', Buffer.from(String(offset + size)).toString('base64url'));
    next = `${v.env}/users?${params}`;
  }
  const users = page.map((u) => userView(u, v.envId, v.base));
  return halList(v, 'users', users, { count: all.length, next });
}

function userRoutes({ route, view, directory, envId }: Routes): void {
  const user = (req: Request, u: Parameters<typeof userView>[0]) => userView(u, envId(), apiBase(req));
  route('/environments/:envId/users', {
    GET: (req, res) => void res.json(listUsers(req, view(req))),
    POST: (req, res) => void res.status(201).json(user(req, directory.users.create(body(req)))),
  });
  route('/environments/:envId/users/:id', {
    GET: (req, res) => void res.json(user(req, directory.users.get(id(req)))),
    PUT: (req, res) => void res.json(user(req, directory.users.replace(id(req), body(req)))),
    PATCH: (req, res) => void res.json(user(req, directory.users.patch(id(req), body(req)))),
    DELETE: (req, res) => {
      directory.users.remove(id(req));
      res.status(204).end();
    },
  });
  route('/environments/:envId/users/:id/enabled', {
    GET: (req, res) => void res.json(enabledView(view(req), id(req))),
    PUT: (req, res) => {
      directory.users.setEnabled(id(req), body(req));
      res.json(enabledView(view(req), id(req)));
    },
  });
  route('/environments/:envId/users/:id/population', {
    GET: (req, res) => {
      const found = directory.users.get(id(req));
      res.json(populationView(view(req), directory.populations.get(found.population.id)));
    },
    PUT: (req, res) => {
      const changed = directory.users.setPopulation(id(req), body(req));
      res.json(populationView(view(req), directory.populations.get(changed.population.id)));
    },
  });
}

function syncedRuleRoutes({ route, view, directory, propagation, provisioner }: Routes): void {
  route('/environments/:envId/users/:id/syncedRules', {
    GET: (req, res) => {
      const v = view(req);
      const user = directory.users.get(id(req));
      res.json(
        halList(
          v,
          'syncedRules',
          provisioner.recordsOfUser(user.id).map((r) => syncedRuleView(v, r)),
        ),
      );
    },
  });
  route('/environments/:envId/users/:id/syncedRules/:ruleId', {
    GET: (req, res) => {
      const user = directory.users.get(id(req));
      const rule = propagation.rules.get(id(req, 'ruleId'));
      const record = provisioner.record(rule.id, user.id);
      if (!record) throw p1Errors.notFound('synced rule for this user', rule.id);
      res.json(syncedRuleView(view(req), record));
    },
  });
}

function storeRoutes({ route, view, propagation, testConnection }: Routes): void {
  const stores = propagation.stores;
  route(`${P}/stores`, {
    GET: (req, res) => {
      const v = view(req);
      res.json(
        halList(
          v,
          'stores',
          stores.list().map((s) => storeView(v, s)),
        ),
      );
    },
    POST: (req, res) => void res.status(201).json(storeView(view(req), stores.create(body(req)))),
  });
  // S5 "Test Connection Configuration": a prospective check of a proposed configuration.
  route(`${P}/stores/connection/status`, {
    POST: async (req, res) => {
      const input = body(req) as { type?: unknown; configuration?: unknown };
      if (String(input?.type ?? '').toLowerCase() !== 'scim') {
        throw p1Errors.invalidValue('type', 'Test Connection is available for stores of type scim');
      }
      const { configuration } = parseScimConfiguration(input.configuration);
      res.json(await testConnection(configuration));
    },
  });
  route(`${P}/stores/:id`, {
    GET: (req, res) => void res.json(storeView(view(req), stores.get(id(req)))),
    PUT: (req, res) => void res.json(storeView(view(req), stores.replace(id(req), body(req)))),
    DELETE: (req, res) => {
      stores.remove(id(req));
      res.status(204).end();
    },
  });
  // PingOne-like: Test Connection of a saved store (the console's button).
  route(`${P}/stores/:id/connection/status`, {
    POST: async (req, res) => {
      const store = stores.get(id(req));
      if (!store.configuration)
        throw p1Errors.invalidValue('type', 'Test Connection is available for stores of type scim');
      res.json(await testConnection(store.configuration));
    },
  });
}

function planAndRuleRoutes({ route, view, propagation }: Routes): void {
  const { plans, rules } = propagation;
  route(`${P}/plans`, {
    GET: (req, res) => {
      const v = view(req);
      res.json(
        halList(
          v,
          'plans',
          plans.list().map((x) => planView(v, x)),
        ),
      );
    },
    POST: (req, res) => void res.status(201).json(planView(view(req), plans.create(body(req)))),
  });
  route(`${P}/plans/:id`, {
    GET: (req, res) => void res.json(planView(view(req), plans.get(id(req)))),
    PUT: (req, res) => void res.json(planView(view(req), plans.replace(id(req), body(req)))),
    DELETE: (req, res) => {
      plans.remove(id(req));
      res.status(204).end();
    },
  });
  route(`${P}/plans/:id/rules`, {
    GET: (req, res) => {
      const v = view(req);
      plans.get(id(req));
      res.json(
        halList(
          v,
          'rules',
          rules.list(id(req)).map((r) => ruleView(v, r)),
        ),
      );
    },
    POST: (req, res) => void res.status(201).json(ruleView(view(req), rules.create(id(req), body(req)))),
  });
  route(`${P}/rules`, {
    GET: (req, res) => {
      const v = view(req);
      res.json(
        halList(
          v,
          'rules',
          rules.list().map((r) => ruleView(v, r)),
        ),
      );
    },
  });
  route(`${P}/rules/:id`, {
    GET: (req, res) => void res.json(ruleView(view(req), rules.get(id(req)))),
    PUT: (req, res) => void res.json(ruleView(view(req), rules.replace(id(req), body(req)))),
    DELETE: (req, res) => {
      rules.remove(id(req));
      res.status(204).end();
    },
  });
}

function mappingRoutes({ route, view, propagation }: Routes): void {
  const mappings = propagation.mappings;
  route(`${P}/rules/:id/mappings`, {
    GET: (req, res) => {
      const v = view(req);
      res.json(
        halList(
          v,
          'mappings',
          mappings.list(id(req)).map((m) => mappingView(v, m)),
        ),
      );
    },
    POST: (req, res) => void res.status(201).json(mappingView(view(req), mappings.create(id(req), body(req)))),
  });
  route(`${P}/mappings/:id`, {
    GET: (req, res) => void res.json(mappingView(view(req), mappings.get(id(req)))),
    PUT: (req, res) => void res.json(mappingView(view(req), mappings.replace(id(req), body(req)))),
    DELETE: (req, res) => {
      mappings.remove(id(req));
      res.status(204).end();
    },
  });
}

function syncRoutes({ route, view, propagation, provisioner }: Routes): void {
  // [DOC S4] "Full Resync re-sends every user"; PingOne-like path.
  route(`${P}/rules/:id/resync`, {
    POST: (req, res) => {
      const rule = propagation.rules.get(id(req));
      if (!provisioner.live(rule)) {
        throw p1Errors.invalidRequest(
          'The rule is not active (rule active, plan ACTIVE, store ACTIVE); nothing to resync.',
          'active',
        );
      }
      res.status(202).json({ rule: { id: rule.id }, queued: provisioner.resync(rule) });
    },
  });
  // [DOC S4] the rule's sync summary; PingOne-like path.
  route(`${P}/rules/:id/syncStatus`, {
    GET: (req, res) => {
      const v = view(req);
      const rule = propagation.rules.get(id(req));
      res.json({
        _links: {
          self: { href: `${v.env}/propagation/rules/${rule.id}/syncStatus` },
          users: { href: `${v.env}/propagation/rules/${rule.id}/syncStatus/users` },
        },
        rule: { id: rule.id, name: rule.name },
        ...provisioner.summary(rule),
      });
    },
  });
  route(`${P}/rules/:id/syncStatus/users`, {
    GET: (req, res) => {
      const v = view(req);
      const rule = propagation.rules.get(id(req));
      const status = req.query.status;
      if (status !== undefined && (typeof status !== 'string' || !SYNC_RESULTS.includes(status))) {
        throw p1Errors.invalidValue('status', `status must be one of ${SYNC_RESULTS.join(', ')}`);
      }
      const records = provisioner.records(rule.id).filter((r) => status === undefined || r.status === status);
      res.json(
        halList(
          v,
          'syncedUsers',
          records.map((r) => syncedRuleView(v, r)),
        ),
      );
    },
  });
}
