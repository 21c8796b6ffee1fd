import { URN } from '../scim/urns';
import { PINGONE_DEVIATIONS } from './index';
import { startLab } from './test-support/lab';
import type { Lab, LabOptions } from './test-support/lab';
import { groupSteps } from './test-support/groups';

// Deviations reproduce realistic provisioner bugs, for testing the tests. Each one is shown here by its
// effect on the wire, as the recording target sees it.

let lab: Lab;
afterEach(async () => {
  await lab?.close();
});

const calls = (l: Lab) => l.target.requests.map((r) => `${r.method} ${r.path}`);
const withDeviation = (deviation: string, options: LabOptions = {}) =>
  startLab({ ...options, p1: { ...options.p1, deviations: [deviation] } });

async function createdAndIdle(l: Lab, user: object = l.nextUser('full')) {
  const created = await l.createUser(user);
  await l.idle();
  return created;
}

const tested = new Set<string>();
function deviation(name: string, fn: () => Promise<void>, timeoutMs?: number) {
  tested.add(name);
  it(`${name}: ${PINGONE_DEVIATIONS[name].description}`, fn, timeoutMs);
}

describe('deviations, each proven by its wire effect', () => {
  deviation('delete-on-disable', async () => {
    lab = await withDeviation('delete-on-disable');
    const created = await createdAndIdle(lab);
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: false }).expect(200);
    await lab.idle();
    expect(calls(lab)[2]).toMatch(/^DELETE \/Users\//);
    expect(lab.target.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect(lab.target.users.size).toBe(0);
  });

  deviation('no-lookup', async () => {
    lab = await withDeviation('no-lookup');
    await createdAndIdle(lab);
    expect(calls(lab)).toEqual(['POST /Users']);
  });

  deviation('patch-updates', async () => {
    lab = await withDeviation('patch-updates');
    const created = await createdAndIdle(lab);
    await lab.api.patch(`/users/${created.id}`, { title: 'Patched' }).expect(200);
    await lab.idle();
    const update = lab.target.requests[2];
    expect(update.method).toBe('PATCH');
    expect(update.body).toEqual({ schemas: [URN.PatchOp], Operations: [expect.objectContaining({ op: 'replace' })] });
  });

  deviation('drop-attribute', async () => {
    lab = await withDeviation('drop-attribute=workEmail');
    const user = lab.nextUser('full');
    await createdAndIdle(lab, user);
    const post = lab.target.requests[1].body as Record<string, unknown>;
    expect(post.emails).toBeUndefined();
    expect(post.userName).toBe(user.username);
    expect(post.title).toBe(user.title);
  });

  deviation('no-retry', async () => {
    lab = await withDeviation('no-retry');
    lab.target.fail({ method: 'POST', path: '/Users', status: 503, times: 1 });
    const created = await createdAndIdle(lab);
    expect(calls(lab)).toEqual(['GET /Users', 'POST /Users']);
    expect((await lab.syncOf(created.id)).status).toBe('FAILED');
  });

  deviation('wrong-auth-scheme', async () => {
    lab = await withDeviation('wrong-auth-scheme');
    const created = await createdAndIdle(lab);
    expect(lab.target.requests[0].headers.authorization).toBe(`Token ${lab.target.token}`);
    expect((await lab.syncOf(created.id)).status).toBe('FAILED');
  });

  deviation('unescaped-filter', async () => {
    lab = await withDeviation('unescaped-filter');
    const created = await createdAndIdle(lab, { username: 'p1-test-a"b' });
    expect(lab.target.requests[0].query.filter).toBe('username Eq "p1-test-a"b"');
    expect((await lab.syncOf(created.id)).status).toBe('FAILED');
  });

  deviation('retry-4xx', async () => {
    lab = await withDeviation('retry-4xx', {
      target: { deleteStatus: 405 },
      p1: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } },
    });
    await lab.configureStore({ REMOVE_ACTION: 'Delete' });
    const created = await createdAndIdle(lab);
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(lab.target.requests.filter((r) => r.method === 'DELETE')).toHaveLength(3);
  });

  deviation('ignore-retry-after', async () => {
    lab = await withDeviation('ignore-retry-after');
    lab.target.fail({ method: 'POST', path: '/Users', status: 429, headers: { 'Retry-After': '30' }, times: 1 });
    await createdAndIdle(lab);
    const [first, second] = lab.outbound().filter((e) => e.method === 'POST');
    expect(second.status).toBe(201);
    expect(Date.parse(second.time) - Date.parse(first.time)).toBeLessThan(30_000);
  });

  deviation('recased-filter', async () => {
    lab = await withDeviation('recased-filter');
    const user = lab.nextUser('minimal');
    await createdAndIdle(lab, user);
    expect(lab.target.requests[0].query.filter).toBe(`userName eq "${user.username}"`);
  });

  deviation('clear-attributes', async () => {
    lab = await withDeviation('clear-attributes');
    const created = await createdAndIdle(lab);
    await lab.api.patch(`/users/${created.id}`, { title: null }).expect(200);
    await lab.idle();
    expect(calls(lab)[2]).toMatch(/^PUT /);
    expect((lab.target.requests[2].body as { title?: string }).title).toBe('');
  });

  deviation('duplicate-create', async () => {
    lab = await withDeviation('duplicate-create');
    const user = lab.nextUser('minimal');
    lab.target.seed({ userName: user.username });
    const created = await createdAndIdle(lab, user);
    expect(calls(lab)).toEqual(['GET /Users', 'POST /Users']);
    expect(lab.target.requests[1].body).toEqual(expect.objectContaining({ userName: user.username }));
    expect((await lab.syncOf(created.id)).details).toContain('HTTP 409');
  });

  deviation('disable-via-patch', async () => {
    lab = await withDeviation('disable-via-patch');
    const created = await createdAndIdle(lab);
    await lab.api.put(`/users/${created.id}/enabled`, { enabled: false }).expect(200);
    await lab.idle();
    expect(lab.target.requests[2]).toEqual(
      expect.objectContaining({
        method: 'PATCH',
        body: { schemas: [URN.PatchOp], Operations: [{ op: 'replace', path: 'active', value: false }] },
      }),
    );
  });

  deviation('ignore-toggles', async () => {
    lab = await withDeviation('ignore-toggles');
    await lab.configureStore({ CREATE_USERS: false });
    await createdAndIdle(lab);
    expect(calls(lab)).toEqual(['GET /Users', 'POST /Users']);
  });

  deviation('delete-as-disable', async () => {
    lab = await withDeviation('delete-as-disable');
    await lab.configureStore({ REMOVE_ACTION: 'Delete' });
    const created = await createdAndIdle(lab);
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(calls(lab)[2]).toMatch(/^PUT \/Users\//);
    expect(lab.target.requests[2].body).toEqual(expect.objectContaining({ active: false }));
    expect(lab.target.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });

  deviation('delete-refusal-success', async () => {
    lab = await withDeviation('delete-refusal-success', { target: { deleteStatus: 405 } });
    await lab.configureStore({ REMOVE_ACTION: 'Delete' });
    const created = await createdAndIdle(lab);
    await lab.api.delete(`/users/${created.id}`).expect(204);
    await lab.idle();
    expect(calls(lab)[2]).toMatch(/^DELETE \/Users\//);
    expect(lab.target.users.size).toBe(1);
    const records = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}/syncStatus/users`).expect(200)).body;
    expect(records._embedded.syncedUsers[0]).toEqual(
      expect.objectContaining({ status: 'SUCCESS', lastAction: 'DELETE' }),
    );
  });

  deviation('retry-storm', async () => {
    lab = await withDeviation('retry-storm');
    lab.target.fail({ method: 'POST', path: '/Users', status: 503, times: 100 });
    const created = await createdAndIdle(lab);
    expect(lab.target.requests.filter((r) => r.method === 'POST')).toHaveLength(20);
    expect((await lab.syncOf(created.id)).status).toBe('FAILED');
  });

  deviation('resync-changed-only', async () => {
    lab = await withDeviation('resync-changed-only');
    await createdAndIdle(lab);
    const before = lab.target.requests.length;
    const res = await lab.api.post(`/propagation/rules/${lab.d.ruleId}/resync`).expect(202);
    await lab.idle();
    expect(res.body.queued).toBe(0);
    expect(lab.target.requests).toHaveLength(before);
  });

  it('has a test for every deviation in the table', () => {
    expect([...tested].sort()).toEqual(Object.keys(PINGONE_DEVIATIONS).sort());
  });
});

const { groupCalls, newGroup, join, leave, setRule, targetIdOf, memberIds, syncedGroup } = groupSteps(() => lab);

describe('group deviations, each proven by its wire effect', () => {
  deviation('group-put-drops-foreign', async () => {
    lab = await withDeviation('group-put-drops-foreign');
    const outsider = lab.target.seed({ userName: 'outsider@example.com' });
    lab.target.groups.set('existing', { id: 'existing', displayName: 'Support', members: [{ value: outsider.id }] });
    await lab.configureStore({ GROUP_UPDATE_METHOD: 'PUT' });
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup('Support');
    await join(user.id, group.id);
    await setRule({ groups: [{ id: group.id }], groupConflictAcknowledged: true });
    await lab.idle();
    expect(memberIds('Support')).toEqual([targetIdOf(user.username)]);
  });

  deviation('members-before-users', async () => {
    lab = await withDeviation('members-before-users');
    await lab.configureStore({ CREATE_USERS: false });
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup('Early');
    await join(user.id, group.id);
    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    const post = lab.target.requests.find((r) => r.method === 'POST' && r.path === '/Groups');
    expect(post?.body).toMatchObject({ members: [{ value: user.id }] });
    const record = await syncedGroup(group.id);
    expect(record.status).toBe('FAILED');
    expect(record.details).toContain('HTTP 400');
  });

  deviation(
    'no-group-limit',
    async () => {
      lab = await withDeviation('no-group-limit');
      const rule = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}`).expect(200)).body;
      await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, active: false }).expect(200);
      const ids: { id: string }[] = [];
      for (let start = 0; start < 1001; start += 50) {
        const batch = Array.from({ length: Math.min(50, 1001 - start) }, (_, i) => newGroup(`g-${start + i}`));
        for (const g of await Promise.all(batch)) ids.push({ id: g.id });
      }
      await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, active: false, groups: ids }).expect(200);
    },
    120_000,
  );

  deviation('group-remove-without-path', async () => {
    lab = await withDeviation('group-remove-without-path');
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup('Leavers');
    await join(user.id, group.id);
    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    await leave(user.id, group.id);
    await lab.idle();
    const patch = lab.target.requests.find((r) => r.method === 'PATCH' && r.path.startsWith('/Groups/'));
    expect(patch?.body).toMatchObject({
      Operations: [{ op: 'remove', value: { members: [{ value: targetIdOf(user.username) }] } }],
    });
    expect((patch?.body as { Operations: object[] }).Operations[0]).not.toHaveProperty('path');
  });

  deviation('no-group-lookup', async () => {
    lab = await withDeviation('no-group-lookup');
    lab.target.groups.set('existing', { id: 'existing', displayName: 'Support', members: [] });
    const group = await newGroup('Support');
    await setRule({ groups: [{ id: group.id }], groupConflictAcknowledged: true });
    await lab.idle();
    expect(groupCalls(lab).filter((c) => c.startsWith('POST'))).toEqual(['POST /Groups']);
    expect((await syncedGroup(group.id)).details).toContain('HTTP 409');
  });
});
