import request from 'supertest';
import { createUserFactory } from '../fixtures/users';
import { createPingOne } from './index';
import type { PingOne } from './index';
import { SEED_SETTINGS } from '../fixtures/mapping';
import { appOf, TEST_SHELL } from './test-support/shell';

// The management API in PingOne Platform API shapes (S5), driven from outside with supertest.

const factory = createUserFactory({ seed: 7, prefix: 'api-' });

function setup(options: Parameters<typeof createPingOne>[0] = {}) {
  const p1: PingOne = createPingOne({
    apiToken: 'api-token-1234',
    adminToken: 'admin-token-1234',
    shell: TEST_SHELL,
    ...options,
  });
  const envId = p1.seedIds().environmentId;
  const env = `/v1/environments/${envId}`;
  const agent = request(appOf(p1));
  const bearer = 'Bearer api-token-1234';
  return {
    p1,
    envId,
    env,
    get: (path: string) => agent.get(env + path).set('Authorization', bearer),
    post: (path: string, body?: unknown) =>
      agent
        .post(env + path)
        .set('Authorization', bearer)
        .send(body as object),
    put: (path: string, body?: unknown) =>
      agent
        .put(env + path)
        .set('Authorization', bearer)
        .send(body as object),
    patch: (path: string, body?: unknown) =>
      agent
        .patch(env + path)
        .set('Authorization', bearer)
        .send(body as object),
    del: (path: string) => agent.delete(env + path).set('Authorization', bearer),
    agent,
  };
}

/** PingOne's error body: `{id, code, message, details[{code, target, message}]}`. */
function expectPingOneError(res: request.Response, status: number, code: string, target?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String), code, message: expect.any(String) }));
  if (target !== undefined)
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ target })]));
}

/** supertest serves each request on a fresh port, so `_links` hosts differ between requests. */
function withoutLinks(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  delete copy._links;
  return copy;
}

let lab: ReturnType<typeof setup>;
beforeEach(() => {
  lab = setup();
});
afterEach(async () => {
  await lab.p1.close();
});

describe('S5 authentication: static API token and client-credentials tokens', () => {
  it('answers 401 ACCESS_FAILED without a token', async () => {
    const res = await lab.agent.get(`${lab.env}/users`);
    expectPingOneError(res, 401, 'ACCESS_FAILED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers 401 ACCESS_FAILED for a wrong token and for the admin token', async () => {
    expectPingOneError(
      await lab.agent.get(`${lab.env}/users`).set('Authorization', 'Bearer nope-nope'),
      401,
      'ACCESS_FAILED',
    );
    expectPingOneError(
      await lab.agent.get(`${lab.env}/users`).set('Authorization', 'Bearer admin-token-1234'),
      401,
      'ACCESS_FAILED',
    );
  });

  it('issues a bearer token for client credentials sent with HTTP Basic, and the API accepts it', async () => {
    const { clientId, clientSecret } = lab.p1.options;
    const res = await lab.agent
      .post(`/${lab.envId}/as/token`)
      .auth(clientId, clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: '' });
    expect(res.headers['cache-control']).toBe('no-store');
    const users = await lab.agent.get(`${lab.env}/users`).set('Authorization', `Bearer ${res.body.access_token}`);
    expect(users.status).toBe(200);
  });

  it('issues a token for client_id and client_secret in the form body', async () => {
    const { clientId, clientSecret } = lab.p1.options;
    const res = await lab.agent
      .post(`/${lab.envId}/as/token`)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await lab.agent
      .post(`/${lab.envId}/as/token`)
      .auth(lab.p1.options.clientId, 'wrong')
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses another grant type with 400 unsupported_grant_type', async () => {
    const res = await lab.agent
      .post(`/${lab.envId}/as/token`)
      .auth(lab.p1.options.clientId, lab.p1.options.clientSecret)
      .type('form')
      .send({ grant_type: 'password' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('stops accepting an issued token once it has expired on the virtual clock', async () => {
    const res = await lab.agent
      .post(`/${lab.envId}/as/token`)
      .auth(lab.p1.options.clientId, lab.p1.options.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    lab.p1.clock.advance(3600 * 1000);
    const after = await lab.agent.get(`${lab.env}/users`).set('Authorization', `Bearer ${res.body.access_token}`);
    expectPingOneError(after, 401, 'ACCESS_FAILED');
  });

  it('answers 404 NOT_FOUND for another environment id', async () => {
    const res = await lab.agent
      .get('/v1/environments/not-this-one/users')
      .set('Authorization', 'Bearer api-token-1234');
    expectPingOneError(res, 404, 'NOT_FOUND');
  });
});

describe('S5 environments', () => {
  it('lists the one default environment in HAL form', async () => {
    const res = await lab.agent.get('/v1/environments').set('Authorization', 'Bearer api-token-1234');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        _links: { self: { href: expect.stringMatching(/\/v1\/environments$/) } },
        count: 1,
        size: 1,
      }),
    );
    expect(res.body._embedded.environments[0].id).toBe(lab.envId);
  });
});

describe('S5 populations', () => {
  it('starts with exactly one population, the default', async () => {
    const res = await lab.get('/populations');
    expect(res.body._embedded.populations).toHaveLength(1);
    expect(res.body._embedded.populations[0]).toEqual(expect.objectContaining({ default: true, userCount: 0 }));
  });

  it('creates, reads, updates and deletes a population', async () => {
    const created = await lab.post('/populations', { name: 'Contractors', description: 'External staff' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(
      expect.objectContaining({ name: 'Contractors', default: false, environment: { id: lab.envId } }),
    );
    const id = created.body.id;
    expect((await lab.get(`/populations/${id}`)).body.name).toBe('Contractors');
    const updated = await lab.put(`/populations/${id}`, { name: 'Contractors EU' });
    expect(updated.body).toEqual(expect.objectContaining({ name: 'Contractors EU' }));
    expect(updated.body.description).toBeUndefined();
    expect((await lab.del(`/populations/${id}`)).status).toBe(204);
    expectPingOneError(await lab.get(`/populations/${id}`), 404, 'NOT_FOUND');
  });

  it('moves the default to a population created as default, keeping exactly one', async () => {
    const created = await lab.post('/populations', { name: 'New default', default: true });
    const all = (await lab.get('/populations')).body._embedded.populations;
    expect(all.filter((p: { default: boolean }) => p.default).map((p: { id: string }) => p.id)).toEqual([
      created.body.id,
    ]);
  });

  it('refuses to delete the default population, changing nothing', async () => {
    const id = lab.p1.seedIds().populationId;
    expectPingOneError(await lab.del(`/populations/${id}`), 400, 'INVALID_REQUEST', 'default');
    expect((await lab.get(`/populations/${id}`)).status).toBe(200);
  });

  it('refuses to delete a population that still has users', async () => {
    const pop = (await lab.post('/populations', { name: 'Busy' })).body;
    await lab.post('/users', { ...factory.next('minimal'), population: { id: pop.id } }).expect(201);
    expectPingOneError(await lab.del(`/populations/${pop.id}`), 400, 'INVALID_REQUEST', 'userCount');
  });

  it('refuses a population without a name, naming the field', async () => {
    expectPingOneError(await lab.post('/populations', {}), 400, 'INVALID_DATA', 'name');
  });

  it('refuses a duplicate population name with 409 UNIQUENESS_VIOLATION', async () => {
    await lab.post('/populations', { name: 'Twice' }).expect(201);
    expectPingOneError(await lab.post('/populations', { name: 'twice' }), 409, 'UNIQUENESS_VIOLATION', 'name');
  });
});

describe('S5 users: create, read, list, replace, patch, delete', () => {
  it('creates a user with every S5 field and reads it back', async () => {
    const user = factory.next('full');
    const res = await lab.post('/users', user);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        ...user,
        id: expect.any(String),
        enabled: true,
        environment: { id: lab.envId },
        population: { id: lab.p1.seedIds().populationId },
        createdAt: expect.any(String),
      }),
    );
    expect(res.body._links.self.href).toMatch(new RegExp(`/users/${res.body.id}$`));
    const read = await lab.get(`/users/${res.body.id}`);
    expect(withoutLinks(read.body)).toEqual(withoutLinks(res.body));
  });

  it('lists users in HAL form with count and size', async () => {
    for (let i = 0; i < 3; i++) await lab.post('/users', factory.next('minimal')).expect(201);
    const res = await lab.get('/users');
    expect(res.body).toEqual(expect.objectContaining({ count: 3, size: 3, _links: expect.any(Object) }));
    expect(res.body._embedded.users).toHaveLength(3);
  });

  it('pages the list with limit and a next link', async () => {
    for (let i = 0; i < 3; i++) await lab.post('/users', factory.next('minimal')).expect(201);
    const first = await lab.get('/users?limit=2');
    expect(first.body).toEqual(expect.objectContaining({ count: 3, size: 2 }));
    const next = new URL(first.body._links.next.href);
    const second = await lab.agent.get(next.pathname + next.search).set('Authorization', 'Bearer api-token-1234');
    expect(second.body.size).toBe(1);
  });

  it('filters the list on username, email and population.id', async () => {
    const a = (await lab.post('/users', factory.next('minimal'))).body;
    const pop = (await lab.post('/populations', { name: 'Other' })).body;
    const b = (await lab.post('/users', { ...factory.next('minimal'), population: { id: pop.id } })).body;
    const byName = await lab.get(`/users?filter=${encodeURIComponent(`username eq "${a.username.toUpperCase()}"`)}`);
    expect(byName.body._embedded.users.map((u: { id: string }) => u.id)).toEqual([a.id]);
    const byEmail = await lab.get(`/users?filter=${encodeURIComponent(`email eq "${b.email}"`)}`);
    expect(byEmail.body._embedded.users.map((u: { id: string }) => u.id)).toEqual([b.id]);
    const byPop = await lab.get(`/users?filter=${encodeURIComponent(`population.id eq "${pop.id}"`)}`);
    expect(byPop.body._embedded.users.map((u: { id: string }) => u.id)).toEqual([b.id]);
  });

  it('refuses a filter it cannot parse with 400 naming filter', async () => {
    expectPingOneError(
      await lab.get(`/users?filter=${encodeURIComponent('username eqq "x"')}`),
      400,
      'INVALID_DATA',
      'filter',
    );
  });

  it('replaces the user on PUT, removing the attributes the body leaves out', async () => {
    const user = factory.next('full');
    const created = (await lab.post('/users', user)).body;
    const res = await lab.put(`/users/${created.id}`, { username: user.username, email: user.email });
    expect(res.status).toBe(200);
    expect(res.body.title).toBeUndefined();
    expect(res.body.address).toBeUndefined();
    expect(res.body.email).toBe(user.email);
  });

  it('accepts a read user written back with PUT (read-only fields are ignored)', async () => {
    const created = (await lab.post('/users', factory.next('full'))).body;
    const res = await lab.put(`/users/${created.id}`, created);
    expect(res.status).toBe(200);
    expect(withoutLinks({ ...res.body, updatedAt: created.updatedAt })).toEqual(withoutLinks(created));
  });

  it('changes only the given attributes on PATCH; null removes one', async () => {
    const user = factory.next('full');
    const created = (await lab.post('/users', user)).body;
    const res = await lab.patch(`/users/${created.id}`, { title: 'Chief', name: { given: 'Changed' }, nickname: null });
    expect(res.body).toEqual(
      expect.objectContaining({ title: 'Chief', email: user.email, name: { ...user.name, given: 'Changed' } }),
    );
    expect(res.body.nickname).toBeUndefined();
  });

  it('enables and disables a user with PUT …/enabled', async () => {
    const created = (await lab.post('/users', factory.next('minimal'))).body;
    const res = await lab.put(`/users/${created.id}/enabled`, { enabled: false });
    expect(res.status).toBe(200);
    expect(res.body.enabled).toBe(false);
    expect((await lab.get(`/users/${created.id}`)).body.enabled).toBe(false);
    expectPingOneError(
      await lab.put(`/users/${created.id}/enabled`, { enabled: 'no' }),
      400,
      'INVALID_DATA',
      'enabled',
    );
  });

  it('moves a user to another population with PUT …/population; a user is in exactly one', async () => {
    const created = (await lab.post('/users', factory.next('minimal'))).body;
    const pop = (await lab.post('/populations', { name: 'Moved' })).body;
    const res = await lab.put(`/users/${created.id}/population`, { id: pop.id });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(pop.id);
    expect((await lab.get(`/users/${created.id}`)).body.population).toEqual({ id: pop.id });
    expectPingOneError(
      await lab.put(`/users/${created.id}/population`, { id: 'nope' }),
      400,
      'INVALID_DATA',
      'population.id',
    );
  });

  it('deletes a user', async () => {
    const created = (await lab.post('/users', factory.next('minimal'))).body;
    expect((await lab.del(`/users/${created.id}`)).status).toBe(204);
    expectPingOneError(await lab.get(`/users/${created.id}`), 404, 'NOT_FOUND');
  });
});

describe('S5 users: bad input gets a 400 naming the field and changes nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing username', { email: 'a@example.com' }, 'username'],
    ['an empty username', { username: '' }, 'username'],
    ['a malformed email', { username: 'x1', email: 'not-an-email' }, 'email'],
    ['a three-letter country code', { username: 'x2', address: { countryCode: 'USA' } }, 'address.countryCode'],
    ['an unknown address field', { username: 'x3', address: { planet: 'Mars' } }, 'address.planet'],
    ['an unknown attribute', { username: 'x4', shoeSize: 44 }, 'shoeSize'],
    ['a non-string title', { username: 'x5', title: 7 }, 'title'],
    ['a non-boolean enabled', { username: 'x6', enabled: 'yes' }, 'enabled'],
    ['an unknown population', { username: 'x7', population: { id: 'missing' } }, 'population.id'],
  ];
  it.each(cases)('refuses %s', async (_label, body, target) => {
    expectPingOneError(await lab.post('/users', body), 400, 'INVALID_DATA', target);
    expect((await lab.get('/users')).body.count).toBe(0);
  });

  it('refuses a username already in use, without regard to case, with 409', async () => {
    const user = factory.next('minimal');
    await lab.post('/users', user).expect(201);
    const res = await lab.post('/users', { ...factory.next('minimal'), username: user.username.toUpperCase() });
    expectPingOneError(res, 409, 'UNIQUENESS_VIOLATION', 'username');
    expect((await lab.get('/users')).body.count).toBe(1);
  });

  it('leaves the user unchanged when a PUT is refused', async () => {
    const created = (await lab.post('/users', factory.next('full'))).body;
    expectPingOneError(
      await lab.put(`/users/${created.id}`, { username: created.username, email: 'bad' }),
      400,
      'INVALID_DATA',
      'email',
    );
    expect(withoutLinks((await lab.get(`/users/${created.id}`)).body)).toEqual(withoutLinks(created));
  });

  it('answers 400 INVALID_REQUEST for a body that is not JSON', async () => {
    const res = await lab.agent
      .post(`${lab.env}/users`)
      .set('Authorization', 'Bearer api-token-1234')
      .set('Content-Type', 'application/json')
      .send('{"username": ');
    expectPingOneError(res, 400, 'INVALID_REQUEST');
  });

  it('answers 404 NOT_FOUND for an unknown user and an unknown route', async () => {
    expectPingOneError(await lab.get('/users/does-not-exist'), 404, 'NOT_FOUND');
    expectPingOneError(await lab.get('/nothing-here'), 404, 'NOT_FOUND');
  });
});

const scimStore = (overrides: Record<string, unknown> = {}) => ({
  type: 'scim',
  name: 'Target',
  configuration: {
    ...SEED_SETTINGS,
    SCIM_URL: 'https://scim.example.com/scim/v2/',
    OAUTH_ACCESS_TOKEN: 'store-secret-token',
    ...overrides,
  },
});

describe('S5 identity propagation: stores', () => {
  it('creates a scim store with the documented configuration keys and never echoes the secret', async () => {
    const res = await lab.post('/propagation/stores', scimStore());
    expect(res.status).toBe(201);
    expect(res.body.configuration).toEqual(
      expect.objectContaining({ SCIM_URL: 'https://scim.example.com/scim/v2/', OAUTH_ACCESS_TOKEN: '********' }),
    );
    expect(JSON.stringify((await lab.get(`/propagation/stores/${res.body.id}`)).body)).not.toContain(
      'store-secret-token',
    );
  });

  it('keeps the stored secret when a read store is written back with the mask', async () => {
    const created = (await lab.post('/propagation/stores', scimStore())).body;
    const res = await lab.put(`/propagation/stores/${created.id}`, { ...created, description: 'updated' });
    expect(res.status).toBe(200);
    const exported = lab.p1.exportState() as {
      stores: { id: string; configuration?: { OAUTH_ACCESS_TOKEN?: string } }[];
    };
    expect(exported.stores.find((s) => s.id === created.id)?.configuration?.OAUTH_ACCESS_TOKEN).toBe(
      'store-secret-token',
    );
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a relative SCIM_URL', { SCIM_URL: '/scim' }, 'configuration.SCIM_URL'],
    ['SCIM version 3.0', { SCIM_VERSION: '3.0' }, 'configuration.SCIM_VERSION'],
    ['an unknown update method', { UPDATE_METHOD: 'POST' }, 'configuration.UPDATE_METHOD'],
    [
      'a non-boolean Provision disabled users',
      { PROVISION_DISABLED_USERS: 'yes' },
      'configuration.PROVISION_DISABLED_USERS',
    ],
    [
      'client credentials without a token URL',
      { AUTHENTICATION_METHOD: 'OAuth 2 Client Credentials', OAUTH_CLIENT_ID: 'c', OAUTH_CLIENT_SECRET: 's' },
      'configuration.OAUTH_TOKEN_REQUEST',
    ],
    [
      'client credentials without a secret',
      {
        AUTHENTICATION_METHOD: 'OAuth 2 Client Credentials',
        OAUTH_TOKEN_REQUEST: 'http://127.0.0.1:9/oauth/token',
        OAUTH_CLIENT_ID: 'c',
      },
      'configuration.OAUTH_CLIENT_SECRET',
    ],
    ['a Custom header type without the header', { AUTHORIZATION_TYPE: 'Custom' }, 'configuration.CUSTOM_HEADER'],
    ['a filter without %s', { USER_FILTER: 'username Eq "x"' }, 'configuration.USER_FILTER'],
    ['a filter that does not parse', { USER_FILTER: 'username Eqq "%s"' }, 'configuration.USER_FILTER'],
    ['an unknown identifier', { UNIQUE_USER_IDENTIFIER: 'shoeSize' }, 'configuration.UNIQUE_USER_IDENTIFIER'],
    ['an unknown remove action', { REMOVE_ACTION: 'Shred' }, 'configuration.REMOVE_ACTION'],
    ['a missing token', { OAUTH_ACCESS_TOKEN: undefined }, 'configuration.OAUTH_ACCESS_TOKEN'],
    ['a non-boolean toggle', { CREATE_USERS: 'yes' }, 'configuration.CREATE_USERS'],
    ['an unknown method', { AUTHENTICATION_METHOD: 'Magic' }, 'configuration.AUTHENTICATION_METHOD'],
    ['an unknown key', { SHOE_SIZE: 44 }, 'configuration.SHOE_SIZE'],
  ];
  it.each(bad)('refuses %s, naming the key, and stores nothing', async (_label, overrides, target) => {
    expectPingOneError(await lab.post('/propagation/stores', scimStore(overrides)), 400, 'INVALID_DATA', target);
    expect((await lab.get('/propagation/stores')).body.count).toBe(0);
  });

  it('requires the Basic credentials for Basic Authentication', async () => {
    const res = await lab.post(
      '/propagation/stores',
      scimStore({ AUTHENTICATION_METHOD: 'Basic Authentication', AUTHORIZATION_TYPE: 'Basic', BASIC_AUTH_USER: 'u' }),
    );
    expectPingOneError(res, 400, 'INVALID_DATA', 'configuration.BASIC_AUTH_PASSWORD');
  });
});

describe('S5 identity propagation: plans, rules and mappings', () => {
  async function configured() {
    const directory = (await lab.post('/propagation/stores', { type: 'directory', name: 'PingOne Directory' })).body;
    const store = (await lab.post('/propagation/stores', scimStore())).body;
    const plan = (await lab.post('/propagation/plans', { name: 'Plan', status: 'ACTIVE' })).body;
    const rule = await lab.post(`/propagation/plans/${plan.id}/rules`, {
      name: 'Rule',
      sourceStore: { id: directory.id },
      targetStore: { id: store.id },
      populationExpression: `population.id eq "${lab.p1.seedIds().populationId}"`,
    });
    return { directory, store, plan, rule };
  }

  it('creates a rule, inactive by default, linking the directory to the SCIM store', async () => {
    const { rule, plan, store } = await configured();
    expect(rule.status).toBe(201);
    expect(rule.body).toEqual(
      expect.objectContaining({ active: false, plan: { id: plan.id }, targetStore: { id: store.id } }),
    );
    expect((await lab.get(`/propagation/plans/${plan.id}/rules`)).body._embedded.rules).toHaveLength(1);
  });

  it('allows one plan per environment', async () => {
    await lab.post('/propagation/plans', { name: 'One' }).expect(201);
    expectPingOneError(await lab.post('/propagation/plans', { name: 'Two' }), 400, 'INVALID_REQUEST');
  });

  it('accepts the deprecated populations list as the rule scope', async () => {
    const { directory, store, plan } = await configured();
    const res = await lab.post(`/propagation/plans/${plan.id}/rules`, {
      name: 'Old style',
      sourceStore: { id: directory.id },
      targetStore: { id: store.id },
      populations: [{ id: lab.p1.seedIds().populationId }],
    });
    expect(res.body.populationExpression).toBe(`population.id eq "${lab.p1.seedIds().populationId}"`);
  });

  it('refuses a rule whose target is not a scim store, naming targetStore.id', async () => {
    const { directory, plan } = await configured();
    const res = await lab.post(`/propagation/plans/${plan.id}/rules`, {
      name: 'Backwards',
      sourceStore: { id: directory.id },
      targetStore: { id: directory.id },
      populationExpression: 'enabled eq true',
    });
    expectPingOneError(res, 400, 'INVALID_DATA', 'targetStore.id');
  });

  it('maps a PingOne attribute to a flattened SCIM name', async () => {
    const { rule } = await configured();
    const res = await lab.post(`/propagation/rules/${rule.body.id}/mappings`, {
      sourceAttribute: 'email',
      targetAttribute: 'workEmail',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ sourceAttribute: 'email', targetAttribute: 'workEmail', rule: { id: rule.body.id } }),
    );
  });

  it('corrects the seed typo workStreetAddeess and reports it as an erratum', async () => {
    const { rule } = await configured();
    const res = await lab.post(`/propagation/rules/${rule.body.id}/mappings`, {
      sourceAttribute: 'address.streetAddress',
      targetAttribute: 'workStreetAddeess',
    });
    expect(res.body.targetAttribute).toBe('workStreetAddress');
    expect(res.body.errata).toEqual([
      expect.objectContaining({ seed: 'workStreetAddeess', corrected: 'workStreetAddress' }),
    ]);
  });

  it('refuses an unknown target attribute and a second mapping to the same one', async () => {
    const { rule } = await configured();
    const path = `/propagation/rules/${rule.body.id}/mappings`;
    expectPingOneError(
      await lab.post(path, { sourceAttribute: 'email', targetAttribute: 'shoeSize' }),
      400,
      'INVALID_DATA',
      'targetAttribute',
    );
    await lab.post(path, { sourceAttribute: 'email', targetAttribute: 'workEmail' }).expect(201);
    expectPingOneError(
      await lab.post(path, { sourceAttribute: 'username', targetAttribute: 'workEmail' }),
      409,
      'UNIQUENESS_VIOLATION',
      'targetAttribute',
    );
  });

  it('refuses to delete a store a rule uses', async () => {
    const { store } = await configured();
    expectPingOneError(await lab.del(`/propagation/stores/${store.id}`), 400, 'INVALID_REQUEST');
  });

  it('refuses to change the User Identifier once a rule uses the store [DOC S3]', async () => {
    const { store } = await configured();
    const read = (await lab.get(`/propagation/stores/${store.id}`)).body;
    const res = await lab.put(`/propagation/stores/${store.id}`, {
      ...read,
      configuration: { ...read.configuration, UNIQUE_USER_IDENTIFIER: 'externalId' },
    });
    expectPingOneError(res, 400, 'INVALID_REQUEST', 'configuration.UNIQUE_USER_IDENTIFIER');
  });

  it('deletes the rules and mappings with their plan', async () => {
    const { plan, rule } = await configured();
    await lab.post(`/propagation/rules/${rule.body.id}/mappings`, {
      sourceAttribute: 'email',
      targetAttribute: 'workEmail',
    });
    expect((await lab.del(`/propagation/plans/${plan.id}`)).status).toBe(204);
    expectPingOneError(await lab.get(`/propagation/rules/${rule.body.id}`), 404, 'NOT_FOUND');
    expect((await lab.get('/propagation/rules')).body.count).toBe(0);
  });
});

describe('seed steps 1–9: the configuration created with a target', () => {
  let seeded: ReturnType<typeof setup>;
  beforeEach(() => {
    seeded = setup({ target: { url: 'http://127.0.0.1:9/scim/v2', token: 'code42-token-xyz' } });
  });
  afterEach(async () => {
    await seeded.p1.close();
  });

  it('creates the store with the seed settings and every toggle on', async () => {
    const ids = seeded.p1.seedIds();
    const store = (await seeded.get(`/propagation/stores/${ids.storeId}`)).body;
    // Seed steps 5 and 6, as the fixtures list them; the token masked.
    expect(store.configuration).toEqual({
      ...SEED_SETTINGS,
      SCIM_URL: 'http://127.0.0.1:9/scim/v2',
      OAUTH_ACCESS_TOKEN: '********',
      // Issue 16: the seeded store keeps the seed-era PUT and does not provision disabled users.
      UPDATE_METHOD: 'PUT',
      PROVISION_DISABLED_USERS: false,
    });
  });

  it('creates an active rule on the default population under an ACTIVE plan', async () => {
    const ids = seeded.p1.seedIds();
    const rule = (await seeded.get(`/propagation/rules/${ids.ruleId}`)).body;
    expect(rule).toEqual(
      expect.objectContaining({
        active: true,
        populationExpression: `population.id eq "${ids.populationId}"`,
        plan: { id: ids.planId },
      }),
    );
    expect((await seeded.get(`/propagation/plans/${ids.planId}`)).body.status).toBe('ACTIVE');
    expect((await seeded.get(`/populations/${ids.populationId}`)).body.default).toBe(true);
  });

  it('maps the fourteen seed attributes with the two errata corrected and reported', async () => {
    const ids = seeded.p1.seedIds();
    const mappings = (await seeded.get(`/propagation/rules/${ids.ruleId}/mappings`)).body._embedded.mappings;
    const pairs = mappings.map((m: { sourceAttribute: string; targetAttribute: string }) => [
      m.targetAttribute,
      m.sourceAttribute,
    ]);
    expect(pairs).toEqual([
      ['userName', 'username'],
      ['externalId', 'externalId'],
      ['givenName', 'name.given'],
      ['familyName', 'name.family'],
      ['workPhone', 'primaryPhone'],
      ['workEmail', 'email'],
      ['workCity', 'address.locality'],
      ['workStreetAddress', 'address.streetAddress'],
      ['workCountry', 'address.countryCode'],
      ['workPostalCode', 'address.postalCode'],
      ['userType', 'type'],
      ['title', 'title'],
      ['nickName', 'nickname'],
      ['formattedName', 'name.formatted'],
    ]);
    const errata = mappings.flatMap((m: { errata?: { seed: string }[] }) => (m.errata ?? []).map((e) => e.seed));
    expect(errata).toEqual(['workStreetAddeess', 'County Code']);
  });

  it('describes itself with the docs/ pingone object, errata included', async () => {
    const listening = await seeded.p1.listen();
    const d = seeded.p1.describe();
    expect(d).toEqual({
      apiUrl: `${listening.url.replace(/\/$/, '')}/v1`,
      apiToken: 'api-token-1234',
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      adminUrl: `${listening.url.replace(/\/$/, '')}/__admin`,
      adminToken: 'admin-token-1234',
      environmentId: seeded.envId,
      populationId: expect.any(String),
      storeId: expect.any(String),
      planId: expect.any(String),
      ruleId: expect.any(String),
      errata: [
        expect.objectContaining({ seed: 'workStreetAddeess' }),
        expect.objectContaining({ seed: 'County Code' }),
      ],
    });
  });
});
