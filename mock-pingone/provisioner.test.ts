import { createUserFactory, toExpectedScim } from '../fixtures/users';
import { URN } from '../scim/urns';
import { startLab } from './test-support/lab';
import type { Lab } from './test-support/lab';

// The provisioner end to end (the Ping entries of docs/sources.md): changes made through the management API arrive at a
// recording SCIM target. Nothing sleeps: every test waits with waitIdle.

/** The target's user without the server-side id and meta, for comparison with the expected mapping. */
function stored(user: Record<string, unknown> | undefined) {
  if (!user) return undefined;
  const copy = { ...user };
  delete copy.id;
  delete copy.meta;
  return copy;
}

const targetCalls = (lab: Lab) => lab.target.requests.map((r) => `${r.method} ${r.path}`);

let lab: Lab;
afterEach(async () => {
  await lab?.close();
});

describe('the Ping entries of docs/sources.md matching and create [DOC S3, S4]', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('looks the user up with the User Filter Expression, then POSTs the mapped user when nothing matched', async () => {
    const user = lab.nextUser('full');
    await lab.createUser(user);
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users', 'POST /Users']);
    expect(lab.target.requests[0].query.filter).toBe(`username Eq "${user.username}"`);
    expect(stored(lab.target.byUserName(user.username))).toEqual({ ...toExpectedScim(user), active: true });
  });

  it('escapes quotes and backslashes in the identifier as a JSON string and sends the filter verbatim', async () => {
    const hostile = { username: 'p1-test-a"b\\c', email: 'quote@example.com' };
    await lab.createUser(hostile);
    await lab.idle();
    expect(lab.target.requests[0].query.filter).toBe('username Eq "p1-test-a\\"b\\\\c"');
    expect(lab.target.byUserName(hostile.username)).toBeDefined();
  });

  it('URL-encodes the filter in the query string', async () => {
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    const lookup = lab.outbound()[0];
    expect(lookup.url).toContain(`?filter=${encodeURIComponent(`username Eq "${user.username}"`)}`);
  });

  it('sends every hostile user of the fixtures with all mapped values intact', async () => {
    const hostile = createUserFactory({ seed: 1, prefix: 'p1-test-' }).hostile();
    for (const user of hostile) await lab.createUser(user);
    await lab.idle();
    for (const user of hostile)
      expect(stored(lab.target.byUserName(user.username))).toEqual({ ...toExpectedScim(user), active: true });
  });

  it('adopts the one user the filter finds and PUTs to it instead of creating a duplicate', async () => {
    const user = lab.nextUser('full');
    const existing = lab.target.seed({ schemas: [URN.User], userName: user.username.toUpperCase(), title: 'Old' });
    await lab.createUser(user);
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users', `PUT /Users/${existing.id}`]);
    expect(lab.target.users.size).toBe(1);
    expect(lab.target.users.get(existing.id)?.title).toBe(user.title);
  });

  it('fails the sync with a clear detail when the filter finds more than one user', async () => {
    const user = lab.nextUser('minimal');
    lab.target.seed({ userName: user.username });
    lab.target.seed({ userName: user.username });
    const created = await lab.createUser(user);
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users']);
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('matched 2 users') }),
    );
  });
});

describe('the Ping entries of docs/sources.md update [DOC S3, S4]: a PUT of the full representation, never PATCH', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('PUTs the full mapped user to the remembered id when a user changes, without searching again', async () => {
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.idle();
    const targetId = lab.target.byUserName(user.username)?.id;
    await lab.api.put(`/users/${created.id}`, { ...user, title: 'Director' }).expect(200);
    await lab.api.patch(`/users/${created.id}`, { nickname: 'Dee' }).expect(200);
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users', 'POST /Users', `PUT /Users/${targetId}`, `PUT /Users/${targetId}`]);
    expect(lab.target.requests[3].body).toEqual({
      ...toExpectedScim({ ...user, title: 'Director', nickname: 'Dee' }),
      active: true,
    });
    expect(lab.target.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('sends nothing when no mapped attribute changed', async () => {
    const created = await lab.createUser(lab.nextUser('full'));
    await lab.idle();
    await lab.api.patch(`/users/${created.id}`, { locale: 'fr-FR' }).expect(200);
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users', 'POST /Users']);
  });

  it('records the sync per user: last action, result and time', async () => {
    const created = await lab.createUser(lab.nextUser('full'));
    await lab.idle();
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({
        rule: expect.objectContaining({ id: lab.d.ruleId }),
        type: 'OUTBOUND',
        status: 'SUCCESS',
        lastAction: 'CREATE',
        details: '',
        targetId: expect.any(String),
        lastSyncAt: expect.any(String),
      }),
    );
  });
});

describe('[DOC S3, S4] cannot clear a user attribute after it is set', () => {
  it('by default reads the target user and carries its value into the PUT when a source value was emptied', async () => {
    lab = await startLab();
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.idle();
    const targetId = lab.target.byUserName(user.username)?.id;
    await lab.api.patch(`/users/${created.id}`, { title: null }).expect(200);
    await lab.idle();
    expect(targetCalls(lab).slice(2)).toEqual([`GET /Users/${targetId}`, `PUT /Users/${targetId}`]);
    expect((lab.target.requests[3].body as { title?: string }).title).toBe(user.title);
    expect(lab.target.users.get(targetId as string)?.title).toBe(user.title);
  });

  it('with cannotClear off, the PUT leaves the emptied attribute out and the target loses it', async () => {
    lab = await startLab({ p1: { cannotClear: false } });
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.idle();
    await lab.api.patch(`/users/${created.id}`, { title: null }).expect(200);
    await lab.idle();
    expect(targetCalls(lab).slice(2)).toEqual([expect.stringMatching(/^PUT \/Users\//)]);
    expect(lab.target.byUserName(user.username)?.title).toBeUndefined();
  });
});

describe('the Ping entries of docs/sources.md disable and enable [DOC S2, S3]', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('disables with a PUT carrying active:false and re-enables with active:true', async () => {
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.idle();
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: false }).expect(200);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(false);
    expect(lab.target.requests[2]).toEqual(
      expect.objectContaining({ method: 'PUT', body: { ...toExpectedScim(user), active: false } }),
    );
    expect((await lab.syncOf(created.id)).lastAction).toBe('DISABLE');
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: true }).expect(200);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(true);
    expect((await lab.syncOf(created.id)).lastAction).toBe('ENABLE');
  });

  it('does not re-enable when "Allow users to be updated" is off, and says so (Partially Synced)', async () => {
    const user = lab.nextUser('minimal');
    const created = await lab.createUser(user);
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: false }).expect(200);
    await lab.idle();
    await lab.configureStore({ UPDATE_USERS: false });
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: true }).expect(200);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(false);
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({
        status: 'PARTIALLY_SYNCED',
        details: expect.stringContaining('Allow users to be updated'),
      }),
    );
  });
});

describe('the Ping entries of docs/sources.md Remove Action [SEED step 6.1, DOC S2, S3]', () => {
  it('Disable (the seed default): deleting the PingOne user sends PUT active:false and the target keeps the user', async () => {
    lab = await startLab({ target: { deleteStatus: 405 } });
    const user = lab.nextUser('full');
    const created = await lab.createUser(user);
    await lab.idle();
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users', 'POST /Users', expect.stringMatching(/^PUT \/Users\//)]);
    expect(stored(lab.target.byUserName(user.username))).toEqual({ ...toExpectedScim(user), active: false });
    const records = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}/syncStatus/users`).expect(200)).body
      ._embedded.syncedUsers;
    expect(records).toEqual([expect.objectContaining({ status: 'SUCCESS', lastAction: 'DISABLE', trigger: 'remove' })]);
  });

  it('Delete, refused by the target: one DELETE, a Failed sync carrying the target detail, no retry', async () => {
    lab = await startLab({ target: { deleteStatus: 405 } });
    await lab.configureStore({ REMOVE_ACTION: 'Delete' });
    const user = lab.nextUser('minimal');
    const created = await lab.createUser(user);
    await lab.idle();
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(lab.target.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    const records = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}/syncStatus/users?status=FAILED`).expect(200))
      .body._embedded.syncedUsers;
    expect(records).toEqual([
      expect.objectContaining({
        user: { id: created.id, username: user.username },
        status: 'FAILED',
        lastAction: 'DELETE',
        details: expect.stringContaining('User deletion is not supported'),
        attempts: 1,
      }),
    ]);
    expect((await lab.summary()).users).toEqual(expect.objectContaining({ failed: 1, success: 0 }));
    expect(lab.target.byUserName(user.username)?.active).toBe(true);
  });

  it('Delete, accepted by the target: the user is gone there and the sync succeeds', async () => {
    lab = await startLab();
    await lab.configureStore({ REMOVE_ACTION: 'Delete' });
    const user = lab.nextUser('minimal');
    const created = await lab.createUser(user);
    await lab.idle();
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(lab.target.byUserName(user.username)).toBeUndefined();
    expect((await lab.summary()).users).toEqual(expect.objectContaining({ success: 1, failed: 0 }));
  });

  it('applies the Remove Action when the user leaves the rule population', async () => {
    lab = await startLab();
    const user = lab.nextUser('minimal');
    const created = await lab.createUser(user);
    await lab.idle();
    const other = (await lab.api.post('/populations', { name: 'Not provisioned' }).expect(201)).body;
    await lab.api.put(`/users/${created.id}/population`, { id: other.id }).expect(200);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(false);
    expect((await lab.syncOf(created.id)).trigger).toBe('remove');
  });

  it('applies the Remove Action when the user no longer matches the rule filter', async () => {
    lab = await startLab();
    const rule = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}`).expect(200)).body;
    await lab.api
      .put(`/propagation/rules/${lab.d.ruleId}`, {
        ...rule,
        populationExpression: `${rule.populationExpression} and title sw "Eng"`,
      })
      .expect(200);
    const user = { ...lab.nextUser('minimal'), title: 'Engineer' };
    const created = await lab.createUser(user);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(true);
    await lab.api.patch(`/users/${created.id}`, { title: 'Manager' }).expect(200);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(false);
  });
});

describe('[SEED step 6.2] the toggles, and the counts they give [DOC S4]', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('Allow users to be created off: no POST, the user is Unsynced', async () => {
    await lab.configureStore({ CREATE_USERS: false });
    const created = await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    expect(targetCalls(lab)).toEqual(['GET /Users']);
    expect(await lab.syncOf(created.id)).toEqual(expect.objectContaining({ status: 'UNSYNCED', lastAction: 'NONE' }));
    expect((await lab.summary()).users).toEqual({
      impacted: 1,
      success: 0,
      unsynced: 1,
      partiallySynced: 0,
      failed: 0,
    });
  });

  it('Allow users to be updated off: the change is not sent, the user is Partially Synced', async () => {
    const a = await lab.createUser(lab.nextUser('full'));
    await lab.createUser(lab.nextUser('full'));
    await lab.idle();
    await lab.configureStore({ UPDATE_USERS: false });
    await lab.api.patch(`/users/${a.id}`, { title: 'Changed' }).expect(200);
    await lab.idle();
    expect(lab.target.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect((await lab.summary()).users).toEqual({
      impacted: 2,
      success: 1,
      unsynced: 0,
      partiallySynced: 1,
      failed: 0,
    });
  });

  it('Allow users to be disabled off: the user stays active at the target, Partially Synced', async () => {
    await lab.configureStore({ DISABLE_USERS: false });
    const user = lab.nextUser('minimal');
    const created = await lab.createUser(user);
    await lab.idle();
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: false }).expect(200);
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(lab.target.byUserName(user.username)?.active).toBe(true);
    expect((await lab.summary()).users.partiallySynced).toBe(1);
  });
});

describe('[DOC S4] Full Resync and rule activation [S5]', () => {
  beforeEach(async () => {
    lab = await startLab();
  });

  it('Full Resync sends every user in scope again and repairs drift at the target', async () => {
    const users = [lab.nextUser('full'), lab.nextUser('full')];
    for (const user of users) await lab.createUser(user);
    await lab.idle();
    const drifted = lab.target.byUserName(users[0].username);
    if (drifted) drifted.title = 'Edited at the target';
    const res = await lab.api.post(`/propagation/rules/${lab.d.ruleId}/resync`).expect(202);
    expect(res.body.queued).toBe(2);
    await lab.idle();
    expect(lab.target.byUserName(users[0].username)?.title).toBe(users[0].title);
    expect(lab.target.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });

  it('an inactive rule propagates nothing; turning it on provisions the users already in scope [INF]', async () => {
    const rule = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}`).expect(200)).body;
    await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, active: false }).expect(200);
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    expect(lab.target.requests).toHaveLength(0);
    expect((await lab.summary()).status).toBe('INACTIVE');
    await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, active: true }).expect(200);
    await lab.idle();
    expect(lab.target.byUserName(user.username)).toBeDefined();
    expect((await lab.summary()).status).toBe('ACTIVE');
  });
});

describe('SEED-5, SEED-6 (docs/sources.md) authentication and content type', () => {
  it('sends Authorization: Bearer <token> and Content-Type application/scim+json by default', async () => {
    lab = await startLab();
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    const post = lab.target.requests[1];
    expect(post.headers.authorization).toBe(`Bearer ${lab.target.token}`);
    expect(post.headers['content-type']).toBe('application/scim+json');
  });

  it('sends the configured Content-Type [INF]', async () => {
    lab = await startLab({ p1: { contentType: 'application/json' } });
    await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    expect(lab.target.requests[1].headers['content-type']).toBe('application/json');
  });

  it('authenticates with Basic', async () => {
    const basic = { username: 'scim-user', password: 'pa:ss word' };
    lab = await startLab({ target: { auth: 'basic', basic }, p1Target: { auth: 'basic', ...basic } });
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    expect(lab.target.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('scim-user:pa:ss word').toString('base64')}`,
    );
    expect(lab.target.byUserName(user.username)).toBeDefined();
  });

  it('sends no Authorization header with authentication None', async () => {
    lab = await startLab({ target: { auth: 'none' } });
    await lab.configureStore({ AUTHENTICATION_METHOD: 'None' });
    const user = lab.nextUser('minimal');
    await lab.createUser(user);
    await lab.idle();
    expect(lab.target.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(lab.target.byUserName(user.username)).toBeDefined();
  });
});

describe('issue 4 bad input: a misconfigured store shows in sync status and loses no queued change', () => {
  it('a wrong token fails the sync with the credentials named; fixing it resyncs and provisions the user', async () => {
    lab = await startLab();
    await lab.configureStore({ OAUTH_ACCESS_TOKEN: 'wrong-token' });
    const user = lab.nextUser('minimal');
    const created = await lab.createUser(user);
    await lab.idle();
    expect(await lab.syncOf(created.id)).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        details: expect.stringContaining('refused the credentials (HTTP 401)'),
      }),
    );
    expect(await lab.summary()).toEqual(
      expect.objectContaining({ status: 'FAILED', connectionError: expect.stringContaining('401') }),
    );
    await lab.configureStore({ OAUTH_ACCESS_TOKEN: lab.target.token });
    await lab.idle();
    expect(lab.target.byUserName(user.username)).toBeDefined();
    expect((await lab.summary()).status).toBe('ACTIVE');
  });
});
