import express from 'express';
import type { RequestHandler, Router } from 'express';
import { scimErrors } from '../scim/errors';
import { methodNotAllowed, scimErrorHandler, scimJsonParser, type ErrorLogger } from '../scim/express';
import { requireBearer } from './auth';
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
  /**
   * Adds mock-specific routes (Code42 providers and users, PingOne wait-idle). They sit behind the admin
   * token. Register them with `route()` to get JSON bodies and 405 answers for other methods.
   */
  extend?(router: Router, route: AdminRoute): void;
  /** Where unexpected errors (answered 500) are logged. Default: console.error. */
  logger?: ErrorLogger;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
export type AdminRoute = (
  path: string,
  handlers: Partial<Record<Method, RequestHandler>>,
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

export function createAdminRouter(options: AdminOptions): Router {
  const { journal, faults, clock } = options;
  const router = express.Router();

  const route: AdminRoute = (path, handlers, routeOptions = {}) => {
    const allow = Object.keys(handlers);
    if (allow.includes('GET')) allow.push('HEAD');
    const json = scimJsonParser({ limit: routeOptions.bodyLimit ?? '1mb' });
    const chain = router.route(path);
    for (const [method, handler] of Object.entries(handlers)) {
      chain[method.toLowerCase() as Lowercase<Method>](json, handler);
    }
    chain.all(methodNotAllowed(allow.join(', ')));
  };

  route('/health', { GET: (_req, res) => void res.json({ status: 'ok' }) });

  // docs/admin-api.md: everything but /health needs the admin token; SCIM and API tokens are refused.
  router.use(requireBearer(options.adminToken, ADMIN_REALM));

  route('/reset', {
    POST: (_req, res) => {
      journal.clear();
      faults.clear();
      clock.reset();
      options.reset();
      res.status(204).end();
    },
  });

  route(
    '/state',
    {
      GET: (_req, res) => void res.json(options.exportState()),
      PUT: (req, res) => {
        if (req.body === undefined) throw scimErrors.invalidSyntax('state: the state document (JSON) is required');
        importWithoutLoss(options, req.body);
        res.status(204).end();
      },
    },
    { bodyLimit: options.stateBodyLimit ?? '200mb' },
  );

  route('/journal', {
    GET: (req, res) => {
      const query = journalQuery(req.query);
      res.json({ entries: journal.list(query), dropped: journal.dropped() });
    },
    DELETE: (_req, res) => {
      journal.clear();
      res.status(204).end();
    },
  });

  route('/journal.har', { GET: (_req, res) => void res.json(journal.toHar(options.version ?? toolInfo().version)) });

  route('/faults', {
    GET: (_req, res) => void res.json({ faults: faults.list() }),
    POST: (req, res) => {
      const stored = faults.add(req.body);
      res.status(201).json(faults.list().find((rule) => rule.id === stored.id) ?? stored);
    },
    DELETE: (_req, res) => {
      faults.clear();
      res.status(204).end();
    },
  });

  const clockState = () => ({ now: clock.now().toISOString(), offsetMs: clock.offsetMs() });
  route('/clock', { GET: (_req, res) => void res.json(clockState()) });
  route('/clock/advance', {
    POST: (req, res) => {
      const ms: unknown = (req.body as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw scimErrors.invalidValue("clock: 'ms' must be a non-negative finite number");
      }
      clock.advance(ms);
      res.json(clockState());
    },
  });

  options.extend?.(router, route);

  router.use((req, _res, next) => next(scimErrors.notFound(`admin: no route ${req.method} ${req.baseUrl}${req.path}`)));
  router.use(scimErrorHandler({ logger: options.logger }));
  return router;
}

const QUERY_PARAMS = ['method', 'path', 'status', 'direction', 'limit'];

/** GET /journal?method=&path=&status=&direction=&limit= → a JournalQuery; a bad parameter is a 400 naming it. */
function journalQuery(query: Record<string, unknown>): JournalQuery {
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
