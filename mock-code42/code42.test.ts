import request from 'supertest';
import express from 'express';
import { createCode42 } from './index';
import { ADMIN, TOKEN, filterQuery, lab, user, USER_URN, appOf } from './test-support';
import { ERROR_URN } from '../fixtures/scim-wire';

function expectScimError(res: request.Response, status: number, scimType?: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.body.schemas).toEqual([ERROR_URN]);
  expect(res.body.status).toBe(String(status));
  if (scimType) expect(res.body.scimType).toBe(scimType);
  else expect(res.body.scimType).toBeUndefined();
}

describe('RFC 7644 §3.3 creating users', () => {
  it('answers 201 with Location, meta and an id', async () => {
    const { scim } = lab();
    const res = await scim.post('/Users', user('bjensen@example.com', { name: { givenName: 'Barbara' } }));
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.headers.location).toBe(`${res.body.meta.location}`);
    expect(res.headers.location).toMatch(new RegExp(`/scim/v2/Users/${res.body.id}$`));
    expect(res.body.meta).toEqual({
      resourceType: 'User',
      created: expect.any(String),
      lastModified: expect.any(String),
      location: expect.any(String),
      version: expect.any(String),
    });
    expect(res.headers.etag).toBe(res.body.meta.version);
    expect(res.body.name).toEqual({ givenName: 'Barbara' });
  });

  it('refuses a second userName that differs only in case with 409 uniqueness', async () => {
    const { scim } = lab();
    await scim.post('/Users', user('Case@Example.com')).expect(201);
    const res = await scim.post('/Users', user('case@example.COM'));
    expectScimError(res, 409, 'uniqueness');
  });
});

describe('PingOne lookup with username Eq "%s" (the Ping entries of docs/sources.md, RFC 7644 §3.4.2.2)', () => {
  it('finds the user by the exact filter PingOne sends', async () => {
    const { scim } = lab();
    const created = await scim.post('/Users', user('alice@example.com'));
    const res = await scim.get(filterQuery('username Eq "alice@example.com"'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(res.body.Resources[0].id).toBe(created.body.id);
  });

  it('matches userName values case-insensitively', async () => {
    const { scim } = lab();
    await scim.post('/Users', user('Mixed.Case@example.com'));
    const res = await scim.get(filterQuery('USERNAME eq "mixed.case@EXAMPLE.com"'));
    expect(res.body.totalResults).toBe(1);
  });

  it('decodes escaped quotes and backslashes in the filter value', async () => {
    const { scim } = lab();
    await scim.post('/Users', user('o"brien\\x@example.com'));
    const res = await scim.get(filterQuery('username Eq "o\\"brien\\\\x@example.com"'));
    expect(res.body.totalResults).toBe(1);
  });

  it('answers 200 with zero results for an unknown user', async () => {
    const { scim } = lab();
    const res = await scim.get(filterQuery('username Eq "nobody@example.com"'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('refuses an invalid filter with 400 invalidFilter', async () => {
    const { scim } = lab();
    expectScimError(await scim.get(filterQuery('username Eqq "x"')), 400, 'invalidFilter');
  });

  it('pages with startIndex and count', async () => {
    const { scim } = lab();
    for (const n of [1, 2, 3, 4, 5]) await scim.post('/Users', user(`page${n}@example.com`)).expect(201);
    const res = await scim.get('/Users?startIndex=2&count=2');
    expect(res.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(res.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
      'page2@example.com',
      'page3@example.com',
    ]);
  });
});

describe('RFC 7644 §3.5.1 replacing users with PUT', () => {
  it('removes attributes the PUT omits', async () => {
    const { scim } = lab();
    const { body } = await scim.post('/Users', user('put@example.com', { title: 'Engineer', nickName: 'Putty' }));
    const res = await scim.put(`/Users/${body.id}`, user('put@example.com', { title: 'Manager' }));
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Manager');
    expect(res.body.nickName).toBeUndefined();
    expect(res.body.meta.version).not.toBe(body.meta.version);
  });

  it('answers 404 for an unknown id and creates nothing', async () => {
    const { scim, c42 } = lab();
    expectScimError(await scim.put('/Users/does-not-exist', user('x@example.com')), 404);
    expect(c42.store.size()).toBe(0);
  });

  it('answers 412 when If-Match names another version', async () => {
    const { scim } = lab();
    const { body } = await scim.post('/Users', user('etag@example.com'));
    const res = await scim.put(`/Users/${body.id}`, user('etag@example.com')).set('If-Match', 'W/"nope"');
    expectScimError(res, 412);
  });
});

describe('Code42 deactivation lifecycle [DOC S7]', () => {
  it('blocks a user at once on active:false and deactivates it 15 minutes later on the virtual clock', async () => {
    const { scim, admin } = lab();
    const { body } = await scim.post('/Users', user('leaver@example.com'));
    await scim.put(`/Users/${body.id}`, user('leaver@example.com', { active: false })).expect(200);
    let view = (await admin.get('/users')).body.users[0];
    expect(view).toMatchObject({ id: body.id, status: 'blocked', licensed: true });
    await admin.post('/clock/advance', { ms: 14 * 60 * 1000 }).expect(200);
    view = (await admin.get('/users')).body.users[0];
    expect(view.status).toBe('blocked');
    await admin.post('/clock/advance', { ms: 60 * 1000 }).expect(200);
    const after = (await admin.get('/users')).body;
    expect(after.users[0]).toMatchObject({ status: 'deactivated', licensed: true, deactivatedAt: expect.any(String) });
    expect(after.licensesInUse).toBe(1);
  });

  it('keeps returning the deactivated user with active:false on SCIM reads [INF]', async () => {
    const { scim, admin } = lab();
    const { body } = await scim.post('/Users', user('gone@example.com'));
    await scim.patch(`/Users/${body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    await admin.post('/clock/advance', { ms: 16 * 60 * 1000 });
    const res = await scim.get(`/Users/${body.id}`);
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await scim.get(filterQuery('username Eq "gone@example.com"'))).body.totalResults).toBe(1);
  });

  it('reactivates on active:true and cancels the pending deactivation', async () => {
    const { scim, admin } = lab();
    const { body } = await scim.post('/Users', user('back@example.com'));
    await scim.put(`/Users/${body.id}`, user('back@example.com', { active: false }));
    await scim.put(`/Users/${body.id}`, user('back@example.com', { active: true }));
    await admin.post('/clock/advance', { ms: 20 * 60 * 1000 });
    expect((await admin.get('/users')).body.users[0]).toMatchObject({
      status: 'active',
      reactivatedAt: expect.any(String),
    });
  });
});

describe('Code42 refuses user deletion (seed step 6.1)', () => {
  it('answers 405 with a SCIM Error that says to deactivate, and keeps the user', async () => {
    const { scim } = lab();
    const { body } = await scim.post('/Users', user('keep@example.com'));
    const res = await scim.delete(`/Users/${body.id}`);
    expectScimError(res, 405);
    expect(res.body.detail).toMatch(/deactivate/);
    expect(res.headers.allow).toBe('GET, PUT, PATCH');
    expect((await scim.get(`/Users/${body.id}`)).body.userName).toBe('keep@example.com');
  });

  it.each([400, 403, 501] as const)('answers the configured --delete-status %s', async (status) => {
    const { scim } = lab({ deleteStatus: status });
    const { body } = await scim.post('/Users', user('keep@example.com'));
    expectScimError(await scim.delete(`/Users/${body.id}`), status);
  });
});

describe('bearer authentication (SEED-5, SEED-6 (docs/sources.md): OAuth 2 Bearer Token)', () => {
  it('answers 401 with WWW-Authenticate without a token, with a wrong one and with the Basic scheme', async () => {
    const { c42 } = lab();
    for (const auth of [undefined, 'Bearer wrong-token-value', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
      const req = request(appOf(c42)).get('/scim/v2/Users');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    }
  });

  it('refuses the admin token on SCIM and the SCIM token on /__admin', async () => {
    const { c42 } = lab();
    expectScimError(await request(appOf(c42)).get('/scim/v2/Users').set('Authorization', `Bearer ${ADMIN}`), 401);
    const res = await request(appOf(c42)).get('/__admin/users').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(401);
  });
});

describe('"Add SCIM provider" (seed; the Code42 entries of docs/sources.md)', () => {
  it('gives each provider a base URL and a token, records which one was used, and revokes on DELETE', async () => {
    const { c42, admin, scim } = lab();
    const added = await admin.post('/providers', { name: 'Second PingOne' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      name: 'Second PingOne',
      baseUrl: expect.stringMatching(/\/scim\/v2$/),
      token: expect.any(String),
    });
    const second = { Authorization: `Bearer ${added.body.token}` };
    await request(appOf(c42)).post('/scim/v2/Users').set(second).send(user('via-second@example.com')).expect(201);
    await scim.get('/Users').expect(200);
    const entries = (await admin.get('/journal')).body.entries;
    expect(entries.map((e: { provider: string }) => e.provider)).toEqual([added.body.id, c42.providers.list()[0].id]);
    expect(JSON.stringify(entries)).not.toContain(added.body.token);
    await admin.delete(`/providers/${added.body.id}`).expect(204);
    expectScimError(await request(appOf(c42)).get('/scim/v2/Users').set(second), 401);
    expect((await scim.get('/Users')).body.totalResults).toBe(1);
  });
});

describe('bad input changes nothing (issue 3)', () => {
  const cases: [string, (l: ReturnType<typeof lab>) => request.Test, number, string | undefined][] = [
    [
      'invalid JSON',
      (l) => l.scim.post('/Users', 'x').send('{"schemas": [').type('application/scim+json'),
      400,
      'invalidSyntax',
    ],
    ['a missing schemas', (l) => l.scim.post('/Users', { userName: 'x@example.com' }), 400, 'invalidSyntax'],
    [
      'a wrong schemas',
      (l) => l.scim.post('/Users', { schemas: ['urn:nope'], userName: 'x@example.com' }),
      400,
      'invalidSyntax',
    ],
    ['a missing userName', (l) => l.scim.post('/Users', { schemas: [USER_URN] }), 400, 'invalidValue'],
    ['a wrong type', (l) => l.scim.post('/Users', user('x@example.com', { active: 'yes' })), 400, 'invalidValue'],
    [
      'an oversized body',
      (l) => l.scim.post('/Users', user('x@example.com', { title: 'x'.repeat(1_100_000) })),
      413,
      undefined,
    ],
    ['a wrong Content-Type', (l) => l.scim.post('/Users', 'x').type('text/plain').send('userName=x'), 415, undefined],
    [
      'an unsupported method',
      (l) => request(appOf(l.c42)).patch('/scim/v2/Users').set('Authorization', `Bearer ${TOKEN}`),
      405,
      undefined,
    ],
  ];
  it.each(cases)('refuses %s with the right SCIM error', async (_name, send, status, scimType) => {
    const l = lab();
    expectScimError(await send(l), status, scimType);
    expect(l.c42.store.size()).toBe(0);
  });

  it('refuses an invalid PATCH with 400 and leaves the user as it was', async () => {
    const { scim } = lab();
    const { body } = await scim.post('/Users', user('patch@example.com', { title: 'Before' }));
    const res = await scim.patch(`/Users/${body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'title', value: 'After' },
        { op: 'replace', path: 'id', value: 'mine' },
      ],
    });
    expectScimError(res, 400, 'mutability');
    expect((await scim.get(`/Users/${body.id}`)).body.title).toBe('Before');
  });

  it('ignores read-only id and meta in a POST body (RFC 7644 §3.3)', async () => {
    const { scim } = lab();
    const res = await scim.post(
      '/Users',
      user('ro@example.com', { id: 'chosen', meta: { created: '2000-01-01T00:00:00Z' } }),
    );
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe('chosen');
    expect(res.body.meta.created).not.toBe('2000-01-01T00:00:00Z');
  });
});

describe('discovery documents', () => {
  it('declares PATCH, filtering, and the User and Group resource types', async () => {
    const { scim } = lab();
    const spc = (await scim.get('/ServiceProviderConfig')).body;
    expect(spc).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true } });
    const types = (await scim.get('/ResourceTypes')).body;
    expect(types.Resources.map((t: { name: string }) => t.name)).toEqual(['User', 'Group']);
    const schemas = (await scim.get('/Schemas')).body;
    expect(schemas.Resources.map((s: { id: string }) => s.id).sort()).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:code42:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]);
  });
});

describe('admin state export and import', () => {
  it('restores users, Code42 statuses and pending deactivations in another instance', async () => {
    const a = lab();
    const { body } = await a.scim.post('/Users', user('move@example.com'));
    await a.scim.put(`/Users/${body.id}`, user('move@example.com', { active: false }));
    const state = (await a.admin.get('/state')).body;
    const b = lab();
    await b.admin.put('/state', state).expect(204);
    expect((await b.scim.get(`/Users/${body.id}`)).body.userName).toBe('move@example.com');
    await b.admin.post('/clock/advance', { ms: 15 * 60 * 1000 });
    expect((await b.admin.get('/users')).body.users[0].status).toBe('deactivated');
  });

  it('refuses an invalid state with 400 and keeps the current users', async () => {
    const { scim, admin, c42 } = lab();
    await scim.post('/Users', user('stay@example.com'));
    const res = await admin.put('/state', { kind: 'scim-lab/code42-state', version: 1, users: [{ userName: 7 }] });
    expect(res.status).toBe(400);
    expect(c42.store.size()).toBe(1);
  });

  it('reset empties users but keeps the tokens', async () => {
    const { scim, admin } = lab();
    await scim.post('/Users', user('tmp@example.com'));
    await admin.post('/reset').expect(204);
    expect((await scim.get('/Users')).body.totalResults).toBe(0);
  });
});

describe('instances', () => {
  it('two instances in one process keep separate users', async () => {
    const a = lab();
    const b = lab();
    await a.scim.post('/Users', user('only-a@example.com')).expect(201);
    expect((await b.scim.get('/Users')).body.totalResults).toBe(0);
  });

  it('refuses a bad option, naming it', () => {
    expect(() => createCode42({ deleteStatus: 404 as never })).toThrow(/deleteStatus/);
    expect(() => createCode42({ deviations: ['nope'] })).toThrow(/deviation 'nope' is unknown/);
  });
});

describe('the remaining endpoints', () => {
  it('searches with POST /Users/.search and a SearchRequest body (RFC 7644 §3.4.3)', async () => {
    const { scim } = lab();
    await scim.post('/Users', user('searched@example.com'));
    await scim.post('/Users', user('other@example.com'));
    const res = await scim.post('/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'username Eq "searched@example.com"',
      attributes: ['userName'],
    });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0]).toEqual({
      schemas: [USER_URN],
      id: expect.any(String),
      userName: 'searched@example.com',
    });
    expectScimError(await scim.post('/Users/.search', { filter: 'userName pr' }), 400, 'invalidSyntax');
  });

  it('serves /ResourceTypes/User and /Schemas/{urn}, and 404 for others', async () => {
    const { scim } = lab();
    expect((await scim.get('/ResourceTypes/User')).body).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schema: USER_URN,
    });
    const schema = (await scim.get(`/Schemas/${USER_URN}`)).body;
    expect(schema.attributes.find((a: { name: string }) => a.name === 'userName')).toMatchObject({
      caseExact: false,
      uniqueness: 'server',
      required: true,
    });
    expectScimError(await scim.get('/ResourceTypes/Role'), 404);
    expectScimError(await scim.get('/Schemas/urn:nope'), 404);
    expectScimError(await scim.get('/Roles'), 404);
  });

  it('answers 404 to GET, PATCH and DELETE of an unknown id', async () => {
    const { scim } = lab();
    expectScimError(await scim.get('/Users/nope'), 404);
    expectScimError(
      await scim.patch('/Users/nope', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'title', value: 'x' }],
      }),
      404,
    );
    expectScimError(await scim.delete('/Users/nope'), 404);
  });

  it('ignores read-only id and meta in a PUT body (RFC 7644 §3.5.1) and keeps the URL id', async () => {
    const { scim } = lab();
    const { body } = await scim.post('/Users', user('put-ro@example.com'));
    const res = await scim.put(
      `/Users/${body.id}`,
      user('put-ro@example.com', { id: 'other', meta: { version: 'W/"99"' } }),
    );
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(body.id);
    expect(res.body.meta.version).toBe('W/"2"');
    expect((await scim.get('/Users/other')).status).toBe(404);
  });

  it('returns only the requested attributes with ?attributes= and drops excluded ones', async () => {
    const { scim } = lab();
    const { body } = await scim.post('/Users', user('proj@example.com', { title: 'T', nickName: 'N' }));
    const only = (await scim.get(`/Users/${body.id}?attributes=title`)).body;
    expect(only).toEqual({ schemas: [USER_URN], id: body.id, title: 'T' });
    const without = (await scim.get(`/Users/${body.id}?excludedAttributes=title,meta`)).body;
    expect(without.title).toBeUndefined();
    expect(without.nickName).toBe('N');
  });
});

describe('the express shell mounted in an app of your own', () => {
  it('answers SCIM and admin requests under the prefix it is mounted at', async () => {
    const c42 = createCode42({ token: TOKEN, adminToken: ADMIN });
    const outer = express();
    outer.use('/code42', c42.app);
    const created = await request(outer)
      .post('/code42/scim/v2/Users')
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(user('mounted@example.com')));
    expect(created.status).toBe(201);
    const health = await request(outer).get('/code42/__admin/health');
    expect(health.body).toEqual({ status: 'ok' });
    const journal = await request(outer).get('/code42/__admin/journal').set('Authorization', `Bearer ${ADMIN}`);
    expect(journal.body.entries.map((e: { url: string }) => new URL(e.url).pathname)).toEqual([
      '/code42/scim/v2/Users',
    ]);
  });
});
