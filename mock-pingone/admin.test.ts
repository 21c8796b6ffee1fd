import request from 'supertest';
import { createPingOne } from './index';
import { startLab } from './test-support/lab';
import type { Lab } from './test-support/lab';
import { appOf } from './test-support/shell';

// docs/admin-api.md: the admin surface of the mock PingOne, over real HTTP, including wait-idle and
// outbound faults; and the instance methods that mirror it.

let lab: Lab;
afterEach(async () => {
  await lab?.close();
});

const admin = (l: Lab) => {
  const agent = request(l.d.adminUrl.replace(/\/__admin$/, ''));
  const auth = `Bearer ${l.d.adminToken}`;
  return {
    get: (path: string) => agent.get(`/__admin${path}`).set('Authorization', auth),
    post: (path: string, body?: object) => agent.post(`/__admin${path}`).set('Authorization', auth).send(body),
    put: (path: string, body?: object) => agent.put(`/__admin${path}`).set('Authorization', auth).send(body),
    raw: agent,
  };
};

describe('docs/admin-api.md admin access', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('answers /health without auth', async () => {
    const res = await admin(lab).raw.get('/__admin/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('refuses the API token on the admin surface and the admin token on the API', async () => {
    expect((await admin(lab).raw.get('/__admin/journal').set('Authorization', `Bearer ${lab.d.apiToken}`)).status).toBe(
      401,
    );
    const api = await request(appOf(lab.p1)).get(`${lab.env}/users`).set('Authorization', `Bearer ${lab.d.adminToken}`);
    expect(api.status).toBe(401);
  });
});

describe('docs/admin-api.md POST /__admin/wait-idle', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('answers 200 once every queued propagation is done', async () => {
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    const res = await admin(lab).post('/wait-idle', { timeoutMs: 10_000 });
    expect(res.status).toBe(200);
    expect(lab.target.byUserName(user.username)).toBeDefined();
  });

  it('answers 504 when propagation is still busy at the timeout', async () => {
    lab.p1.faults.add({ direction: 'outbound', match: { method: 'GET' }, action: 'latency', latencyMs: [500, 500] });
    await lab.createUser(lab.nextUser('minimal'));
    const res = await admin(lab).post('/wait-idle', { timeoutMs: 50 });
    expect(res.status).toBe(504);
    expect(res.body.detail).toMatch(/still busy/);
    expect((await admin(lab).post('/wait-idle', { timeoutMs: 10_000 })).status).toBe(200);
  });

  it('refuses a bad timeoutMs with 400', async () => {
    expect((await admin(lab).post('/wait-idle', { timeoutMs: 'soon' })).status).toBe(400);
  });
});

describe('docs/admin-api.md outbound faults and the outbound journal', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('applies a fault posted with "direction":"outbound" to the provisioner\u2019s SCIM calls', async () => {
    const fault = await admin(lab).post('/faults', {
      direction: 'outbound',
      match: { method: 'POST', path: '/Users*' },
      action: 'status',
      status: 500,
      times: 1,
    });
    expect(fault.status).toBe(201);
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await admin(lab).post('/wait-idle', { timeoutMs: 10_000 }).expect(200);
    const journal = (await admin(lab).get('/journal?direction=outbound&method=POST')).body.entries;
    expect(journal.map((e: { status: number }) => e.status)).toEqual([500, 201]);
    expect(journal[0].error).toMatch(/injected fault/);
    expect(lab.target.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('applies an inbound fault (the default direction) to the management API itself', async () => {
    await admin(lab)
      .post('/faults', {
        match: { method: 'GET', path: '/environments/*/users' },
        action: 'status',
        status: 503,
        retryAfter: 2,
        times: 1,
      })
      .expect(201);
    const faulted = await lab.api.get('/users');
    expect(faulted.status).toBe(503);
    expect(faulted.headers['retry-after']).toBe('2');
    expect((await lab.api.get('/users')).status).toBe(200);
  });

  it('journals inbound and outbound exchanges with every credential redacted', async () => {
    await lab.createUser(lab.nextUser('full'));
    await lab.idle();
    const { entries } = (await admin(lab).get('/journal')).body;
    expect(entries.map((e: { direction: string }) => e.direction)).toEqual(
      expect.arrayContaining(['inbound', 'outbound']),
    );
    for (const entry of entries) expect(entry.request.headers.authorization).toBe('[redacted]');
    const text = JSON.stringify(entries);
    expect(text).not.toContain(lab.d.apiToken);
    expect(text).not.toContain(lab.target.token);
  });

  it('exports the journal as HAR 1.2, outbound exchanges marked', async () => {
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const har = (await admin(lab).get('/journal.har')).body;
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.filter((e: { _direction: string }) => e._direction === 'outbound')).toHaveLength(2);
  });

  it('caps the journal, dropping the oldest entries and counting them', async () => {
    await lab.close();
    lab = await startLab({ p1: { journalCap: 3 } });
    for (let i = 0; i < 3; i++) await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const body = (await admin(lab).get('/journal')).body;
    expect(body.entries).toHaveLength(3);
    expect(body.dropped).toBeGreaterThan(0);
  });
});

describe('docs/admin-api.md reset', () => {
  it('empties users, sync status, journal and faults, and keeps tokens and every seeded id valid', async () => {
    lab = await startLab();
    const token = (
      await request(appOf(lab.p1))
        .post(`/${lab.d.environmentId}/as/token`)
        .auth(lab.d.clientId, lab.d.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
    ).body.access_token;
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    lab.p1.faults.add({ match: { path: '/nothing' }, action: 'status', status: 500 });
    expect((await admin(lab).post('/reset')).status).toBe(204);

    expect((await admin(lab).get('/journal')).body.entries).toHaveLength(0);
    expect((await admin(lab).get('/faults')).body.faults).toHaveLength(0);
    expect((await lab.api.get('/users').expect(200)).body.count).toBe(0);
    expect((await lab.summary()).users.impacted).toBe(0);
    for (const path of [
      `/populations/${lab.d.populationId}`,
      `/propagation/stores/${lab.d.storeId}`,
      `/propagation/plans/${lab.d.planId}`,
      `/propagation/rules/${lab.d.ruleId}`,
    ]) {
      await lab.api.get(path).expect(200);
    }
    await request(appOf(lab.p1)).get(`${lab.env}/users`).set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('drops queued and in-flight propagation, so nothing from before the reset reaches the target afterwards', async () => {
    lab = await startLab();
    lab.p1.faults.add({ direction: 'outbound', match: { method: 'GET' }, action: 'latency', latencyMs: [300, 300] });
    for (let i = 0; i < 3; i++) await lab.createUser(lab.nextUser('minimal'));
    lab.p1.reset();
    await lab.idle();
    expect(lab.target.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect((await lab.summary()).users.impacted).toBe(0);
  });
});

describe('docs/admin-api.md state export and import', () => {
  it('exports users, configuration (secrets included), mappings and sync status, and a new instance imports them', async () => {
    lab = await startLab();
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.idle();
    const state = (await admin(lab).get('/state')).body;
    expect(state.users.map((u: { id: string }) => u.id)).toEqual([created.id]);
    expect(JSON.stringify(state.stores)).toContain(lab.target.token);
    expect(state.mappings).toHaveLength(14);
    expect(state.sync.records).toEqual([expect.objectContaining({ userId: created.id, status: 'SUCCESS' })]);
    expect(state.journal).toBeUndefined();

    const copy = createPingOne({ adminToken: 'copy-admin-token' });
    try {
      await request(appOf(copy))
        .put('/__admin/state')
        .set('Authorization', 'Bearer copy-admin-token')
        .send(state)
        .expect(204);
      expect(copy.seedIds()).toEqual({
        environmentId: lab.d.environmentId,
        populationId: lab.d.populationId,
        storeId: lab.d.storeId,
        planId: lab.d.planId,
        ruleId: lab.d.ruleId,
      });
      const env = `/v1/environments/${lab.d.environmentId}`;
      const auth = `Bearer ${copy.options.apiToken}`;
      const read = await request(appOf(copy)).get(`${env}/users/${created.id}`).set('Authorization', auth).expect(200);
      expect(read.body.username).toBe(user.username);
      const synced = await request(appOf(copy))
        .get(`${env}/users/${created.id}/syncedRules/${lab.d.ruleId}`)
        .set('Authorization', auth);
      expect(synced.body.status).toBe('SUCCESS');
      // The imported store keeps its secret: the copy provisions into the same target.
      const second = lab.nextUser('minimal');
      await request(appOf(copy)).post(`${env}/users`).set('Authorization', auth).send(second).expect(201);
      await copy.waitIdle(10_000);
      expect(lab.target.byUserName(second.username)).toBeDefined();
    } finally {
      await copy.close();
    }
  });

  it('refuses a state document that is not one, naming the problem, and keeps the current state', async () => {
    lab = await startLab();
    await lab.createUser(lab.nextUser('minimal'));
    const res = await admin(lab).put('/state', { kind: 'scim-lab/pingone', version: 1, users: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/state:/);
    expect((await lab.api.get('/users')).body.count).toBe(1);
  });

  it('refuses a sync status whose record has an unknown status, naming the field', async () => {
    lab = await startLab();
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const state = (await admin(lab).get('/state')).body;
    state.sync.records[0].status = 'DONE';
    const res = await admin(lab).put('/state', state);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidValue');
    expect(res.body.detail).toContain("'sync.records[0].status' must be one of SUCCESS, FAILED, UNSYNCED");
  });

  it('refuses a rule whose plan reference is not an object with an id, naming the field', async () => {
    lab = await startLab();
    const state = (await admin(lab).get('/state')).body;
    state.rules[0].plan = 'the default plan';
    const res = await admin(lab).put('/state', state);
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe("state: 'rules[0].plan' must be an object");
    expect((await admin(lab).get('/state')).body.rules[0].plan).toEqual({ id: lab.d.planId });
  });

  it('refuses a store whose status is not ACTIVE or INACTIVE, naming the field', async () => {
    lab = await startLab();
    const state = (await admin(lab).get('/state')).body;
    state.stores[1].status = 'ON';
    const res = await admin(lab).put('/state', state);
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe("state: 'stores[1].status' must be one of ACTIVE, INACTIVE");
  });

  it('keeps fields of a sync record it does not know through an import and export', async () => {
    lab = await startLab();
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const state = (await admin(lab).get('/state')).body;
    state.sync.records[0].note = 'from a newer version';
    expect((await admin(lab).put('/state', state)).status).toBe(204);
    expect((await admin(lab).get('/state')).body.sync.records[0].note).toBe('from a newer version');
  });
});

describe('style.md 4: two instances side by side in one process', () => {
  it('keep separate environments, tokens, users and targets', async () => {
    lab = await startLab();
    const other = await startLab({ seed: 99 });
    try {
      expect(other.d.environmentId).not.toBe(lab.d.environmentId);
      await request(appOf(other.p1))
        .get(`${other.env}/users`)
        .set('Authorization', `Bearer ${lab.d.apiToken}`)
        .expect(401);
      const user = lab.nextUser('minimal');
      await lab.createUser(user);
      await lab.idle();
      await other.idle();
      expect(lab.target.byUserName(user.username)).toBeDefined();
      expect(other.target.users.size).toBe(0);
      expect((await other.api.get('/users')).body.count).toBe(0);
    } finally {
      await other.close();
    }
  });
});
