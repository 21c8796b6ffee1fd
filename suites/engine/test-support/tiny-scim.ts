// A tiny SCIM-ish server on 127.0.0.1 for the engine's tests, so that evidence is real HTTP.
// It is not a mock of Code42: each route exists to make one engine behaviour observable.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { ERROR_URN } from '../../../fixtures/scim-wire';

export const TOKEN = 'tiny-secret-token-5f2a9c';
export const ADMIN_TOKEN = 'tiny-admin-token-77e1b0';

export interface TinyScim {
  baseUrl: string;
  adminUrl: string;
  close(): Promise<void>;
}

export async function startTinyScim(): Promise<TinyScim> {
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
  const users = new Map<string, Record<string, unknown>>();
  let next = 1;
  const scimError = (res: express.Response, status: number, scimType?: string) =>
    res
      .status(status)
      .type('application/scim+json')
      .send(
        JSON.stringify({
          schemas: [ERROR_URN],
          status: String(status),
          ...(scimType ? { scimType } : {}),
          detail: `status ${status}`,
        }),
      );

  app.get('/__admin/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/__admin', (req, res, nextHandler) => {
    if (req.headers.authorization !== `Bearer ${ADMIN_TOKEN}`) return void res.status(401).json({ error: 'admin' });
    nextHandler();
  });
  app.get('/__admin/token', (_req, res) => {
    // Echoes the SCIM token in a body, like a provider-creation answer would.
    res.json({ token: TOKEN });
  });

  app.use('/scim/v2', (req, res, nextHandler) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void scimError(res, 401);
    nextHandler();
  });
  app.post('/scim/v2/Users', (req, res) => {
    const id = String(next++);
    const user = { ...(req.body as object), id, meta: { resourceType: 'User', location: `/scim/v2/Users/${id}` } };
    users.set(id, user);
    res.status(201).location(`/scim/v2/Users/${id}`).type('application/scim+json').send(JSON.stringify(user));
  });
  app.get('/scim/v2/Users/:id', (req, res) => {
    const user = users.get(req.params.id);
    if (!user) return void scimError(res, 404);
    res.type('application/scim+json').send(JSON.stringify(user));
  });
  // Deletes, which a Code42-like target must refuse: the test catalogue judges this as a failure.
  app.delete('/scim/v2/Users/:id', (req, res) => {
    users.delete(req.params.id);
    res.status(204).end();
  });
  app.get('/scim/v2/ServiceProviderConfig', (_req, res) => {
    res.type('application/scim+json').send(JSON.stringify({ patch: { supported: false } }));
  });
  app.get('/scim/v2/numeric-status-error', (_req, res) => {
    res
      .status(400)
      .type('application/scim+json')
      .send(JSON.stringify({ schemas: [ERROR_URN], status: 400, scimType: 'invalidFilter' }));
  });
  app.get('/scim/v2/html', (_req, res) => {
    res.type('text/html').send('<p>not json</p>');
  });
  app.get('/scim/v2/echo', (req, res) => {
    res
      .type('application/scim+json')
      .send(JSON.stringify({ query: req.query, authorization: req.headers.authorization }));
  });
  // Never answers: only the client's abort ends it.
  app.get('/scim/v2/hang', () => undefined);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    adminUrl: `http://127.0.0.1:${port}/__admin`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
