import net from 'node:net';
import express from 'express';
import request from 'supertest';
import { listen } from '../lab/listen';
import type { Listening } from '../lab/types';
import { createPingOne } from './index';
import type { PingOne } from './index';
import { startScimTarget } from './test-support/scim-target';
import type { ScimTarget } from './test-support/scim-target';
import { SEED_SETTINGS } from '../fixtures/mapping';
import { appOf } from './test-support/shell';

// [SEED step 5.7] Test Connection reports success or the target's real failure in an admin's words.
// The probe request is an [INF] choice (SEED-5, SEED-6 (docs/sources.md)), with an option to change it.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

async function pingOne(
  targetUrl: string,
  token: string,
  options: Parameters<typeof createPingOne>[0] = {},
): Promise<PingOne> {
  const p1 = createPingOne({
    target: { url: targetUrl, token },
    retry: { baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 2000 },
    ...options,
  });
  cleanups.push(() => p1.close());
  return p1;
}

async function target(options: Parameters<typeof startScimTarget>[0] = {}): Promise<ScimTarget> {
  const t = await startScimTarget(options);
  cleanups.push(() => t.close());
  return t;
}

/** Test Connection of the seeded store, through the management API. */
async function testStore(p1: PingOne) {
  const ids = p1.seedIds();
  const res = await request(appOf(p1))
    .post(`/v1/environments/${ids.environmentId}/propagation/stores/${ids.storeId}/connection/status`)
    .set('Authorization', `Bearer ${p1.options.apiToken}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function plainServer(handler: express.RequestHandler): Promise<Listening> {
  const app = express();
  app.use(handler);
  const listening = await listen(app);
  cleanups.push(() => listening.close());
  return listening;
}

describe('Test Connection succeeds against a SCIM 2.0 target', () => {
  it('reports success after an authenticated filtered search for a value no user has', async () => {
    const t = await target();
    const result = await testStore(await pingOne(t.url, t.token));
    expect(result).toEqual(
      expect.objectContaining({ status: 'SUCCESS', probe: expect.objectContaining({ method: 'GET', status: 200 }) }),
    );
    expect(t.requests).toHaveLength(1);
    expect(t.requests[0]).toEqual(expect.objectContaining({ method: 'GET', path: '/Users' }));
    expect(t.requests[0].query).toEqual({
      filter: expect.stringMatching(/^username Eq "scim-lab-probe-[0-9a-f]+"$/),
      count: '1',
    });
    expect(t.requests[0].headers.authorization).toBe(`Bearer ${t.token}`);
  });

  it('tests a proposed configuration before it is saved (S5 connection/status)', async () => {
    const t = await target();
    const p1 = await pingOne(t.url, t.token);
    const res = await request(appOf(p1))
      .post(`/v1/environments/${p1.seedIds().environmentId}/propagation/stores/connection/status`)
      .set('Authorization', `Bearer ${p1.options.apiToken}`)
      .set('Content-Type', 'application/vnd.pingidentity.connection.check+json')
      .send(
        JSON.stringify({
          type: 'scim',
          name: 'proposed',
          configuration: {
            ...SEED_SETTINGS,
            SCIM_URL: t.url,
            OAUTH_ACCESS_TOKEN: 'not-the-token',
          },
        }),
      );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ status: 'FAILURE', category: 'credentials' }));
  });

  it('probes /ServiceProviderConfig when configured to [INF]', async () => {
    const t = await target();
    const result = await testStore(await pingOne(t.url, t.token, { probe: 'service-provider-config' }));
    expect(result.status).toBe('SUCCESS');
    expect(t.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /ServiceProviderConfig']);
  });

  it('works with or without a trailing slash on the SCIM URL [DOC S3]', async () => {
    const t = await target();
    const result = await testStore(await pingOne(`${t.url}/`, t.token));
    expect(result.status).toBe('SUCCESS');
    expect(t.requests[0].path).toBe('/Users');
  });
});

describe('Test Connection names each kind of failure', () => {
  it('unreachable: a closed port', async () => {
    const port = await closedPort();
    const result = await testStore(await pingOne(`http://127.0.0.1:${port}/scim/v2`, 'token-1234'));
    expect(result).toEqual(
      expect.objectContaining({
        status: 'FAILURE',
        category: 'unreachable',
        message: expect.stringContaining('connection was refused'),
      }),
    );
  });

  it('DNS: a host name that does not resolve', async () => {
    const result = await testStore(await pingOne('http://scim-lab-nowhere.invalid/scim/v2', 'token-1234'));
    expect(result).toEqual(
      expect.objectContaining({ status: 'FAILURE', category: 'dns', message: expect.stringContaining('DNS') }),
    );
  });

  it('TLS: an https target with a self-signed certificate and no CA given', async () => {
    const t = await target({ tls: true });
    const result = await testStore(await pingOne(t.url, t.token));
    expect(result).toEqual(
      expect.objectContaining({ status: 'FAILURE', category: 'tls', message: expect.stringContaining('self-signed') }),
    );
    expect(t.requests).toHaveLength(0);
  });

  it('TLS: succeeds once the CA is given, or with insecure', async () => {
    const t = await target({ tls: true });
    expect((await testStore(await pingOne(t.url, t.token, { ca: t.cert }))).status).toBe('SUCCESS');
    expect((await testStore(await pingOne(t.url, t.token, { insecure: true }))).status).toBe('SUCCESS');
  });

  it('credentials: a 401 is a failure that says the target refused the credentials [DOC S3]', async () => {
    const t = await target();
    const result = await testStore(await pingOne(t.url, 'wrong-token'));
    expect(result).toEqual(
      expect.objectContaining({
        status: 'FAILURE',
        category: 'credentials',
        message: expect.stringContaining('refused the credentials (HTTP 401)'),
        probe: expect.objectContaining({ status: 401 }),
      }),
    );
  });

  it('credentials: a 403 is reported the same way', async () => {
    const forbidden = await plainServer((_req, res) => void res.status(403).json({ detail: 'token lacks scope' }));
    const result = await testStore(await pingOne(`${forbidden.url}/scim/v2`, 'token-1234'));
    expect(result).toEqual(
      expect.objectContaining({ category: 'credentials', message: expect.stringContaining('(HTTP 403)') }),
    );
    expect(result.message).toContain('token lacks scope');
  });

  it('not SCIM: a server answering HTML', async () => {
    const html = await plainServer((_req, res) => void res.type('html').send('<html><body>Welcome</body></html>'));
    const result = await testStore(await pingOne(`${html.url}/scim/v2`, 'token-1234'));
    expect(result).toEqual(
      expect.objectContaining({
        status: 'FAILURE',
        category: 'not-scim',
        message: expect.stringContaining('text/html'),
      }),
    );
  });

  it('not SCIM: a 404 on the Users resource', async () => {
    const empty = await plainServer((_req, res) => void res.status(404).send('Not Found'));
    const result = await testStore(await pingOne(`${empty.url}/wrong/base`, 'token-1234'));
    expect(result).toEqual(
      expect.objectContaining({ status: 'FAILURE', category: 'not-scim', message: expect.stringContaining('404') }),
    );
  });

  it('records the probe in the outbound journal with the Authorization redacted', async () => {
    const t = await target();
    const p1 = await pingOne(t.url, t.token);
    await testStore(p1);
    const [entry] = p1.journal.list({ direction: 'outbound' });
    expect(entry).toEqual(expect.objectContaining({ method: 'GET', status: 200 }));
    expect(entry.request.headers.authorization).toBe('[redacted]');
  });
});
