import { readFileSync } from 'node:fs';
import request from 'supertest';
import { TOKEN, filterQuery, lab, user, appOf } from './test-support';
import { ERROR_URN } from '../fixtures/scim-wire';

// The admin surface of docs/admin-api.md as the mock Code42 serves it: every route, through the mock's own app.

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('docs/admin-api.md admin authentication', () => {
  it('answers GET /__admin/health with {"status":"ok"} without auth', async () => {
    const { c42 } = lab();
    const res = await request(appOf(c42)).get('/__admin/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  const guarded: [string, string][] = [
    ['POST', '/reset'],
    ['GET', '/state'],
    ['PUT', '/state'],
    ['GET', '/journal'],
    ['DELETE', '/journal'],
    ['GET', '/journal.har'],
    ['GET', '/faults'],
    ['POST', '/faults'],
    ['DELETE', '/faults'],
    ['GET', '/clock'],
    ['POST', '/clock/advance'],
    ['GET', '/providers'],
    ['POST', '/providers'],
    ['DELETE', '/providers/any-id'],
    ['GET', '/users'],
  ];
  it.each(guarded)('refuses %s %s without a token and with the SCIM token', async (method, path) => {
    const { c42, scim } = lab();
    await scim.post('/Users', user('kept@example.com')).expect(201);
    for (const headers of [{}, bearer(TOKEN)]) {
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      const res = await request(appOf(c42))[verb](`/__admin${path}`).set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    }
    // Nothing was reset, cleared or imported by the refused calls.
    expect((await scim.get('/Users')).body.totalResults).toBe(1);
  });

  it('answers an unknown admin route with 404 and a wrong method with 405 and Allow', async () => {
    const { admin } = lab();
    const unknown = await admin.get('/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.schemas).toEqual([ERROR_URN]);
    const wrong = await admin.get('/reset');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });
});

describe('POST /__admin/reset', () => {
  it('empties users, journal and faults and sets the clock back, keeping tokens and providers', async () => {
    const { c42, scim, admin } = lab();
    const added = (await admin.post('/providers', { name: 'Second' }).expect(201)).body;
    await scim.post('/Users', user('before-reset@example.com')).expect(201);
    await admin.post('/faults', { match: { path: '/Nothing*' }, action: 'status', status: 503 }).expect(201);
    await admin.post('/clock/advance', { ms: 3_600_000 }).expect(200);
    const providersBefore = (await admin.get('/providers')).body;

    await admin.post('/reset').expect(204);

    expect((await admin.get('/journal')).body).toEqual({ entries: [], dropped: 0 });
    expect((await admin.get('/faults')).body).toEqual({ faults: [] });
    expect((await admin.get('/clock')).body.offsetMs).toBe(0);
    expect((await admin.get('/users')).body).toEqual({ users: [], licensesInUse: 0 });
    expect((await admin.get('/providers')).body).toEqual(providersBefore);
    expect((await scim.get('/Users')).body.totalResults).toBe(0);
    await request(appOf(c42)).get('/scim/v2/Users').set(bearer(added.token)).expect(200);
  });
});

describe('GET and PUT /__admin/state', () => {
  it('exports users, Code42 statuses and providers, and another instance imports them', async () => {
    const a = lab();
    const { body: created } = await a.scim.post('/Users', user('moved@example.com', { title: 'Engineer' }));
    await a.scim.put(`/Users/${created.id}`, user('moved@example.com', { title: 'Engineer', active: false }));
    const second = (await a.admin.post('/providers', { name: 'Second' }).expect(201)).body;
    const state = (await a.admin.get('/state').expect(200)).body;
    expect(state).toMatchObject({ kind: 'scim-lab/code42-state', version: 1 });
    expect(state.users.map((u: { userName: string }) => u.userName)).toEqual(['moved@example.com']);
    expect(state.code42).toEqual([expect.objectContaining({ id: created.id, status: 'blocked', licensed: true })]);
    expect(state.providers.map((p: { name: string }) => p.name)).toEqual(['PingOne', 'Second']);

    const b = lab();
    await b.admin.put('/state', state).expect(204);
    const read = await b.scim.get(`/Users/${created.id}`).expect(200);
    expect(read.body).toMatchObject({ userName: 'moved@example.com', title: 'Engineer', active: false });
    expect(read.body.meta).toMatchObject({
      created: state.users[0].meta.created,
      version: state.users[0].meta.version,
    });
    expect((await b.admin.get('/users')).body.users).toEqual(
      state.code42.map((side: object) => ({
        ...side,
        organization: 'Default',
        roles: [],
        groups: [],
        why: expect.anything(),
      })),
    );
    await request(appOf(b.c42)).get('/scim/v2/Users').set(bearer(second.token)).expect(200);
    // A second export of the imported state gives back the same document.
    const again = (await b.admin.get('/state')).body;
    expect({ ...again, users: again.users.length }).toEqual({ ...state, users: 1 });
  });

  it('refuses a state with a field it would drop, naming it, and keeps the state it had', async () => {
    const a = lab();
    await a.scim.post('/Users', user('kept@example.com')).expect(201);
    const state = (await a.admin.get('/state').expect(200)).body;
    const b = lab();
    await b.scim.post('/Users', user('before@example.com')).expect(201);
    const res = await b.admin.put('/state', { ...state, shadowUsers: [{ note: 'from a newer version' }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR_URN], scimType: 'invalidValue' });
    expect(res.body.detail).toContain('shadowusers');
    expect(res.body.detail).toContain('nothing was imported');
    const after = (await b.admin.get('/state')).body;
    expect(after.users.map((u: { userName: string }) => u.userName)).toEqual(['before@example.com']);
  });

  it('keeps the configured token working after importing a state saved with another one', async () => {
    const a = lab({ token: 'token-of-instance-a' });
    await request(appOf(a.c42))
      .post('/scim/v2/Users')
      .set(bearer('token-of-instance-a'))
      .send(user('carried@example.com'))
      .expect(201);
    const state = (await a.admin.get('/state')).body;
    const b = lab({ token: 'token-of-instance-b' });
    await b.admin.put('/state', state).expect(204);
    const res = await request(appOf(b.c42))
      .get('/scim/v2' + filterQuery('userName eq "carried@example.com"'))
      .set(bearer('token-of-instance-b'));
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(1);
  });

  it.each([
    ['no body', undefined],
    ['another kind', { kind: 'something-else', version: 1, users: [] }],
    ['users that are not an array', { kind: 'scim-lab/code42-state', version: 1, users: {} }],
    ['an invalid user', { kind: 'scim-lab/code42-state', version: 1, users: [{ schemas: [], userName: 5 }] }],
    ['a bad Code42 status', { kind: 'scim-lab/code42-state', version: 1, users: [], code42: [{ id: 'x' }] }],
  ])('refuses a state with %s with 400 and keeps the current users', async (_name, body) => {
    const { scim, admin } = lab();
    await scim.post('/Users', user('stays@example.com')).expect(201);
    const res = await admin.put('/state', body);
    expect(res.status).toBe(400);
    expect(res.body.schemas).toEqual([ERROR_URN]);
    expect((await scim.get('/Users')).body.totalResults).toBe(1);
  });
});

describe('GET and DELETE /__admin/journal', () => {
  it('records each SCIM exchange, newest last, with its provider and Authorization redacted', async () => {
    const { c42, scim, admin } = lab();
    const created = await scim.post('/Users', user('journaled@example.com')).expect(201);
    await scim.get(`/Users/${created.body.id}`).expect(200);
    const { body } = await admin.get('/journal').expect(200);
    expect(body.dropped).toBe(0);
    expect(body.entries.map((e: { method: string }) => e.method)).toEqual(['POST', 'GET']);
    const [post] = body.entries;
    expect(post).toEqual({
      time: expect.any(String),
      direction: 'inbound',
      provider: c42.providers.list()[0].id,
      method: 'POST',
      url: expect.stringMatching(/\/scim\/v2\/Users$/),
      status: 201,
      durationMs: expect.any(Number),
      request: {
        headers: expect.objectContaining({ authorization: '[redacted]' }),
        body: user('journaled@example.com'),
      },
      response: {
        headers: expect.objectContaining({ location: created.headers.location }),
        body: created.body,
      },
    });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });

  it('records a refused request without a provider and never records admin calls', async () => {
    const { c42, admin } = lab();
    await request(appOf(c42)).get('/scim/v2/Users').set(bearer('not-a-known-token')).expect(401);
    await admin.get('/users').expect(200);
    const { entries } = (await admin.get('/journal')).body;
    expect(entries).toHaveLength(1);
    expect(entries[0].status).toBe(401);
    expect(entries[0]).not.toHaveProperty('provider');
    expect(entries[0].request.headers.authorization).toBe('[redacted]');
  });

  it('filters by method, path, status and limit', async () => {
    const { scim, admin } = lab();
    const a = (await scim.post('/Users', user('a@example.com'))).body.id;
    await scim.post('/Users', user('b@example.com')).expect(201);
    await scim.get(`/Users/${a}`).expect(200);
    await scim.get('/Users/missing').expect(404);
    const urls = async (query: string) =>
      ((await admin.get(`/journal?${query}`).expect(200)).body.entries as { method: string; url: string }[]).map(
        (e) => `${e.method} ${new URL(e.url).pathname}`,
      );
    expect(await urls('method=post')).toEqual(['POST /scim/v2/Users', 'POST /scim/v2/Users']);
    expect(await urls(`path=${a}`)).toEqual([`GET /scim/v2/Users/${a}`]);
    expect(await urls('path=/scim/v2/Users/*')).toEqual([`GET /scim/v2/Users/${a}`, 'GET /scim/v2/Users/missing']);
    expect(await urls('status=404')).toEqual(['GET /scim/v2/Users/missing']);
    expect(await urls('limit=1')).toEqual(['GET /scim/v2/Users/missing']);
    expect(await urls('direction=inbound&limit=2')).toEqual([`GET /scim/v2/Users/${a}`, 'GET /scim/v2/Users/missing']);
  });

  it('refuses an unknown or malformed query parameter with 400 naming it', async () => {
    const { admin } = lab();
    expect((await admin.get('/journal?colour=red')).body.detail).toMatch(/'colour'/);
    expect((await admin.get('/journal?status=abc')).status).toBe(400);
    expect((await admin.get('/journal?limit=0')).status).toBe(400);
  });

  it('drops the oldest entries beyond journalCap and reports how many', async () => {
    const { scim, admin } = lab({ journalCap: 2 });
    for (const n of [1, 2, 3, 4, 5]) await scim.post('/Users', user(`cap${n}@example.com`)).expect(201);
    const { body } = await admin.get('/journal');
    expect(body.dropped).toBe(3);
    expect(body.entries.map((e: { request: { body: { userName: string } } }) => e.request.body.userName)).toEqual([
      'cap4@example.com',
      'cap5@example.com',
    ]);
  });

  it('clears the journal on DELETE', async () => {
    const { scim, admin } = lab({ journalCap: 1 });
    await scim.get('/Users').expect(200);
    await scim.get('/Users').expect(200);
    await admin.delete('/journal').expect(204);
    expect((await admin.get('/journal')).body).toEqual({ entries: [], dropped: 0 });
  });
});

describe('GET /__admin/journal.har', () => {
  it('exports the journal as HAR 1.2, with the provider and redacted credentials', async () => {
    const { c42, scim, admin } = lab();
    await scim.post('/Users', user('har@example.com')).expect(201);
    const { body } = await admin.get('/journal.har').expect(200);
    const { version } = JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { version: string };
    expect(body.log).toMatchObject({ version: '1.2', creator: { name: 'scim-lab', version } });
    expect(body.log.entries).toHaveLength(1);
    const [entry] = body.log.entries;
    expect(entry).toMatchObject({
      startedDateTime: expect.any(String),
      request: { method: 'POST', url: expect.stringMatching(/\/scim\/v2\/Users$/), httpVersion: 'HTTP/1.1' },
      response: { status: 201, content: { mimeType: expect.stringMatching(/^application\/scim\+json/) } },
      _provider: c42.providers.list()[0].id,
    });
    expect(entry.request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' });
    expect(JSON.parse(entry.request.postData.text)).toEqual(user('har@example.com'));
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });
});

describe('GET, POST and DELETE /__admin/faults', () => {
  it('adds a rule (201, with its id), lists it and clears every rule', async () => {
    const { admin } = lab();
    expect((await admin.get('/faults')).body).toEqual({ faults: [] });
    const rule = { match: { method: 'POST', path: '/Users*' }, action: 'status', status: 429, retryAfter: 2, times: 3 };
    const added = await admin.post('/faults', rule).expect(201);
    expect(added.body).toEqual({ ...rule, id: expect.any(String), remaining: 3, hits: 0 });
    expect((await admin.get('/faults')).body).toEqual({ faults: [added.body] });
    await admin.delete('/faults').expect(204);
    expect((await admin.get('/faults')).body).toEqual({ faults: [] });
  });

  it.each([
    ['an unknown action', { action: 'explode' }, /'action'/],
    ['a status rule without status', { action: 'status' }, /'status'/],
    ['latency without latencyMs', { action: 'latency' }, /'latencyMs'/],
    ['both times and percent', { action: 'reset', times: 1, percent: 50 }, /'times' or 'percent'/],
    ['an unknown field', { action: 'empty', when: 'now' }, /'when'/],
    ['an outbound rule, which Code42 never applies', { action: 'reset', direction: 'outbound' }, /'direction'/],
  ])('refuses %s with 400 naming the field', async (_name, rule, detail) => {
    const { admin } = lab();
    const res = await admin.post('/faults', rule);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidValue');
    expect(res.body.detail).toMatch(detail);
    expect((await admin.get('/faults')).body).toEqual({ faults: [] });
  });
});

describe('GET /__admin/clock and POST /__admin/clock/advance', () => {
  it('starts at offset 0 and advancing moves the time SCIM stamps on users', async () => {
    const { scim, admin } = lab();
    const before = (await admin.get('/clock').expect(200)).body;
    expect(before).toEqual({ now: expect.any(String), offsetMs: 0 });
    const day = 86_400_000;
    const advanced = (await admin.post('/clock/advance', { ms: day }).expect(200)).body;
    expect(advanced.offsetMs).toBe(day);
    expect(Date.parse(advanced.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(day);
    const created = (await scim.post('/Users', user('tomorrow@example.com'))).body;
    expect(Date.parse(created.meta.created)).toBeGreaterThanOrEqual(Date.parse(advanced.now));
  });

  it.each([[{}], [{ ms: -1 }], [{ ms: 'soon' }]])('refuses %j with 400', async (body) => {
    const { admin } = lab();
    const res = await admin.post('/clock/advance', body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/'ms'/);
    expect((await admin.get('/clock')).body.offsetMs).toBe(0);
  });
});

describe('"Add SCIM provider": /__admin/providers', () => {
  it('lists the providers without their tokens, the CLI one first', async () => {
    const { admin } = lab({ providerName: 'PingOne prod' });
    const added = (await admin.post('/providers', { name: '  Staging  ' }).expect(201)).body;
    expect(added.name).toBe('Staging');
    const { providers } = (await admin.get('/providers').expect(200)).body;
    expect(providers).toEqual([
      { id: expect.any(String), name: 'PingOne prod', createdAt: expect.any(String) },
      { id: added.id, name: 'Staging', createdAt: expect.any(String) },
    ]);
    expect(JSON.stringify(providers)).not.toContain(TOKEN);
    expect(JSON.stringify(providers)).not.toContain(added.token);
  });

  it('revokes a provider: its token stops working, the record stays with revokedAt, and others keep working', async () => {
    const { c42, scim, admin } = lab();
    const added = (await admin.post('/providers', { name: 'Temporary' })).body;
    await admin.delete(`/providers/${added.id}`).expect(204);
    expect((await request(appOf(c42)).get('/scim/v2/Users').set(bearer(added.token))).status).toBe(401);
    await scim.get('/Users').expect(200);
    const listed = (await admin.get('/providers')).body.providers;
    expect(listed[1]).toMatchObject({ id: added.id, revokedAt: expect.any(String) });
  });

  it('answers 404 for an unknown or already revoked provider', async () => {
    const { admin } = lab();
    expect((await admin.delete('/providers/unknown-id')).status).toBe(404);
    const added = (await admin.post('/providers', { name: 'Once' })).body;
    await admin.delete(`/providers/${added.id}`).expect(204);
    expect((await admin.delete(`/providers/${added.id}`)).status).toBe(404);
  });

  it.each([[{}], [{ name: '' }], [{ name: 42 }], [{ name: 'x'.repeat(201) }]])('refuses %j with 400', async (body) => {
    const { admin } = lab();
    const res = await admin.post('/providers', body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/'name'/);
    expect((await admin.get('/providers')).body.providers).toHaveLength(1);
  });
});

describe('GET /__admin/users: the Code42 side', () => {
  it('shows each user active and licensed once created, and counts licences in use', async () => {
    const { scim, admin } = lab();
    expect((await admin.get('/users')).body).toEqual({ users: [], licensesInUse: 0 });
    const { body } = await scim.post('/Users', user('seen@example.com')).expect(201);
    expect((await admin.get('/users')).body).toEqual({
      users: [
        {
          id: body.id,
          userName: 'seen@example.com',
          status: 'active',
          licensed: true,
          createdAt: expect.any(String),
          organization: 'Default',
          roles: [],
          groups: [],
          why: { organization: expect.any(String), roles: {} },
        },
      ],
      licensesInUse: 1,
    });
  });

  it('follows a userName change made over SCIM', async () => {
    const { scim, admin } = lab();
    const { body } = await scim.post('/Users', user('old@example.com')).expect(201);
    await scim.put(`/Users/${body.id}`, user('new@example.com')).expect(200);
    expect((await admin.get('/users')).body.users[0].userName).toBe('new@example.com');
  });
});
