import { randomUUID } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { listen, selfSignedCertificate } from '../../lab/listen';
import type { Listening } from '../../lab/types';
import { URN } from '../../scim/urns';
import { addGroupRoutes } from './scim-target-groups';
import type { ScimGroup } from './scim-target-groups';

export type { ScimGroup } from './scim-target-groups';

// A small recording SCIM 2.0 target for the provisioner's tests: the "foreign server" PingOne talks to.
// It knows just enough SCIM: Users CRUD, Groups (scim-target-groups.ts), `attr eq "value"` filters (JSON-string decoded), PATCH replace,
// a configurable refusal of DELETE, and failures programmed per method and path.

export type ScimUser = Record<string, unknown> & { id: string; userName: string };

export interface TargetRequest {
  method: string;
  /** Path after the base path, e.g. `/Users/123`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** Date.now() when it arrived. */
  time: number;
}

export interface TargetFailure {
  method?: string;
  /** Matches the path after the base path: a RegExp, or a string prefix. */
  path?: RegExp | string;
  status: number;
  headers?: Record<string, string>;
  /** Default: an RFC 7644 §3.12 Error body. */
  body?: unknown;
  /** How many matching requests fail; default every one. */
  times?: number;
  /** Hold the request this long first; with `status` 0 it then goes on to the real handler. */
  delayMs?: number;
}

export interface ScimTargetOptions {
  auth?: 'bearer' | 'basic' | 'none';
  token?: string;
  basic?: { username: string; password: string };
  /** 204 deletes; anything else refuses with that status and a SCIM Error (Code42: "doesn't support user deletion"). */
  deleteStatus?: number;
  /** Serve HTTPS with a self-signed certificate (exposed as `cert`). */
  tls?: boolean;
}

export interface ScimTarget {
  /** The SCIM base URL, e.g. http://127.0.0.1:P/scim/v2. */
  url: string;
  token: string;
  cert?: string;
  users: Map<string, ScimUser>;
  /** /Groups (scim-target-groups.ts). */
  groups: Map<string, ScimGroup>;
  requests: TargetRequest[];
  /** The most requests the target was handling at the same time. */
  maxInFlight(): number;
  byUserName(userName: string): ScimUser | undefined;
  /** Puts a user straight into the target (e.g. one created before provisioning started). */
  seed(user: Omit<ScimUser, 'id'> & { id?: string }): ScimUser;
  fail(failure: TargetFailure): void;
  clearFailures(): void;
  close(): Promise<void>;
}

const BASE = '/scim/v2';
const FILTER = /^\s*([A-Za-z][\w.]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

function scimError(res: Response, status: number, detail: string, scimType?: string): void {
  res
    .status(status)
    .type('application/scim+json')
    .send(JSON.stringify({ schemas: [URN.Error], status: String(status), detail, ...(scimType && { scimType }) }));
}

// eslint-disable-next-line max-lines-per-function -- a test double's whole route table, read top to bottom: each route is a few lines and shares the users and failures above it.
export async function startScimTarget(options: ScimTargetOptions = {}): Promise<ScimTarget> {
  const auth = options.auth ?? 'bearer';
  const token = options.token ?? randomUUID();
  const users = new Map<string, ScimUser>();
  const groups = new Map<string, ScimGroup>();
  const requests: TargetRequest[] = [];
  let failures: (TargetFailure & { left: number })[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const byUserName = (userName: string) =>
    [...users.values()].find((u) => u.userName.toLowerCase() === userName.toLowerCase());

  const app = express();
  app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
  app.use(BASE, async (req: Request, res: Response, next: NextFunction) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    requests.push({
      method: req.method,
      path: req.path,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: req.body,
      time: Date.now(),
    });
    const authorization = req.get('authorization') ?? '';
    if (auth === 'bearer' && authorization !== `Bearer ${token}`)
      return scimError(res, 401, 'invalid or missing bearer token');
    if (auth === 'basic') {
      const expected = Buffer.from(`${options.basic?.username}:${options.basic?.password}`).toString('base64');
      if (authorization !== `Basic ${expected}`) return scimError(res, 401, 'invalid basic credentials');
    }
    const failure = failures.find(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method.toUpperCase() === req.method) &&
        (f.path === undefined || (typeof f.path === 'string' ? req.path.startsWith(f.path) : f.path.test(req.path))),
    );
    if (failure) {
      failure.left--;
      if (failure.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      if (failure.status === 0) return next();
      res.status(failure.status).set(failure.headers ?? {});
      if (failure.body !== undefined) return void res.send(failure.body);
      return scimError(res, failure.status, `programmed failure ${failure.status}`);
    }
    next();
  });

  const send = (res: Response, status: number, body: unknown) =>
    void res.status(status).type('application/scim+json').send(JSON.stringify(body));
  const stamp = (user: ScimUser, created?: string): ScimUser => {
    const now = new Date().toISOString();
    return { ...user, meta: { resourceType: 'User', created: created ?? now, lastModified: now } };
  };

  app.get(`${BASE}/ServiceProviderConfig`, (_req, res) =>
    send(res, 200, {
      schemas: [URN.ServiceProviderConfig],
      patch: { supported: true },
      filter: { supported: true, maxResults: 100 },
    }),
  );

  app.get(`${BASE}/Users`, (req, res) => {
    let found = [...users.values()];
    if (req.query.filter !== undefined) {
      const match = FILTER.exec(String(req.query.filter));
      if (!match) return scimError(res, 400, `unsupported filter: ${String(req.query.filter)}`, 'invalidFilter');
      let value: string;
      try {
        value = JSON.parse(match[2]) as string;
      } catch {
        return scimError(res, 400, `bad string in filter: ${match[2]}`, 'invalidFilter');
      }
      const attr = match[1].toLowerCase();
      if (attr === 'username') found = found.filter((u) => u.userName.toLowerCase() === value.toLowerCase());
      else if (attr === 'externalid') found = found.filter((u) => u.externalId === value);
      else if (attr === 'id') found = found.filter((u) => u.id === value);
      else return scimError(res, 400, `cannot filter on ${match[1]}`, 'invalidFilter');
    }
    send(res, 200, {
      schemas: [URN.ListResponse],
      totalResults: found.length,
      startIndex: 1,
      itemsPerPage: found.length,
      Resources: found,
    });
  });

  app.get(`${BASE}/Users/:id`, (req, res) => {
    const user = users.get(req.params.id);
    if (!user) return scimError(res, 404, `no user ${req.params.id}`);
    send(res, 200, user);
  });

  app.post(`${BASE}/Users`, (req, res) => {
    const body = req.body as Partial<ScimUser> | undefined;
    if (!body || typeof body.userName !== 'string') return scimError(res, 400, 'userName is required', 'invalidValue');
    if (byUserName(body.userName)) return scimError(res, 409, `userName ${body.userName} already exists`, 'uniqueness');
    const user = stamp({ ...body, id: randomUUID(), userName: body.userName } as ScimUser);
    users.set(user.id, user);
    send(res, 201, user);
  });

  app.put(`${BASE}/Users/:id`, (req, res) => {
    const current = users.get(req.params.id);
    if (!current) return scimError(res, 404, `no user ${req.params.id}`);
    const body = req.body as Partial<ScimUser> | undefined;
    if (!body || typeof body.userName !== 'string') return scimError(res, 400, 'userName is required', 'invalidValue');
    const other = byUserName(body.userName);
    if (other && other.id !== current.id)
      return scimError(res, 409, `userName ${body.userName} already exists`, 'uniqueness');
    const user = stamp(
      { ...body, id: current.id, userName: body.userName } as ScimUser,
      (current.meta as { created: string }).created,
    );
    users.set(user.id, user);
    send(res, 200, user);
  });

  app.patch(`${BASE}/Users/:id`, (req, res) => {
    const current = users.get(req.params.id);
    if (!current) return scimError(res, 404, `no user ${req.params.id}`);
    const ops = (req.body as { Operations?: { op: string; path?: string; value: unknown }[] } | undefined)?.Operations;
    if (!Array.isArray(ops)) return scimError(res, 400, 'Operations is required', 'invalidSyntax');
    const next: Record<string, unknown> = { ...current };
    for (const op of ops) {
      if (op.op?.toLowerCase() !== 'replace') return scimError(res, 400, `unsupported op ${op.op}`, 'invalidValue');
      if (op.path === undefined) Object.assign(next, op.value);
      else if (/^\w+$/.test(op.path)) next[op.path] = op.value;
      else return scimError(res, 400, `unsupported path ${op.path}`, 'invalidPath');
    }
    const user = stamp(next as ScimUser, (current.meta as { created: string }).created);
    users.set(user.id, user);
    send(res, 200, user);
  });

  app.delete(`${BASE}/Users/:id`, (req, res) => {
    if (!users.has(req.params.id)) return scimError(res, 404, `no user ${req.params.id}`);
    const status = options.deleteStatus ?? 204;
    if (status !== 204) return scimError(res, status, 'User deletion is not supported. Deactivate the user instead.');
    users.delete(req.params.id);
    res.status(204).end();
  });

  addGroupRoutes(app, { base: BASE, users, groups, send, error: scimError });

  const tls = options.tls ? await selfSignedCertificate() : undefined;
  const listening: Listening = await listen(app, { host: '127.0.0.1', port: 0, ...(tls && { tls }) });

  return {
    url: `${listening.url.replace(/\/+$/, '')}${BASE}`,
    token,
    ...(tls && { cert: tls.cert }),
    users,
    groups,
    requests,
    maxInFlight: () => maxInFlight,
    byUserName,
    seed(user) {
      const created = stamp({ ...user, id: user.id ?? randomUUID() } as ScimUser);
      users.set(created.id, created);
      return created;
    },
    fail(failure) {
      failures.push({ ...failure, left: failure.times ?? Number.POSITIVE_INFINITY });
    },
    clearFailures() {
      failures = [];
    },
    close: () => listening.close(),
  };
}
