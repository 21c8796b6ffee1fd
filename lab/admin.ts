import { scimErrors } from '../scim/errors';
import {
  checkBearer,
  errorReply,
  jsonReply,
  noContent,
  SCIM_CONTENT_TYPE_HEADER,
  type ErrorLogger,
} from '../scim/http';
import type { Handler, Route, RouteMethod, Surface } from './http-core';
import { droppedFields, fieldPaths } from './state-file';
import { toolInfo } from './tool';
import type { Clock, Faults, Journal, JournalQuery } from './types';

export const ADMIN_REALM = 'scim-lab-admin';

export interface AdminOptions {
  adminToken: string;
  journal: Journal;
  faults: Faults;
  clock: Clock;
  /**
   * Resets the mock's own state (users, queues…). The router has already cleared the journal and faults and
   * reset the clock, which cancels every pending clock timer: re-arm any recurring timer here.
   */
  reset(): void;
  exportState(): unknown;
  /**
   * Replaces the whole state; throws a ScimError when the document is invalid. `consume`: the document is the
   * request's own, so the mock may clear its arrays as it imports them (a 100,000-user document is then collected
   * while it is imported, not after).
   */
  importState(state: unknown, options?: { consume?: boolean }): void;
  /** Body limit of `PUT /state` (body-parser syntax). Default "200mb", enough for 100k users. */
  stateBodyLimit?: string;
  /** `creator.version` of the HAR export. Default: this package's version. */
  version?: string;
  /** Adds mock-specific routes (Code42 providers and users, PingOne wait-idle), behind the admin token. */
  extend?(route: AdminRoute): void;
  /** Where unexpected errors (answered 500) are logged. Default: console.error. */
  logger?: ErrorLogger;
}

export type AdminRoute = (
  path: string,
  handlers: Partial<Record<RouteMethod, Handler>>,
  options?: { bodyLimit?: string },
) => void;

/**
 * The admin surface of a mock (docs/admin-api.md), for mounting at `/__admin` on the mock's own port,
 * before the journal middleware so that admin calls are never journaled. Every request under the mount
 * point is answered here: unknown routes get a 404 and other methods a 405, both as SCIM Error bodies.
 */
/**
 * PUT /__admin/state: a field this version does not keep would be dropped silently (issue 18), so such an import is
 * undone and refused. The previous state is held only while the import runs.
 */
function importWithoutLoss(options: AdminOptions, document: unknown): void {
  const offered = fieldPaths(document);
  const previous = options.exportState();
  options.importState(document, { consume: true });
  const dropped = droppedFields(offered, options.exportState());
  if (dropped.length === 0) return;
  options.importState(previous, { consume: true });
  throw scimErrors.invalidValue(
    `state: the document holds fields this version would drop (${dropped.join(', ')}); nothing was imported`,
  );
}

export function createAdminSurface(options: AdminOptions): Surface {
  const { journal, faults, clock } = options;
  const routes: Route[] = [];
  const route: AdminRoute = (path, handlers, routeOptions = {}) => {
    routes.push({ path, handlers, bodyLimit: routeOptions.bodyLimit });
  };

  routes.push({ path: '/health', handlers: { GET: () => jsonReply({ status: 'ok' }) }, open: true });

  route('/reset', {
    POST: () => {
      journal.clear();
      faults.clear();
      clock.reset();
      options.reset();
      return noContent();
    },
  });

  route(
    '/state',
    {
      GET: () => jsonReply(options.exportState()),
      PUT: (ctx) => {
        if (ctx.body === undefined) throw scimErrors.invalidSyntax('state: the state document (JSON) is required');
        importWithoutLoss(options, ctx.body);
        return noContent();
      },
    },
    { bodyLimit: options.stateBodyLimit ?? '200mb' },
  );

  route('/journal', {
    GET: (ctx) => jsonReply({ entries: journal.list(journalQuery(ctx.query)), dropped: journal.dropped() }),
    DELETE: () => {
      journal.clear();
      return noContent();
    },
  });

  route('/journal.har', { GET: () => jsonReply(journal.toHar(options.version ?? toolInfo().version)) });

  route('/faults', {
    GET: () => jsonReply({ faults: faults.list() }),
    POST: (ctx) => {
      const stored = faults.add(ctx.body as Parameters<Faults['add']>[0]);
      return jsonReply(faults.list().find((rule) => rule.id === stored.id) ?? stored, 201);
    },
    DELETE: () => {
      faults.clear();
      return noContent();
    },
  });

  const clockState = () => jsonReply({ now: clock.now().toISOString(), offsetMs: clock.offsetMs() });
  route('/clock', { GET: clockState });
  route('/clock/advance', {
    POST: (ctx) => {
      const ms: unknown = (ctx.body as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw scimErrors.invalidValue("clock: 'ms' must be a non-negative finite number");
      }
      clock.advance(ms);
      return clockState();
    },
  });

  options.extend?.(route);

  return {
    prefix: '/__admin',
    routes,
    // docs/admin-api.md: everything but /health needs the admin token; SCIM and API tokens are refused.
    guard: (ctx) => void checkBearer(ctx.get('authorization'), [options.adminToken], ADMIN_REALM),
    notFound: (ctx) => scimErrors.notFound(`admin: no route ${ctx.method} ${ctx.path}`),
    renderError: (err, ctx) => errorReply(err, `${ctx.method} ${ctx.path}`, { logger: options.logger }),
    contentType: SCIM_CONTENT_TYPE_HEADER,
    journaled: false,
    allowHead: true,
  };
}

const QUERY_PARAMS = ['method', 'path', 'status', 'direction', 'limit'];

/** GET /journal?method=&path=&status=&direction=&limit= → a JournalQuery; a bad parameter is a 400 naming it. */
function journalQuery(query: Readonly<Record<string, unknown>>): JournalQuery {
  const out: JournalQuery = {};
  for (const [name, value] of Object.entries(query)) {
    if (!QUERY_PARAMS.includes(name)) {
      throw scimErrors.badRequest(`journal: unknown query parameter '${name}' (allowed: ${QUERY_PARAMS.join(', ')})`);
    }
    if (typeof value !== 'string') throw scimErrors.badRequest(`journal: query parameter '${name}' must be given once`);
  }
  const { method, path, status, direction, limit } = query as Record<string, string | undefined>;
  if (method !== undefined) {
    if (!/^[A-Za-z]+$/.test(method)) throw scimErrors.badRequest("journal: 'method' must be an HTTP method name");
    out.method = method;
  }
  if (path !== undefined) out.path = path;
  if (status !== undefined) {
    if (!/^\d{1,3}$/.test(status) || Number(status) > 599) {
      throw scimErrors.badRequest("journal: 'status' must be an HTTP status (0 for no response)");
    }
    out.status = Number(status);
  }
  if (direction !== undefined) {
    if (direction !== 'inbound' && direction !== 'outbound') {
      throw scimErrors.badRequest("journal: 'direction' must be inbound or outbound");
    }
    out.direction = direction;
  }
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) {
      throw scimErrors.badRequest("journal: 'limit' must be a positive integer");
    }
    out.limit = Number(limit);
  }
  return out;
}
