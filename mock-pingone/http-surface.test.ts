import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createPingOne } from './index';
import { appOf, TEST_SHELL } from './test-support/shell';

// The mock PingOne's HTTP answers that belong to no handler: errors of the body readers, 404 and 405, the guard and
// the token endpoint's form. jest.config.js runs this file through both shells (issue 14: neither may drift).

const API = 'api-token-0001';
const ENV = '3c1b7f0e-5d2a-4b8e-9f10-0a1b2c3d4e5f';
const CLIENT = { id: 'client-0001', secret: 'secret-0001' };

function lab() {
  const p1 = createPingOne({
    apiToken: API,
    adminToken: 'admin-token-0001',
    environmentId: ENV,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    shell: TEST_SHELL,
  });
  const app = appOf(p1);
  const users = `/v1/environments/${ENV}/users`;
  const post = (path: string, type: string, body: string | Buffer) =>
    request(app)
      .post(path)
      .set('Authorization', `Bearer ${API}`)
      .set('Content-Type', type)
      // Sent as they are: superagent would serialise a Buffer under a JSON Content-Type as JSON.
      .serialize((raw: unknown) => raw as string)
      .send(body);
  return { p1, app, users, post };
}

describe(`the management API's body reader (${TEST_SHELL} shell)`, () => {
  it('answers invalid JSON with 400 INVALID_REQUEST naming the parse error', async () => {
    const { users, post } = lab();
    const res = await post(users, 'application/json', '{"username": ').expect(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(res.body.message).toMatch(/^The request body is not valid JSON: /);
    expect(typeof res.body.id).toBe('string');
  });

  it('refuses bytes that are not UTF-8 with 400, and creates nobody', async () => {
    const { p1, users, post } = lab();
    const latin1 = Buffer.from([...Buffer.from('{"username": "j'), 0xe9, ...Buffer.from('rome"}')]);
    const res = await post(users, 'application/json', latin1).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', message: 'The request body is not valid UTF-8.' });
    expect((p1.exportState() as { users: unknown[] }).users).toEqual([]);
  });

  it('refuses a body over 1mb with 413', async () => {
    const { users, post } = lab();
    const big = JSON.stringify({ username: 'big', title: 'x'.repeat(1024 * 1024) });
    const res = await post(users, 'application/json', big).expect(413);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', message: 'The request body is too large.' });
  });

  it('reads a body of another Content-Type as none: 400 "must be JSON"', async () => {
    const { users, post } = lab();
    const res = await post(users, 'text/plain', '{"username": "ada"}').expect(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'The request body must be JSON (Content-Type: application/json).',
    });
  });

  it('reads application/*+json and a gzip-encoded body', async () => {
    const { users, post } = lab();
    await post(users, 'application/vnd.example+json', JSON.stringify({ username: 'ada' })).expect(201);
    const res = await post(users, 'application/json', gzipSync(JSON.stringify({ username: 'grace' })))
      .set('Content-Encoding', 'gzip')
      .expect(201);
    expect(res.body.username).toBe('grace');
  });
});

describe(`the management API's routing (${TEST_SHELL} shell)`, () => {
  it('answers a method the route lacks with 405 and Allow', async () => {
    const { app } = lab();
    const res = await request(app)
      .patch(`/v1/environments/${ENV}/populations`)
      .set('Authorization', `Bearer ${API}`)
      .expect(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.body).toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'PATCH is not allowed here (allowed: GET, POST).',
    });
  });

  it('answers an unknown environment with 404 before the method is looked at', async () => {
    const { app } = lab();
    const res = await request(app).patch('/v1/environments/other/populations').set('Authorization', `Bearer ${API}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: "Unable to find environment with id 'other'." });
  });

  it('answers an unknown path under /v1 with 401 without a token and 404 with one', async () => {
    const { app } = lab();
    const refused = await request(app).get('/v1/nothing-here').expect(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="pingone"');
    expect(refused.body.code).toBe('ACCESS_FAILED');
    const missing = await request(app).get('/v1/nothing-here?x=1').set('Authorization', `Bearer ${API}`).expect(404);
    expect(missing.body.message).toBe('The requested resource was not found: GET /v1/nothing-here.');
  });

  it('answers a path outside every surface with the PingOne 404, without a token', async () => {
    const res = await request(lab().app).delete('/elsewhere').expect(404);
    expect(res.body).toMatchObject({
      code: 'NOT_FOUND',
      message: 'The requested resource was not found: DELETE /elsewhere.',
    });
  });

  it('builds HAL links from the Host the client used', async () => {
    const res = await request(lab().app)
      .get(`/v1/environments/${ENV}/populations?x=1`)
      .set('Host', 'p1.example.test:8443')
      .set('Authorization', `Bearer ${API}`)
      .expect(200);
    expect(res.body._links.self.href).toBe(`http://p1.example.test:8443/v1/environments/${ENV}/populations?x=1`);
    expect(res.body._embedded.populations[0]._links.environment.href).toBe(
      `http://p1.example.test:8443/v1/environments/${ENV}`,
    );
  });

  it('answers HEAD as GET, without a body', async () => {
    const res = await request(lab().app).head(`/v1/environments/${ENV}`).set('Authorization', `Bearer ${API}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBeUndefined();
  });
});

describe(`the token endpoint POST /{envId}/as/token (${TEST_SHELL} shell)`, () => {
  const form = `grant_type=client_credentials&client_id=${CLIENT.id}&client_secret=${CLIENT.secret}`;

  it('issues a token the management API then accepts', async () => {
    const { app, users } = lab();
    const res = await request(app)
      .post(`/${ENV}/as/token`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(form)
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    await request(app).get(users).set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
  });

  it('refuses a form over 16kb with 413', async () => {
    const res = await request(lab().app)
      .post(`/${ENV}/as/token`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`${form}&pad=${'x'.repeat(17 * 1024)}`)
      .expect(413);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', message: 'The request body is too large.' });
  });

  it('reads a JSON body as no form: 400 invalid_request', async () => {
    const res = await request(lab().app)
      .post(`/${ENV}/as/token`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ grant_type: 'client_credentials' }))
      .expect(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'grant_type is required.' });
  });

  it('answers an unknown environment with 404, and another method with the PingOne 404', async () => {
    const { app } = lab();
    const env = await request(app)
      .post('/other/as/token')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(form)
      .expect(404);
    expect(env.body.message).toBe("Unable to find environment with id 'other'.");
    const get = await request(app).get(`/${ENV}/as/token`).expect(404);
    expect(get.body.message).toBe(`The requested resource was not found: GET /${ENV}/as/token.`);
  });

  it('journals the exchange with the client secret and the issued token redacted', async () => {
    const { p1, app } = lab();
    const res = await request(app)
      .post(`/${ENV}/as/token`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(form)
      .expect(200);
    const [entry] = p1.journal.list({ path: '/as/token' });
    expect(entry).toMatchObject({ method: 'POST', status: 200 });
    const recorded = JSON.stringify(entry);
    expect(recorded).not.toContain(CLIENT.secret);
    expect(recorded).not.toContain(res.body.access_token);
  });
});
