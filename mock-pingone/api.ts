import type { Ctx, Handler, Route, RouteMethod, Surface } from '../lab/http-core';
import { jsonReply, noContent } from '../scim/http';
import { readJson } from './body-readers';
import { p1Errors, PINGONE_REST } from './errors';
import {
  apiBase,
  enabledView,
  environmentView,
  groupView,
  membershipView,
  syncedGroupView,
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

// The management API (PingOne Platform API shapes, S5) at /v1: a route table of thin handlers over the directory, the
// propagation configuration and the provisioner, grouped by area, served by either HTTP shell (lab/mock-site.ts). The
// HAL shapes they answer are in hal-views.ts.

export interface ApiContext {
  envId(): string;
  directory: Directory;
  propagation: Propagation;
  provisioner: Provisioner;
  /** Test Connection for a (proposed or stored) SCIM configuration. */
  testConnection(config: ScimStoreConfiguration): Promise<ConnectionCheck>;
  /** Throws the 401 PingOneError unless `authorization` carries an accepted token (tokens.ts). */
  checkApiToken(authorization: string | undefined): void;
}

type AddRoute = (path: string, handlers: Partial<Record<RouteMethod, Handler>>) => void;
/** What each group of routes gets: the parts, a way to register a route, and the view context of a request. */
interface Routes extends ApiContext {
  route: AddRoute;
  view(ctx: Ctx): ViewContext;
}

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const SYNC_RESULTS = ['SUCCESS', 'FAILED', 'UNSYNCED', 'PARTIALLY_SYNCED'];
const P = '/environments/:envId/propagation';

const ok = (body: unknown) => jsonReply(body);
const created = (body: unknown) => jsonReply(body, 201);
const body = (ctx: Ctx): unknown => {
  if (ctx.body === undefined)
    throw p1Errors.malformed('The request body must be JSON (Content-Type: application/json).');
  return ctx.body;
};
const id = (ctx: Ctx, name = 'id') => ctx.params[name];

/**
 * The management API surface. Its guard takes the API token (or an issued one), then the environment of the path: an
 * unknown environment is a 404 before anything else is looked at. A path with a route but not the method is a 405
 * naming the allowed ones in `Allow`; a path with none a 404; both in PingOne's error shape.
 */
export function createApiSurface(deps: ApiContext): Surface {
  const table: Route[] = [];
  const route: AddRoute = (path, handlers) => void table.push({ path, handlers, readBody: readJson });
  const parts = { directory: deps.directory, propagation: deps.propagation };
  const routes: Routes = { ...deps, route, view: (ctx) => viewContext(ctx, deps.envId(), parts) };

  environmentRoutes(routes);
  userRoutes(routes);
  groupRoutes(routes);
  syncedRuleRoutes(routes);
  storeRoutes(routes);
  planAndRuleRoutes(routes);
  mappingRoutes(routes);
  syncRoutes(routes);
  syncedGroupRoutes(routes);

  return {
    ...PINGONE_REST,
    prefix: '/v1',
    routes: table,
    guard: (ctx) => {
      deps.checkApiToken(ctx.get('authorization'));
      const envId = ctx.params.envId;
      if (envId !== undefined && envId !== deps.envId()) throw p1Errors.notFound('environment', envId);
    },
    journaled: true,
  };
}

function environmentRoutes({ route, view, directory }: Routes): void {
  route('/environments', {
    GET: (ctx) => ok(halList(view(ctx), 'environments', [environmentView(view(ctx))])),
  });
  route('/environments/:envId', { GET: (ctx) => ok(environmentView(view(ctx))) });
  route('/environments/:envId/populations', {
    GET: (ctx) => {
      const v = view(ctx);
      return ok(
        halList(
          v,
          'populations',
          directory.populations.list().map((p) => populationView(v, p)),
        ),
      );
    },
    POST: (ctx) => created(populationView(view(ctx), directory.populations.create(body(ctx)))),
  });
  route('/environments/:envId/populations/:id', {
    GET: (ctx) => ok(populationView(view(ctx), directory.populations.get(id(ctx)))),
    PUT: (ctx) => ok(populationView(view(ctx), directory.populations.replace(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      directory.populations.remove(id(ctx));
      return noContent();
    },
  });
}

/** S5 "Read All Users": `limit` (1–1000) and an opaque `cursor`; `_links.next` while more remain. */
function listUsers(ctx: Ctx, v: ViewContext) {
  const { filter, limit, cursor } = ctx.query;
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
  const user = (ctx: Ctx, u: Parameters<typeof userView>[0]) => userView(u, envId(), apiBase(ctx));
  route('/environments/:envId/users', {
    GET: (ctx) => ok(listUsers(ctx, view(ctx))),
    POST: (ctx) => created(user(ctx, directory.users.create(body(ctx)))),
  });
  route('/environments/:envId/users/:id', {
    GET: (ctx) => ok(user(ctx, directory.users.get(id(ctx)))),
    PUT: (ctx) => ok(user(ctx, directory.users.replace(id(ctx), body(ctx)))),
    PATCH: (ctx) => ok(user(ctx, directory.users.patch(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      directory.users.remove(id(ctx));
      return noContent();
    },
  });
  route('/environments/:envId/users/:id/enabled', {
    GET: (ctx) => ok(enabledView(view(ctx), id(ctx))),
    PUT: (ctx) => {
      directory.users.setEnabled(id(ctx), body(ctx));
      return ok(enabledView(view(ctx), id(ctx)));
    },
  });
  route('/environments/:envId/users/:id/population', {
    GET: (ctx) => {
      const found = directory.users.get(id(ctx));
      return ok(populationView(view(ctx), directory.populations.get(found.population.id)));
    },
    PUT: (ctx) => {
      const changed = directory.users.setPopulation(id(ctx), body(ctx));
      return ok(populationView(view(ctx), directory.populations.get(changed.population.id)));
    },
  });
}

function syncedRuleRoutes({ route, view, directory, propagation, provisioner }: Routes): void {
  route('/environments/:envId/users/:id/syncedRules', {
    GET: (ctx) => {
      const v = view(ctx);
      const user = directory.users.get(id(ctx));
      return ok(
        halList(
          v,
          'syncedRules',
          provisioner.recordsOfUser(user.id).map((r) => syncedRuleView(v, r)),
        ),
      );
    },
  });
  route('/environments/:envId/users/:id/syncedRules/:ruleId', {
    GET: (ctx) => {
      const user = directory.users.get(id(ctx));
      const rule = propagation.rules.get(id(ctx, 'ruleId'));
      const record = provisioner.record(rule.id, user.id);
      if (!record) throw p1Errors.notFound('synced rule for this user', rule.id);
      return ok(syncedRuleView(view(ctx), record));
    },
  });
}

function storeRoutes({ route, view, propagation, testConnection }: Routes): void {
  const stores = propagation.stores;
  route(`${P}/stores`, {
    GET: (ctx) => {
      const v = view(ctx);
      return ok(
        halList(
          v,
          'stores',
          stores.list().map((s) => storeView(v, s)),
        ),
      );
    },
    POST: (ctx) => created(storeView(view(ctx), stores.create(body(ctx)))),
  });
  // S5 "Test Connection Configuration": a prospective check of a proposed configuration.
  route(`${P}/stores/connection/status`, {
    POST: async (ctx) => {
      const input = body(ctx) as { type?: unknown; configuration?: unknown };
      if (String(input?.type ?? '').toLowerCase() !== 'scim') {
        throw p1Errors.invalidValue('type', 'Test Connection is available for stores of type scim');
      }
      const { configuration } = parseScimConfiguration(input.configuration);
      return ok(await testConnection(configuration));
    },
  });
  route(`${P}/stores/:id`, {
    GET: (ctx) => ok(storeView(view(ctx), stores.get(id(ctx)))),
    PUT: (ctx) => ok(storeView(view(ctx), stores.replace(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      stores.remove(id(ctx));
      return noContent();
    },
  });
  // PingOne-like: Test Connection of a saved store (the console's button).
  route(`${P}/stores/:id/connection/status`, {
    POST: async (ctx) => {
      const store = stores.get(id(ctx));
      if (!store.configuration)
        throw p1Errors.invalidValue('type', 'Test Connection is available for stores of type scim');
      return ok(await testConnection(store.configuration));
    },
  });
}

function planAndRuleRoutes({ route, view, propagation }: Routes): void {
  const { plans, rules } = propagation;
  route(`${P}/plans`, {
    GET: (ctx) => {
      const v = view(ctx);
      return ok(
        halList(
          v,
          'plans',
          plans.list().map((x) => planView(v, x)),
        ),
      );
    },
    POST: (ctx) => created(planView(view(ctx), plans.create(body(ctx)))),
  });
  route(`${P}/plans/:id`, {
    GET: (ctx) => ok(planView(view(ctx), plans.get(id(ctx)))),
    PUT: (ctx) => ok(planView(view(ctx), plans.replace(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      plans.remove(id(ctx));
      return noContent();
    },
  });
  route(`${P}/plans/:id/rules`, {
    GET: (ctx) => {
      const v = view(ctx);
      plans.get(id(ctx));
      return ok(
        halList(
          v,
          'rules',
          rules.list(id(ctx)).map((r) => ruleView(v, r)),
        ),
      );
    },
    POST: (ctx) => created(ruleView(view(ctx), rules.create(id(ctx), body(ctx)))),
  });
  route(`${P}/rules`, {
    GET: (ctx) => {
      const v = view(ctx);
      return ok(
        halList(
          v,
          'rules',
          rules.list().map((r) => ruleView(v, r)),
        ),
      );
    },
  });
  route(`${P}/rules/:id`, {
    GET: (ctx) => ok(ruleView(view(ctx), rules.get(id(ctx)))),
    PUT: (ctx) => ok(ruleView(view(ctx), rules.replace(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      rules.remove(id(ctx));
      return noContent();
    },
  });
}

function mappingRoutes({ route, view, propagation }: Routes): void {
  const mappings = propagation.mappings;
  route(`${P}/rules/:id/mappings`, {
    GET: (ctx) => {
      const v = view(ctx);
      return ok(
        halList(
          v,
          'mappings',
          mappings.list(id(ctx)).map((m) => mappingView(v, m)),
        ),
      );
    },
    POST: (ctx) => created(mappingView(view(ctx), mappings.create(id(ctx), body(ctx)))),
  });
  route(`${P}/mappings/:id`, {
    GET: (ctx) => ok(mappingView(view(ctx), mappings.get(id(ctx)))),
    PUT: (ctx) => ok(mappingView(view(ctx), mappings.replace(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      mappings.remove(id(ctx));
      return noContent();
    },
  });
}

function syncRoutes({ route, view, propagation, provisioner }: Routes): void {
  // [DOC S4] "Full Resync re-sends every user"; PingOne-like path.
  route(`${P}/rules/:id/resync`, {
    POST: (ctx) => {
      const rule = propagation.rules.get(id(ctx));
      if (!provisioner.live(rule)) {
        throw p1Errors.invalidRequest(
          'The rule is not active (rule active, plan ACTIVE, store ACTIVE); nothing to resync.',
          'active',
        );
      }
      return jsonReply({ rule: { id: rule.id }, queued: provisioner.resync(rule) }, 202);
    },
  });
  // [DOC S4] the rule's sync summary; PingOne-like path.
  route(`${P}/rules/:id/syncStatus`, {
    GET: (ctx) => {
      const v = view(ctx);
      const rule = propagation.rules.get(id(ctx));
      return ok({
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
    GET: (ctx) => {
      const v = view(ctx);
      const rule = propagation.rules.get(id(ctx));
      const status = ctx.query.status;
      if (status !== undefined && (typeof status !== 'string' || !SYNC_RESULTS.includes(status))) {
        throw p1Errors.invalidValue('status', `status must be one of ${SYNC_RESULTS.join(', ')}`);
      }
      const records = provisioner.records(rule.id).filter((r) => status === undefined || r.status === status);
      return ok(
        halList(
          v,
          'syncedUsers',
          records.map((r) => syncedRuleView(v, r)),
        ),
      );
    },
  });
}

/** S5 "Groups" and "Group Membership" (`memberOfGroups`, as PingOne names the user's side). */
function groupRoutes({ route, view, directory }: Routes): void {
  const groups = directory.groups;
  route('/environments/:envId/groups', {
    GET: (ctx) => {
      const v = view(ctx);
      return ok(
        halList(
          v,
          'groups',
          groups.list().map((g) => groupView(v, g)),
        ),
      );
    },
    POST: (ctx) => created(groupView(view(ctx), groups.create(body(ctx)))),
  });
  route('/environments/:envId/groups/:id', {
    GET: (ctx) => ok(groupView(view(ctx), groups.get(id(ctx)))),
    PUT: (ctx) => ok(groupView(view(ctx), groups.replace(id(ctx), body(ctx)))),
    DELETE: (ctx) => {
      groups.remove(id(ctx));
      return noContent();
    },
  });
  route('/environments/:envId/users/:id/memberOfGroups', {
    GET: (ctx) => {
      const v = view(ctx);
      const list = groups.groupsOf(id(ctx)).map((g) => membershipView(v, id(ctx), g));
      return ok(halList(v, 'groupMemberships', list));
    },
    POST: (ctx) => created(membershipView(view(ctx), id(ctx), groups.addMember(id(ctx), body(ctx)))),
  });
  route('/environments/:envId/users/:id/memberOfGroups/:groupId', {
    GET: (ctx) => {
      const group = groups.get(id(ctx, 'groupId'));
      if (!groups.members(group.id).includes(directory.users.get(id(ctx)).id)) {
        throw p1Errors.notFound('group membership for this user', group.id);
      }
      return ok(membershipView(view(ctx), id(ctx), group));
    },
    DELETE: (ctx) => {
      groups.removeMember(id(ctx), id(ctx, 'groupId'));
      return noContent();
    },
  });
}

/** S5 "Read All Synced Groups for a Rule", "Read One Synced Group for a Rule", "Read One Synced Rule for a Group". */
function syncedGroupRoutes({ route, view, directory, propagation, provisioner }: Routes): void {
  const record = (ruleId: string, groupId: string) => {
    const found = provisioner.groupRecord(ruleId, groupId);
    if (!found) throw p1Errors.notFound('synced group for this rule', groupId);
    return found;
  };
  route(`${P}/rules/:id/syncedGroups`, {
    GET: (ctx) => {
      const v = view(ctx);
      const rule = propagation.rules.get(id(ctx));
      return ok(
        halList(
          v,
          'syncedGroups',
          provisioner.groupRecords(rule.id).map((r) => syncedGroupView(v, r)),
        ),
      );
    },
  });
  route(`${P}/rules/:id/syncedGroups/:groupId`, {
    GET: (ctx) => ok(syncedGroupView(view(ctx), record(propagation.rules.get(id(ctx)).id, id(ctx, 'groupId')))),
  });
  route('/environments/:envId/groups/:id/syncedRules/:ruleId', {
    GET: (ctx) => {
      const group = directory.groups.get(id(ctx));
      const rule = propagation.rules.get(id(ctx, 'ruleId'));
      return ok(syncedGroupView(view(ctx), record(rule.id, group.id)));
    },
  });
}
