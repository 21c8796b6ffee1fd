import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createCode42 } from '../mock-code42';
import { createPingOne, type Logger } from '../mock-pingone';
import { runConformance } from '../suites/conformance';
import { writeReports } from '../suites/engine';

// Issue 8, limits: tokens never appear in logs, journals, HAR files or reports. Both mocks are driven through every
// place a secret passes (bearer headers, a token in a query string and in bodies, the OAuth token endpoint, a store's
// access token, a wrong token that makes syncs fail and get logged), then everything they can write is searched.

const SECRETS = {
  code42Token: 'secret-code42-token-4f1c',
  code42Admin: 'secret-code42-admin-9a2e',
  secondProvider: '',
  apiToken: 'secret-pingone-api-7d3b',
  pingoneAdmin: 'secret-pingone-admin-1c8f',
  clientSecret: 'secret-pingone-client-5e6a',
  wrongStoreToken: 'secret-wrong-store-token-2b9d',
  issuedAccessToken: '',
};

function expectNoSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    if (secret) expect({ where, name, found: text.includes(secret) }).toEqual({ where, name, found: false });
  }
}

describe('issue 8 limits: tokens never appear in logs, journals, HAR files or reports', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'scim-lab-secrets-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('keeps every token out of both mocks’ logs, journals and HAR exports', async () => {
    const logs: string[] = [];
    const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
    const c42 = createCode42({
      token: SECRETS.code42Token,
      adminToken: SECRETS.code42Admin,
      logger: (l) => logs.push(l),
    });
    const c42Server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 200 });
    const p1 = createPingOne({
      apiToken: SECRETS.apiToken,
      adminToken: SECRETS.pingoneAdmin,
      clientId: 'secrets-client',
      clientSecret: SECRETS.clientSecret,
      target: { url: `${c42Server.url}/scim/v2`, token: SECRETS.code42Token },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 },
      logger,
    });
    try {
      const ids = p1.seedIds();
      const env = `/v1/environments/${ids.environmentId}`;
      const scimCall = (method: 'get' | 'post', path: string, token: string) => {
        const agent = request(c42.app);
        return agent[method](`/scim/v2${path}`).set('Authorization', `Bearer ${token}`);
      };

      // Code42: a second provider, SCIM with each token, a token in the query and in a body, the admin surface.
      const provider = await request(c42.app)
        .post('/__admin/providers')
        .set('Authorization', `Bearer ${SECRETS.code42Admin}`)
        .send({ name: 'Second' });
      SECRETS.secondProvider = provider.body.token;
      await scimCall('get', `/Users?access_token=${SECRETS.code42Token}`, SECRETS.secondProvider);
      await scimCall('post', '/Users', SECRETS.code42Token)
        .set('Content-Type', 'application/scim+json')
        .send({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'x',
          password: SECRETS.code42Admin,
        });
      await scimCall('get', '/Users', SECRETS.apiToken); // a wrong token: 401

      // PingOne: the token endpoint (client secret in, access token out), the API with the issued token, provisioning.
      const issued = await request(p1.app)
        .post(`/${ids.environmentId}/as/token`)
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'secrets-client', client_secret: SECRETS.clientSecret });
      expect(issued.status).toBe(200);
      SECRETS.issuedAccessToken = issued.body.access_token;
      const api = (method: 'get' | 'post' | 'put', path: string) => {
        const agent = request(p1.app);
        return agent[method](env + path).set('Authorization', `Bearer ${SECRETS.issuedAccessToken}`);
      };
      await api('post', '/users').send({ username: 'ada@example.com', name: { given: 'Ada' } });
      await p1.waitIdle(10_000);
      expect(c42.store.size()).toBe(2);
      // A wrong store token: the next sync fails with 401 and is logged.
      const store = (await api('get', `/propagation/stores/${ids.storeId}`)).body;
      await api('put', `/propagation/stores/${ids.storeId}`).send({
        ...store,
        configuration: { ...store.configuration, OAUTH_ACCESS_TOKEN: SECRETS.wrongStoreToken },
      });
      await api('post', '/users').send({ username: 'grace@example.com' });
      await p1.waitIdle(10_000);
      expect(logs.some((line) => /failed/.test(line))).toBe(true);

      const admin = async (app: typeof c42.app, token: string, path: string) =>
        (await request(app).get(`/__admin${path}`).set('Authorization', `Bearer ${token}`)).text;
      expectNoSecret('logs', logs.join('\n'));
      expectNoSecret('Code42 journal', await admin(c42.app, SECRETS.code42Admin, '/journal'));
      expectNoSecret('Code42 HAR', await admin(c42.app, SECRETS.code42Admin, '/journal.har'));
      expectNoSecret('PingOne journal', await admin(p1.app, SECRETS.pingoneAdmin, '/journal'));
      expectNoSecret('PingOne HAR', await admin(p1.app, SECRETS.pingoneAdmin, '/journal.har'));
      // The journals did record those exchanges, with the credentials replaced.
      const journal = await admin(p1.app, SECRETS.pingoneAdmin, '/journal?direction=outbound');
      expect(journal).toContain('[redacted]');
    } finally {
      await p1.close();
      await c42.close();
    }
  });

  it('keeps the target’s tokens out of the JSON, HTML, HAR and JUnit conformance reports', async () => {
    const c42 = createCode42({ token: SECRETS.code42Token, adminToken: SECRETS.code42Admin });
    const server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 200 });
    try {
      const run = await runConformance({
        target: {
          baseUrl: `${server.url}/scim/v2`,
          token: SECRETS.code42Token,
          adminUrl: `${server.url}/__admin`,
          adminToken: SECRETS.code42Admin,
        },
        only: ['SCIM-AUTH-WRONG-TOKEN', 'SCIM-CREATE-201', 'C42-DISABLE', 'C42-DELETE-REFUSED'],
        seed: 8,
      });
      expect(run.exchanges.length).toBeGreaterThan(0);
      const paths = {
        json: join(scratch, 'report.json'),
        html: join(scratch, 'report.html'),
        har: join(scratch, 'report.har'),
        junit: join(scratch, 'junit.xml'),
      };
      await writeReports(run.result, run.exchanges, paths, { droppedExchanges: run.droppedExchanges });
      for (const [kind, path] of Object.entries(paths)) expectNoSecret(`${kind} report`, readFileSync(path, 'utf8'));
    } finally {
      await c42.close();
    }
  });
});
