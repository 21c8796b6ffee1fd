import express from 'express';
import type { Request, RequestHandler, Router } from 'express';
import { p1Errors, PingOneError } from './errors';
import { verifyUtf8 } from '../scim/express';
import type { Directory } from './directory';
import type {
  Population,
  PropagationMapping,
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  ScimStoreConfiguration,
  UserSyncRecord,
} from './model';
import { maskedConfiguration, parseScimConfiguration } from './propagation';
import type { Propagation } from './propagation';
import type { Provisioner } from './provisioner';
import type { ConnectionCheck } from './test-connection';
import { userView } from './users';

// The management API (PingOne Platform API shapes, S5): thin handlers over the directory, the
// propagation configuration and the provisioner. Lists are HAL: `_links`, `_embedded.<plural>`, `count`, `size`.

export interface ApiContext {
  envId(): string;
  directory: Directory;
  propagation: Propagation;
  provisioner: Provisioner;
  /** Test Connection for a (proposed or stored) SCIM configuration. */
  testConnection(config: ScimStoreConfiguration): Promise<ConnectionCheck>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const JSON_TYPES = ['application/json', 'application/*+json'];
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

/** `<scheme>://<host>/v1`, the base of every `_links` href. */
const apiBase = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}/v1`;

export function createApiRouter(ctx: ApiContext): Router {
  const router = express.Router({ mergeParams: true });
  const { directory, propagation, provisioner } = ctx;
  const env = () => ctx.envId();

  router.use(express.json({ type: JSON_TYPES, limit: '1mb', verify: verifyUtf8 })); // issue 18: UTF-8 only
  router.param('envId', (req, _res, next, id: string) => {
    next(id === env() ? undefined : p1Errors.notFound('environment', id));
  });

  const route = (path: string, handlers: Partial<Record<Method, RequestHandler>>) => {
    const chain = router.route(path);
    for (const [method, handler] of Object.entries(handlers)) chain[method.toLowerCase() as Lowercase<Method>](handler);
    const allow = Object.keys(handlers).join(', ');
    chain.all((req, res, next) => {
      res.set('Allow', allow);
      next(new PingOneError(405, 'INVALID_REQUEST', `${req.method} is not allowed here (allowed: ${allow}).`));
    });
  };

  const body = (req: Request): unknown => {
    if (req.body === undefined)
      throw p1Errors.malformed('The request body must be JSON (Content-Type: application/json).');
    return req.body;
  };

  const e = (req: Request) => `${apiBase(req)}/environments/${env()}`;
  const hal = (req: Request, key: string, items: unknown[], extra: { count?: number; next?: string } = {}) => ({
    _links: {
      self: { href: `${apiBase(req)}${req.originalUrl.replace(/^\/v1/, '')}` },
      ...(extra.next !== undefined && { next: { href: extra.next } }),
    },
    _embedded: { [key]: items },
    count: extra.count ?? items.length,
    size: items.length,
  });

  // ---------------------------------------------------------------------------------------------
  // Views

  const environmentView = (req: Request) => {
    const environment = directory.environment();
    return { _links: { self: { href: e(req) } }, ...environment };
  };
  const populationView = (req: Request, p: Population) => ({
    _links: { self: { href: `${e(req)}/populations/${p.id}` }, environment: { href: e(req) } },
    id: p.id,
    environment: { id: env() },
    name: p.name,
    ...(p.description !== undefined && { description: p.description }),
    default: p.default,
    userCount: directory.populations.userCount(p.id),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  });
  const storeView = (req: Request, s: PropagationStore) => ({
    _links: { self: { href: `${e(req)}/propagation/stores/${s.id}` }, environment: { href: e(req) } },
    id: s.id,
    environment: { id: env() },
    type: s.type,
    name: s.name,
    ...(s.description !== undefined && { description: s.description }),
    status: s.status,
    managed: s.managed,
    ...(s.configuration && { configuration: maskedConfiguration(s, propagation.stores.extras(s.id)) }),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  });
  const planView = (req: Request, p: PropagationPlan) => ({
    _links: { self: { href: `${e(req)}/propagation/plans/${p.id}` }, environment: { href: e(req) } },
    id: p.id,
    environment: { id: env() },
    name: p.name,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  });
  const ruleView = (req: Request, r: PropagationRule) => ({
    _links: {
      self: { href: `${e(req)}/propagation/rules/${r.id}` },
      environment: { href: e(req) },
      mappings: { href: `${e(req)}/propagation/rules/${r.id}/mappings` },
      syncStatus: { href: `${e(req)}/propagation/rules/${r.id}/syncStatus` },
    },
    id: r.id,
    environment: { id: env() },
    plan: r.plan,
    name: r.name,
    ...(r.description !== undefined && { description: r.description }),
    active: r.active,
    sourceStore: r.sourceStore,
    targetStore: r.targetStore,
    populationExpression: r.populationExpression,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
  const mappingView = (req: Request, m: PropagationMapping) => ({
    _links: { self: { href: `${e(req)}/propagation/mappings/${m.id}` }, environment: { href: e(req) } },
    id: m.id,
    environment: { id: env() },
    rule: m.rule,
    sourceAttribute: m.sourceAttribute,
    targetAttribute: m.targetAttribute,
    attributeMappingType: m.attributeMappingType,
    ...(m.errata && { errata: m.errata }),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  });
  /** S5 "Read One Synced Rule for a User", plus the mock's lastAction, trigger, targetId and attempts. */
  const syncedRuleView = (req: Request, record: UserSyncRecord) => {
    const rule = propagation.rules.get(record.ruleId);
    const store = (id: string) => {
      const s = propagation.stores.get(id);
      return { id: s.id, name: s.name, type: s.type };
    };
    return {
      _links: {
        self: { href: `${e(req)}/users/${record.userId}/syncedRules/${record.ruleId}` },
        environment: { href: e(req) },
      },
      rule: { id: rule.id, name: rule.name },
      sourceStore: store(rule.sourceStore.id),
      targetStore: store(rule.targetStore.id),
      environment: { id: env() },
      user: { id: record.userId, username: record.username },
      type: 'OUTBOUND',
      status: record.status,
      lastAction: record.lastAction,
      trigger: record.trigger,
      details: record.details,
      ...(record.targetId !== undefined && { targetId: record.targetId }),
      attempts: record.attempts,
      lastSyncAt: record.lastSyncAt,
    };
  };

  // ---------------------------------------------------------------------------------------------
  // Environments and populations

  route('/environments', { GET: (req, res) => void res.json(hal(req, 'environments', [environmentView(req)])) });
  route('/environments/:envId', { GET: (req, res) => void res.json(environmentView(req)) });

  route('/environments/:envId/populations', {
    GET: (req, res) =>
      void res.json(
        hal(
          req,
          'populations',
          directory.populations.list().map((p) => populationView(req, p)),
        ),
      ),
    POST: (req, res) => void res.status(201).json(populationView(req, directory.populations.create(body(req)))),
  });
  route('/environments/:envId/populations/:id', {
    GET: (req, res) => void res.json(populationView(req, directory.populations.get(req.params.id as string))),
    PUT: (req, res) =>
      void res.json(populationView(req, directory.populations.replace(req.params.id as string, body(req)))),
    DELETE: (req, res) => {
      directory.populations.remove(req.params.id as string);
      res.status(204).end();
    },
  });

  // ---------------------------------------------------------------------------------------------
  // Users

  route('/environments/:envId/users', {
    GET: (req, res) => {
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
      const all = directory.users.list(filter as string | undefined);
      const page = all.slice(offset, offset + size);
      let next: string | undefined;
      if (offset + size < all.length) {
        const params = new URLSearchParams({
          ...(filter !== undefined && { filter: filter as string }),
          limit: String(size),
        });
        params.set('cursor', Buffer.from(String(offset + size)).toString('base64url'));
        next = `${e(req)}/users?${params}`;
      }
      res.json(
        hal(
          req,
          'users',
          page.map((u) => userView(u, env(), apiBase(req))),
          { count: all.length, next },
        ),
      );
    },
    POST: (req, res) => void res.status(201).json(userView(directory.users.create(body(req)), env(), apiBase(req))),
  });
  route('/environments/:envId/users/:id', {
    GET: (req, res) => void res.json(userView(directory.users.get(req.params.id as string), env(), apiBase(req))),
    PUT: (req, res) =>
      void res.json(userView(directory.users.replace(req.params.id as string, body(req)), env(), apiBase(req))),
    PATCH: (req, res) =>
      void res.json(userView(directory.users.patch(req.params.id as string, body(req)), env(), apiBase(req))),
    DELETE: (req, res) => {
      directory.users.remove(req.params.id as string);
      res.status(204).end();
    },
  });
  const enabledView = (req: Request, id: string) => ({
    _links: { self: { href: `${e(req)}/users/${id}/enabled` }, user: { href: `${e(req)}/users/${id}` } },
    enabled: directory.users.get(id).enabled,
  });
  route('/environments/:envId/users/:id/enabled', {
    GET: (req, res) => void res.json(enabledView(req, req.params.id as string)),
    PUT: (req, res) => {
      directory.users.setEnabled(req.params.id as string, body(req));
      res.json(enabledView(req, req.params.id as string));
    },
  });
  route('/environments/:envId/users/:id/population', {
    GET: (req, res) => {
      const user = directory.users.get(req.params.id as string);
      res.json(populationView(req, directory.populations.get(user.population.id)));
    },
    PUT: (req, res) => {
      const user = directory.users.setPopulation(req.params.id as string, body(req));
      res.json(populationView(req, directory.populations.get(user.population.id)));
    },
  });
  route('/environments/:envId/users/:id/syncedRules', {
    GET: (req, res) => {
      const user = directory.users.get(req.params.id as string);
      res.json(
        hal(
          req,
          'syncedRules',
          provisioner.recordsOfUser(user.id).map((r) => syncedRuleView(req, r)),
        ),
      );
    },
  });
  route('/environments/:envId/users/:id/syncedRules/:ruleId', {
    GET: (req, res) => {
      const user = directory.users.get(req.params.id as string);
      const rule = propagation.rules.get(req.params.ruleId as string);
      const record = provisioner.record(rule.id, user.id);
      if (!record) throw p1Errors.notFound('synced rule for this user', rule.id);
      res.json(syncedRuleView(req, record));
    },
  });

  // ---------------------------------------------------------------------------------------------
  // Identity propagation

  const p = '/environments/:envId/propagation';
  route(`${p}/stores`, {
    GET: (req, res) =>
      void res.json(
        hal(
          req,
          'stores',
          propagation.stores.list().map((s) => storeView(req, s)),
        ),
      ),
    POST: (req, res) => void res.status(201).json(storeView(req, propagation.stores.create(body(req)))),
  });
  // S5 "Test Connection Configuration": a prospective check of a proposed configuration.
  route(`${p}/stores/connection/status`, {
    POST: async (req, res) => {
      const input = body(req) as { type?: unknown; configuration?: unknown };
      if (String(input?.type ?? '').toLowerCase() !== 'scim') {
        throw p1Errors.invalidValue('type', 'Test Connection is available for stores of type scim');
      }
      const { configuration } = parseScimConfiguration(input.configuration);
      res.json(await ctx.testConnection(configuration));
    },
  });
  route(`${p}/stores/:id`, {
    GET: (req, res) => void res.json(storeView(req, propagation.stores.get(req.params.id as string))),
    PUT: (req, res) => void res.json(storeView(req, propagation.stores.replace(req.params.id as string, body(req)))),
    DELETE: (req, res) => {
      propagation.stores.remove(req.params.id as string);
      res.status(204).end();
    },
  });
  // PingOne-like: Test Connection of a saved store (the console's button).
  route(`${p}/stores/:id/connection/status`, {
    POST: async (req, res) => {
      const store = propagation.stores.get(req.params.id as string);
      if (!store.configuration)
        throw p1Errors.invalidValue('type', 'Test Connection is available for stores of type scim');
      res.json(await ctx.testConnection(store.configuration));
    },
  });

  route(`${p}/plans`, {
    GET: (req, res) =>
      void res.json(
        hal(
          req,
          'plans',
          propagation.plans.list().map((x) => planView(req, x)),
        ),
      ),
    POST: (req, res) => void res.status(201).json(planView(req, propagation.plans.create(body(req)))),
  });
  route(`${p}/plans/:id`, {
    GET: (req, res) => void res.json(planView(req, propagation.plans.get(req.params.id as string))),
    PUT: (req, res) => void res.json(planView(req, propagation.plans.replace(req.params.id as string, body(req)))),
    DELETE: (req, res) => {
      propagation.plans.remove(req.params.id as string);
      res.status(204).end();
    },
  });
  route(`${p}/plans/:id/rules`, {
    GET: (req, res) => {
      propagation.plans.get(req.params.id as string);
      res.json(
        hal(
          req,
          'rules',
          propagation.rules.list(req.params.id as string).map((r) => ruleView(req, r)),
        ),
      );
    },
    POST: (req, res) =>
      void res.status(201).json(ruleView(req, propagation.rules.create(req.params.id as string, body(req)))),
  });
  route(`${p}/rules`, {
    GET: (req, res) =>
      void res.json(
        hal(
          req,
          'rules',
          propagation.rules.list().map((r) => ruleView(req, r)),
        ),
      ),
  });
  route(`${p}/rules/:id`, {
    GET: (req, res) => void res.json(ruleView(req, propagation.rules.get(req.params.id as string))),
    PUT: (req, res) => void res.json(ruleView(req, propagation.rules.replace(req.params.id as string, body(req)))),
    DELETE: (req, res) => {
      propagation.rules.remove(req.params.id as string);
      res.status(204).end();
    },
  });
  route(`${p}/rules/:id/mappings`, {
    GET: (req, res) =>
      void res.json(
        hal(
          req,
          'mappings',
          propagation.mappings.list(req.params.id as string).map((m) => mappingView(req, m)),
        ),
      ),
    POST: (req, res) =>
      void res.status(201).json(mappingView(req, propagation.mappings.create(req.params.id as string, body(req)))),
  });
  route(`${p}/mappings/:id`, {
    GET: (req, res) => void res.json(mappingView(req, propagation.mappings.get(req.params.id as string))),
    PUT: (req, res) =>
      void res.json(mappingView(req, propagation.mappings.replace(req.params.id as string, body(req)))),
    DELETE: (req, res) => {
      propagation.mappings.remove(req.params.id as string);
      res.status(204).end();
    },
  });
  // [DOC S4] "Full Resync re-sends every user"; PingOne-like path.
  route(`${p}/rules/:id/resync`, {
    POST: (req, res) => {
      const rule = propagation.rules.get(req.params.id as string);
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
  route(`${p}/rules/:id/syncStatus`, {
    GET: (req, res) => {
      const rule = propagation.rules.get(req.params.id as string);
      res.json({
        _links: {
          self: { href: `${e(req)}/propagation/rules/${rule.id}/syncStatus` },
          users: { href: `${e(req)}/propagation/rules/${rule.id}/syncStatus/users` },
        },
        rule: { id: rule.id, name: rule.name },
        ...provisioner.summary(rule),
      });
    },
  });
  route(`${p}/rules/:id/syncStatus/users`, {
    GET: (req, res) => {
      const rule = propagation.rules.get(req.params.id as string);
      const status = req.query.status;
      const statuses = ['SUCCESS', 'FAILED', 'UNSYNCED', 'PARTIALLY_SYNCED'];
      if (status !== undefined && (typeof status !== 'string' || !statuses.includes(status))) {
        throw p1Errors.invalidValue('status', `status must be one of ${statuses.join(', ')}`);
      }
      const records = provisioner.records(rule.id).filter((r) => status === undefined || r.status === status);
      res.json(
        hal(
          req,
          'syncedUsers',
          records.map((r) => syncedRuleView(req, r)),
        ),
      );
    },
  });

  router.use((req, _res, next) => next(p1Errors.noRoute(req.method, req.originalUrl.split('?')[0])));
  return router;
}
