import express from 'express';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { scimErrors } from './errors';
import {
  bearerAuth,
  methodNotAllowed,
  notFoundHandler,
  scimErrorHandler,
  scimJsonParser,
  sendScim,
  type ScimErrorHandlerOptions,
} from './express';
import { URN } from './urns';

const TOKEN = 'good-token_1.~+/';

/** A small SCIM app wired like the mocks: auth, body parser, one-line handlers, 404/405, the error handler. */
function testApp(errorOptions: ScimErrorHandlerOptions = {}) {
  const logged: unknown[][] = [];
  const authenticated: string[] = [];
  const router = express.Router();
  router.use(
    bearerAuth({
      tokens: () => [TOKEN, 'second-token'],
      realm: 'test',
      onAuthenticated: (token) => authenticated.push(token),
    }),
  );
  router.use(scimJsonParser({ limit: 256 }));
  router
    .route('/Users')
    .post((req, res) => sendScim(res, 201, { body: req.body, token: res.locals.scimToken }, { Location: '/Users/1' }))
    .all(methodNotAllowed('POST'));
  router.get('/Users/:id', (req, res) => sendScim(res, 200, { id: req.params.id }));
  router.delete('/Users/:id', (_req, res) => sendScim(res, 204));
  router.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  router.get('/async-refusal', async () => {
    await Promise.resolve();
    throw scimErrors.refused(405, 'Code42 does not support user deletion', 'GET, PUT');
  });
  router.use(notFoundHandler);
  const app = express();
  app.use('/scim/v2', router);
  app.use(scimErrorHandler({ logger: { error: (...args) => logged.push(args) }, ...errorOptions }));
  return { app, logged, authenticated };
}

const auth = { Authorization: `Bearer ${TOKEN}` };

function expectScimError(res: request.Response, status: number, scimType?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  expect(res.body).toMatchObject({ schemas: [URN.Error], status: String(status) });
  expect(res.body.scimType).toBe(scimType);
  expect(typeof res.body.detail).toBe('string');
}

describe('RFC 7644 §3.1, §8.1 content types', () => {
  it('accepts application/scim+json and answers with application/scim+json; charset=utf-8', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/scim/v2/Users')
      .set(auth)
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ userName: 'a' }));
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.headers.location).toBe('/Users/1');
    expect(res.headers.etag).toBeUndefined();
    expect(JSON.parse(res.text)).toEqual({ body: { userName: 'a' }, token: TOKEN });
  });

  it('accepts application/json with a charset parameter', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/scim/v2/Users')
      .set(auth)
      .set('Content-Type', 'Application/JSON; charset=UTF-8')
      .send('{"userName":"b"}');
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text).body).toEqual({ userName: 'b' });
  });

  it('refuses text/plain with 415', async () => {
    const { app } = testApp();
    const res = await request(app).post('/scim/v2/Users').set(auth).set('Content-Type', 'text/plain').send('{}');
    expectScimError(res, 415);
    expect(res.body.detail).toContain("'text/plain'");
  });

  it('refuses a body without a Content-Type with 415', async () => {
    const { app } = testApp();
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const res = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/scim/v2/Users',
            headers: { ...auth, 'Content-Length': 2 },
          },
          (r) => {
            let body = '';
            r.on('data', (c) => (body += c));
            r.on('end', () => resolve({ status: r.statusCode, body }));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body)).toMatchObject({ status: '415', detail: expect.stringContaining('no Content-Type') });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a charset other than UTF-8 with 415', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/scim/v2/Users')
      .set(auth)
      .set('Content-Type', 'application/scim+json; charset=latin1')
      .send('{}');
    expectScimError(res, 415);
  });

  it('refuses invalid JSON with 400 invalidSyntax carrying the parser message', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/scim/v2/Users')
      .set(auth)
      .set('Content-Type', 'application/scim+json')
      .send('{"userName": ');
    expectScimError(res, 400, 'invalidSyntax');
    expect(res.body.detail).toMatch(/^the request body is not valid JSON: /);
  });

  it('refuses a body over the limit with 413', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/scim/v2/Users')
      .set(auth)
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ userName: 'x'.repeat(300) }));
    expectScimError(res, 413);
  });

  it('sends 204 without a body', async () => {
    const { app } = testApp();
    const res = await request(app).delete('/scim/v2/Users/1').set(auth);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });
});

describe('RFC 6750 bearer authentication', () => {
  it('refuses a request without Authorization with 401 and a Bearer challenge without an error code', async () => {
    const { app } = testApp();
    const res = await request(app).get('/scim/v2/Users/1');
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
  });

  it('refuses a wrong token with 401 and error="invalid_token"', async () => {
    const { app } = testApp();
    const res = await request(app).get('/scim/v2/Users/1').set('Authorization', 'Bearer not-the-token');
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test", error="invalid_token"');
    expect(res.text).not.toContain('not-the-token');
  });

  it('refuses the Basic scheme with 401 and a Bearer challenge', async () => {
    const { app } = testApp();
    const basic = Buffer.from(`user:${TOKEN}`).toString('base64');
    const res = await request(app).get('/scim/v2/Users/1').set('Authorization', `Basic ${basic}`);
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
  });

  it('refuses an empty or malformed Bearer credential', async () => {
    const { app } = testApp();
    for (const header of ['Bearer', 'Bearer ', `Bearer ${TOKEN} extra`, 'Bearer a"b']) {
      const res = await request(app).get('/scim/v2/Users/1').set('Authorization', header);
      expect([header, res.status]).toEqual([header, 401]);
    }
  });

  it('accepts the scheme in any case and tells which token matched', async () => {
    const { app, authenticated } = testApp();
    const res = await request(app).get('/scim/v2/Users/7').set('Authorization', 'bearer second-token');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '7' });
    expect(authenticated).toEqual(['second-token']);
  });

  it('reads the token list on every request, so a revoked token stops working', async () => {
    const tokens = new Set(['t1']);
    const app = express();
    app.use(bearerAuth({ tokens: () => tokens }));
    app.get('/', (_req, res) => sendScim(res, 200, {}));
    app.use(scimErrorHandler());
    expect((await request(app).get('/').set('Authorization', 'Bearer t1')).status).toBe(200);
    tokens.delete('t1');
    expect((await request(app).get('/').set('Authorization', 'Bearer t1')).status).toBe(401);
  });

  it('refuses a realm that would break the challenge header', () => {
    expect(() => bearerAuth({ tokens: [], realm: 'a"b' })).toThrow(/realm/);
  });
});

describe('RFC 7644 §3.12 the one error renderer', () => {
  it('renders an unexpected error as a 500 SCIM error with a generic detail, and logs it', async () => {
    const { app, logged } = testApp();
    const res = await request(app).get('/scim/v2/boom').set(auth);
    expectScimError(res, 500);
    expect(res.body.detail).toBe('internal server error');
    expect(res.text).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
    expect(String(logged[0][1])).toContain('hunter2');
    expect(logged[0].map(String).join(' ')).not.toContain(TOKEN);
  });

  it('renders a ScimError rejected by an async handler with its status and headers', async () => {
    const { app } = testApp();
    const res = await request(app).get('/scim/v2/async-refusal').set(auth);
    expectScimError(res, 405);
    expect(res.headers.allow).toBe('GET, PUT');
  });

  it('answers a method the route does not support with 405 and Allow', async () => {
    const { app } = testApp();
    const res = await request(app).put('/scim/v2/Users').set(auth);
    expectScimError(res, 405);
    expect(res.headers.allow).toBe('POST');
  });

  it('answers an unknown endpoint under the base with 404', async () => {
    const { app } = testApp();
    const res = await request(app).get('/scim/v2/Groups').set(auth);
    expectScimError(res, 404);
    expect(res.body.detail).toContain('/scim/v2/Groups');
  });

  it('maps an undecodable path parameter to 400', async () => {
    const { app } = testApp();
    const res = await request(app).get('/scim/v2/Users/%E0%A4%A').set(auth);
    expectScimError(res, 400);
  });

  it('renders {"error": …} as application/json in plainJson mode', async () => {
    const { app } = testApp({ plainJson: true });
    const res = await request(app).get('/scim/v2/Users/1');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test"');
    expect(res.body).toEqual({ error: expect.stringContaining('Bearer') });
  });

  it('reads a plainJson function on every error', async () => {
    let plain = false;
    const { app } = testApp({ plainJson: () => plain });
    expect((await request(app).get('/scim/v2/Users/1')).body.schemas).toEqual([URN.Error]);
    plain = true;
    expect(Object.keys((await request(app).get('/scim/v2/Users/1')).body)).toEqual(['error']);
  });
});
