import request from 'supertest';
import { scimErrors } from '../scim/errors';
import { checkBearer, errorReply, jsonReply, SCIM_CONTENT_TYPE_HEADER } from '../scim/http';
import { createClock } from './clock';
import { createFaults } from './faults';
import type { Surface } from './http-core';
import { createJournal } from './journal';
import { createMockSite, SHELLS } from './mock-site';
import { serve } from './test-support/serve';
import type { Clock, Faults, Journal, JournalEntry, Listening } from './types';
import { ERROR_URN } from '../fixtures/scim-wire';

const ADMIN = 'admin-token-0123456789';
const SCIM = 'scim-token-0123456789';

/** A minimal mock: a user list as its state, a SCIM route behind its own token, the admin surface at /__admin. */
function createTinyMock() {
  const journal = createJournal({ redact: [ADMIN, SCIM] });
  const faults = createFaults();
  const clock = createClock();
  let users: { userName: string }[] = [];
  const scim: Surface = {
    prefix: '/scim/v2',
    routes: [
      {
        path: '/Users',
        handlers: {
          POST: (ctx) => {
            users.push(ctx.body as { userName: string });
            return jsonReply(ctx.body, 201);
          },
          GET: () => jsonReply({ totalResults: users.length }),
        },
      },
    ],
    guard: (ctx) => void checkBearer(ctx.get('authorization'), [SCIM], 'scim'),
    notFound: (ctx) => scimErrors.notFound(`no ${ctx.path}`),
    renderError: (err, ctx) => errorReply(err, ctx.path),
    contentType: SCIM_CONTENT_TYPE_HEADER,
    journaled: true,
  };
  const site = createMockSite({
    admin: {
      adminToken: ADMIN,
      journal,
      faults,
      clock,
      version: '9.9.9',
      reset: () => {
        users = [];
      },
      exportState: () => ({ users }),
      importState: (state) => {
        const candidate = state as { users?: unknown };
        if (!Array.isArray(candidate?.users)) throw scimErrors.invalidValue("state: 'users' must be an array");
        users = candidate.users as { userName: string }[];
      },
      extend: (route) => {
        route('/users', { GET: () => jsonReply({ count: users.length }) });
      },
    },
    basePath: '/scim/v2',
    surfaces: [scim],
    rest: scim,
  });
  return { site, journal, faults, clock, users: () => users };
}

let mock: ReturnType<typeof createTinyMock>;
let server: Listening;
let journal: Journal;
let faults: Faults;
let clock: Clock;
const admin = () => request(server.url);
const auth = { Authorization: `Bearer ${ADMIN}` };

describe.each(SHELLS)('the admin surface on the %s shell', (shell) => {
  beforeEach(async () => {
    mock = createTinyMock();
    ({ journal, faults, clock } = mock);
    server = await serve(mock.site.listener(shell));
  });
  afterEach(async () => {
    clock.dispose();
    await server.close();
  });

  function expectScimError(res: request.Response, status: number, detail?: RegExp) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: String(status) });
    if (detail) expect(res.body.detail).toMatch(detail);
  }

  describe('docs/admin-api.md admin surface: authentication', () => {
    it('answers GET /__admin/health without auth', async () => {
      const res = await admin().get('/__admin/health').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      const res = await admin().get('/__admin/journal');
      expectScimError(res, 401, /Bearer token is required/);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="scim-lab-admin"');
    });

    it('refuses a wrong token, and the SCIM token', async () => {
      for (const token of ['wrong', SCIM, `${ADMIN}x`]) {
        const res = await admin().get('/__admin/journal').set('Authorization', `Bearer ${token}`);
        expectScimError(res, 401, /not valid/);
      }
    });

    it('refuses a non-Bearer scheme', async () => {
      const res = await admin().get('/__admin/clock').set('Authorization', `Basic ${ADMIN}`);
      expectScimError(res, 401);
    });

    it('accepts the scheme name in any case (RFC 9110 §11.1)', async () => {
      await admin().get('/__admin/clock').set('Authorization', `bearer ${ADMIN}`).expect(200);
    });

    it('refuses the admin token on the SCIM routes', async () => {
      await admin().get('/scim/v2/Users').set(auth).expect(401);
      await admin().get('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).expect(200);
    });

    it('does not reveal unknown routes to an unauthenticated caller', async () => {
      expectScimError(await admin().get('/__admin/nothing-here'), 401);
    });
  });

  describe('docs/admin-api.md admin surface: routing', () => {
    it('answers an unknown admin route with a 404 SCIM error', async () => {
      expectScimError(
        await admin().get('/__admin/nothing-here').set(auth),
        404,
        /no route GET \/__admin\/nothing-here/,
      );
    });

    it('answers a wrong method with a 405 SCIM error and an Allow header', async () => {
      const res = await admin().put('/__admin/journal').set(auth);
      expectScimError(res, 405, /PUT is not allowed on \/__admin\/journal/);
      expect(res.headers.allow).toBe('GET, DELETE, HEAD');
      expectScimError(await admin().post('/__admin/health'), 405);
    });

    it('serves routes added through extend behind the admin token', async () => {
      await admin().get('/__admin/users').expect(401);
      const res = await admin().get('/__admin/users').set(auth).expect(200);
      expect(res.body).toEqual({ count: 0 });
      expectScimError(await admin().delete('/__admin/users').set(auth), 405);
    });

    it('never journals admin calls', async () => {
      await admin().get('/__admin/health');
      await admin().get('/__admin/clock').set(auth);
      await admin().get('/__admin/nothing-here').set(auth);
      expect(journal.size()).toBe(0);
    });
  });

  describe('docs/admin-api.md POST /__admin/reset', () => {
    it('empties the mock state, journal and faults and puts the clock back to now', async () => {
      await admin().post('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).send({ userName: 'a' }).expect(201);
      faults.add({ match: {}, action: 'reset', direction: 'outbound' });
      clock.advance(60_000);
      let fired = false;
      clock.at(clock.nowMs() + 1_000, () => (fired = true));

      await admin().post('/__admin/reset').set(auth).expect(204);

      expect(mock.users()).toEqual([]);
      expect(journal.size()).toBe(0);
      expect(faults.list()).toEqual([]);
      expect(clock.offsetMs()).toBe(0);
      expect(clock.pending()).toBe(0);
      expect(fired).toBe(false);
    });
  });

  describe('docs/admin-api.md GET and PUT /__admin/state', () => {
    it('exports the state as JSON', async () => {
      await admin().post('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).send({ userName: 'a' }).expect(201);
      const res = await admin().get('/__admin/state').set(auth).expect(200);
      expect(res.body).toEqual({ users: [{ userName: 'a' }] });
    });

    it('imports a state far above express’s default 100kb body limit', async () => {
      const users = Array.from({ length: 20_000 }, (_, i) => ({ userName: `user${i}@example.com` }));
      const body = JSON.stringify({ users });
      expect(body.length).toBeGreaterThan(500 * 1024);
      await admin().put('/__admin/state').set(auth).set('Content-Type', 'application/json').send(body).expect(204);
      expect(mock.users()).toHaveLength(20_000);
      const exported = await admin().get('/__admin/state').set(auth).expect(200);
      expect(exported.body.users[19_999]).toEqual({ userName: 'user19999@example.com' });
    });

    it('answers bad JSON with a 400 invalidSyntax SCIM error', async () => {
      const res = await admin()
        .put('/__admin/state')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"users": [');
      expectScimError(res, 400, /not valid JSON/);
      expect(res.body.scimType).toBe('invalidSyntax');
    });

    it('passes on the ScimError that importState throws', async () => {
      const res = await admin().put('/__admin/state').set(auth).send({ users: 'nope' });
      expectScimError(res, 400, /'users' must be an array/);
      expect(res.body.scimType).toBe('invalidValue');
    });

    it('answers a body that is not JSON with 415', async () => {
      const res = await admin().put('/__admin/state').set(auth).set('Content-Type', 'text/plain').send('users');
      expectScimError(res, 415, /Content-Type 'text\/plain'/);
    });

    it('answers a PUT without a body with 400', async () => {
      expectScimError(await admin().put('/__admin/state').set(auth), 400, /state document \(JSON\) is required/);
    });
  });

  describe('docs/admin-api.md GET and DELETE /__admin/journal', () => {
    const record = (overrides: Partial<JournalEntry>) =>
      journal.record({
        time: '2025-01-01T00:00:00.000Z',
        direction: 'inbound',
        method: 'GET',
        url: 'http://h/scim/v2/Users',
        status: 200,
        durationMs: 1,
        request: { headers: {}, body: undefined },
        response: { headers: {}, body: undefined },
        ...overrides,
      });

    it('lists the recorded exchanges, newest last, with the dropped count', async () => {
      await admin().post('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).send({ userName: 'a' }).expect(201);
      await admin().get('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).expect(200);
      const res = await admin().get('/__admin/journal').set(auth).expect(200);
      expect(res.body.dropped).toBe(0);
      expect(res.body.entries.map((e: JournalEntry) => [e.method, e.status])).toEqual([
        ['POST', 201],
        ['GET', 200],
      ]);
      expect(res.body.entries[0]).toMatchObject({
        direction: 'inbound',
        request: { headers: { authorization: '[redacted]' }, body: { userName: 'a' } },
        response: { body: { userName: 'a' } },
      });
    });

    it('filters by method, path, status, direction and limit', async () => {
      record({ method: 'POST', status: 201 });
      record({ method: 'DELETE', url: 'http://h/scim/v2/Users/1', status: 405 });
      record({ method: 'PUT', url: 'http://t/scim/v2/Users/1', status: 200, direction: 'outbound' });
      const methods = async (query: string) =>
        (await admin().get(`/__admin/journal?${query}`).set(auth).expect(200)).body.entries.map(
          (e: JournalEntry) => e.method,
        );
      expect(await methods('method=delete')).toEqual(['DELETE']);
      expect(await methods('path=/scim/v2/Users/*')).toEqual(['DELETE', 'PUT']);
      expect(await methods('status=405')).toEqual(['DELETE']);
      expect(await methods('direction=outbound')).toEqual(['PUT']);
      expect(await methods('limit=2')).toEqual(['DELETE', 'PUT']);
    });

    it.each([
      ['status=abc', /'status'/],
      ['status=600', /'status'/],
      ['limit=0', /'limit'/],
      ['limit=-3', /'limit'/],
      ['direction=up', /'direction'/],
      ['method=GE T', /'method'/],
      ['colour=red', /unknown query parameter 'colour'/],
      ['limit=1&limit=2', /'limit' must be given once/],
    ])('refuses ?%s with a 400 naming the parameter', async (query, detail) => {
      expectScimError(await admin().get(`/__admin/journal?${query}`).set(auth), 400, detail);
    });

    it('reports how many entries the cap dropped', async () => {
      for (let i = 0; i < 1_002; i++) record({});
      const res = await admin().get('/__admin/journal?limit=1').set(auth).expect(200);
      expect(res.body.dropped).toBe(2);
      expect(res.body.entries).toHaveLength(1);
    });

    it('clears the journal on DELETE', async () => {
      record({});
      await admin().delete('/__admin/journal').set(auth).expect(204);
      const res = await admin().get('/__admin/journal').set(auth).expect(200);
      expect(res.body).toEqual({ entries: [], dropped: 0 });
    });

    it('exports the journal as HAR 1.2 on GET /__admin/journal.har', async () => {
      record({ method: 'POST', status: 201, request: { headers: {}, body: { userName: 'a' } } });
      const res = await admin().get('/__admin/journal.har').set(auth).expect(200);
      expect(res.body.log).toMatchObject({ version: '1.2', creator: { name: 'scim-lab', version: '9.9.9' } });
      expect(res.body.log.entries).toHaveLength(1);
      expect(res.body.log.entries[0].request).toMatchObject({ method: 'POST', postData: { text: '{"userName":"a"}' } });
    });
  });

  describe('docs/admin-api.md GET, POST and DELETE /__admin/faults', () => {
    const rule = { match: { method: 'POST', path: '/Users*' }, action: 'status', status: 429, retryAfter: 2, times: 3 };

    it('adds a rule with 201 and the stored rule, id included, then lists it', async () => {
      const created = await admin().post('/__admin/faults').set(auth).send(rule).expect(201);
      expect(created.body).toEqual({ ...rule, id: expect.any(String), hits: 0, remaining: 3 });
      const listed = await admin().get('/__admin/faults').set(auth).expect(200);
      expect(listed.body).toEqual({ faults: [created.body] });
    });

    it('applies the posted rule to the mock’s own routes', async () => {
      const fault = { match: { method: 'GET', path: '/Users' }, action: 'status', status: 503, times: 1 };
      await admin().post('/__admin/faults').set(auth).send(fault).expect(201);
      await admin().get('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).expect(503);
      await admin().get('/scim/v2/Users').set('Authorization', `Bearer ${SCIM}`).expect(200);
      const listed = await admin().get('/__admin/faults').set(auth).expect(200);
      expect(listed.body.faults[0]).toMatchObject({ hits: 1, remaining: 0 });
    });

    it('refuses an invalid rule with a 400 naming the field', async () => {
      const res = await admin()
        .post('/__admin/faults')
        .set(auth)
        .send({ ...rule, action: 'explode' });
      expectScimError(res, 400, /'action' must be one of status, latency, reset, empty/);
      expect(res.body.scimType).toBe('invalidValue');
    });

    it('refuses a rule that is not a JSON object', async () => {
      const res = await admin().post('/__admin/faults').set(auth).set('Content-Type', 'application/json').send('[1]');
      expectScimError(res, 400, /a rule must be a JSON object/);
    });

    it('clears every rule on DELETE', async () => {
      await admin().post('/__admin/faults').set(auth).send(rule).expect(201);
      await admin().delete('/__admin/faults').set(auth).expect(204);
      expect((await admin().get('/__admin/faults').set(auth)).body).toEqual({ faults: [] });
    });
  });

  describe('docs/admin-api.md GET /__admin/clock and POST /__admin/clock/advance', () => {
    it('reports the virtual time and offset', async () => {
      const res = await admin().get('/__admin/clock').set(auth).expect(200);
      expect(res.body).toEqual({ now: expect.any(String), offsetMs: 0 });
      expect(Number.isNaN(Date.parse(res.body.now))).toBe(false);
    });

    it('advances the clock, fires what became due and answers with the new clock state', async () => {
      const fired: string[] = [];
      clock.at(clock.nowMs() + 3_600_000, () => fired.push('an hour later'));
      const before = Date.parse((await admin().get('/__admin/clock').set(auth)).body.now);
      const res = await admin().post('/__admin/clock/advance').set(auth).send({ ms: 3_600_000 }).expect(200);
      expect(res.body.offsetMs).toBe(3_600_000);
      expect(Date.parse(res.body.now) - before).toBeGreaterThanOrEqual(3_600_000);
      expect(fired).toEqual(['an hour later']);
    });

    it.each([[{ ms: -1 }], [{ ms: '5' }], [{}], [{ ms: null }]])('refuses %j with a 400 naming ms', async (body) => {
      const res = await admin().post('/__admin/clock/advance').set(auth).send(body);
      expectScimError(res, 400, /'ms' must be a non-negative finite number/);
      expect(clock.offsetMs()).toBe(0);
    });
  });
});
