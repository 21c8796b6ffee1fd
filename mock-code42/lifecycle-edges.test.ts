import { lab, user } from './test-support';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const FIFTEEN_MINUTES = 15 * 60 * 1000;

describe('PING-PF-CODE42-SETTINGS: Code42 does not provision disabled users', () => {
  it('answers a POST with active false with an active user', async () => {
    const l = lab();
    const res = await l.scim.post('/Users', user('disabled@example.com', { active: false })).expect(201);
    expect(res.body.active).toBe(true);
    expect((await l.admin.get('/users')).body.users[0].status).toBe('active');
  });
});

describe('C42-PINGONE-PROVISIONING: local users cannot be created, updated or deleted by provisioning', () => {
  it('lists a local user but refuses PUT and PATCH with 403 and DELETE with 403, leaving it unchanged', async () => {
    const l = lab();
    const local = await l.admin.post('/users/local', user('local@example.com', { title: 'Console' })).expect(201);
    expect(local.body).toEqual(expect.objectContaining({ userName: 'local@example.com', local: true }));
    const id = local.body.id as string;
    const put = await l.scim.put(`/Users/${id}`, user('local@example.com', { title: 'IdP' }));
    expect(put.status).toBe(403);
    expect(put.body).toEqual(expect.objectContaining({ schemas: [ERROR], status: '403' }));
    expect(put.body.detail).toContain('local Code42 user');
    const patch = await l.scim.patch(`/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'title', value: 'IdP' }],
    });
    expect(patch.status).toBe(403);
    expect((await l.scim.delete(`/Users/${id}`)).status).toBe(403);
    const read = await l.scim.get(`/Users/${id}`).expect(200);
    expect(read.body).toEqual(expect.objectContaining({ title: 'Console', active: true }));
    expect((await l.scim.get('/Users')).body.totalResults).toBe(1);
  });

  it("refuses a POST whose userName is a local user's with 409 uniqueness, in any case", async () => {
    const l = lab();
    await l.admin.post('/users/local', user('local@example.com')).expect(201);
    const res = await l.scim.post('/Users', user('LOCAL@example.com'));
    expect(res.status).toBe(409);
    expect(res.body).toEqual(expect.objectContaining({ scimType: 'uniqueness', status: '409' }));
  });
});

describe('Legal hold (CRASHPLAN-BLOCK-DEAUTHORIZE-DEACTIVATE; inferred refusal)', () => {
  it('refuses a PUT with active false with 400 mutability, blocks the user and never deactivates it', async () => {
    const l = lab();
    const { body } = await l.scim.post('/Users', user('held@example.com')).expect(201);
    await l.admin.post(`/users/${body.id}/legal-hold`).expect(200);
    const res = await l.scim.put(`/Users/${body.id}`, user('held@example.com', { active: false }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual(expect.objectContaining({ scimType: 'mutability' }));
    expect((await l.scim.get(`/Users/${body.id}`)).body.active).toBe(true);
    await l.admin.post('/clock/advance', { ms: FIFTEEN_MINUTES }).expect(200);
    const side = (await l.admin.get('/users')).body.users[0];
    expect(side).toEqual(expect.objectContaining({ status: 'blocked', legalHold: true }));
    expect(side.deactivatedAt).toBeUndefined();
  });

  it('refuses a console deactivation while the hold lasts, and allows it once released', async () => {
    const l = lab();
    const { body } = await l.scim.post('/Users', user('held@example.com')).expect(201);
    await l.admin.post(`/users/${body.id}/legal-hold`).expect(200);
    expect((await l.admin.post(`/users/${body.id}/deactivate`)).status).toBe(400);
    await l.admin.delete(`/users/${body.id}/legal-hold`).expect(200);
    expect((await l.admin.post(`/users/${body.id}/deactivate`).expect(200)).body.status).toBe('deactivated');
  });
});

describe('Console actions (C42-PINGONE-PROVISIONING: the delay applies only to provisioning)', () => {
  it('deactivates at once, and SCIM reads then show active false', async () => {
    const l = lab();
    const { body } = await l.scim.post('/Users', user('manual@example.com')).expect(201);
    expect((await l.admin.post(`/users/${body.id}/deactivate`).expect(200)).body.status).toBe('deactivated');
    expect((await l.scim.get(`/Users/${body.id}`)).body.active).toBe(false);
  });

  it('shows blocked, deauthorized and deactivated as distinct states', async () => {
    const l = lab();
    for (const [name, action] of [
      ['a', 'block'],
      ['b', 'deauthorize'],
      ['c', 'deactivate'],
    ]) {
      const { body } = await l.scim.post('/Users', user(`${name}@example.com`)).expect(201);
      await l.admin.post(`/users/${body.id}/${action}`).expect(200);
    }
    const states = (await l.admin.get('/users')).body.users.map((u: { status: string }) => u.status);
    expect(states).toEqual(['blocked', 'deauthorized', 'deactivated']);
  });

  it('keeps the local and legal-hold flags through a state export and import', async () => {
    const l = lab();
    const local = await l.admin.post('/users/local', user('local@example.com')).expect(201);
    const { body } = await l.scim.post('/Users', user('held@example.com')).expect(201);
    await l.admin.post(`/users/${body.id}/legal-hold`).expect(200);
    const saved = (await l.admin.get('/state').expect(200)).body;
    const restored = lab();
    await restored.admin.put('/state', saved).expect(204);
    expect((await restored.scim.put(`/Users/${local.body.id}`, user('local@example.com'))).status).toBe(403);
    const held = await restored.scim.put(`/Users/${body.id}`, user('held@example.com', { active: false }));
    expect(held.status).toBe(400);
  });
});
