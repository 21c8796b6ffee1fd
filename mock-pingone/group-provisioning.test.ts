import { startLab } from './test-support/lab';
import type { Lab, LabOptions } from './test-support/lab';
import { groupSteps } from './test-support/groups';

// Group provisioning end to end (PINGONE-GROUP-PROVISIONING): groups selected on the seeded rule arrive at a recording
// SCIM target with their members, and follow every change made through the management API. Nothing sleeps: every
// test waits with waitIdle.

let lab: Lab;
afterEach(async () => {
  await lab?.close();
});

const { groupCalls, newGroup, join, leave, setRule, targetIdOf, targetGroup, memberIds, syncedGroup } = groupSteps(
  () => lab,
);

/** A lab with one group "Engineering" of two users, selected on the rule and provisioned. */
async function provisioned(options: LabOptions = {}) {
  lab = await startLab(options);
  const alice = await lab.createUser(lab.nextUser('minimal'));
  const bob = await lab.createUser(lab.nextUser('minimal'));
  const group = await newGroup('Engineering');
  await join(alice.id, group.id);
  await join(bob.id, group.id);
  await setRule({ groups: [{ id: group.id }] });
  await lab.idle();
  return { alice, bob, group };
}

describe('PINGONE-GROUP-PROVISIONING: a selected group and its members reach the target', () => {
  it('looks the group up by displayName, then POSTs it with the members whose users are at the target', async () => {
    const { alice, bob, group } = await provisioned();
    const lookup = lab.target.requests.find((r) => r.method === 'GET' && r.path === '/Groups');
    expect(lookup?.query.filter).toBe('displayName eq "Engineering"');
    expect(groupCalls(lab)[0]).toBe('GET /Groups');
    expect(groupCalls(lab)).toContain('POST /Groups');
    expect(memberIds('Engineering')).toEqual([targetIdOf(alice.username), targetIdOf(bob.username)].sort());
    expect(await syncedGroup(group.id)).toMatchObject({ status: 'SUCCESS', memberCount: 2, waiting: 0 });
  });

  it('never sends a member before its user exists at the target (users before memberships)', async () => {
    await provisioned();
    const groupWrites = lab.outbound().filter((e) => e.url.includes('/Groups') && e.method !== 'GET');
    expect(groupWrites.length).toBeGreaterThan(0);
    // The target refuses a member that is not one of its users (400): no group write was refused.
    expect(groupWrites.map((e) => e.status).filter((s) => s >= 400)).toEqual([]);
  });

  it('escapes quotes and backslashes of the group name in the displayName filter', async () => {
    lab = await startLab();
    const group = await newGroup('R&D "core" \\ team');
    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    const lookup = lab.target.requests.find((r) => r.method === 'GET' && r.path === '/Groups');
    expect(lookup?.query.filter).toBe('displayName eq "R&D \\"core\\" \\\\ team"');
    expect(targetGroup('R&D "core" \\ team')).toBeDefined();
  });

  it('adds a new member with a PATCH add of members, and removes one with members[value eq "…"]', async () => {
    const { alice, group } = await provisioned();
    const carol = await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    lab.target.requests.length = 0;
    await join(carol.id, group.id);
    await lab.idle();
    const add = lab.target.requests.find((r) => r.method === 'PATCH');
    expect(add?.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: targetIdOf(carol.username) }] }],
    });
    lab.target.requests.length = 0;
    await leave(alice.id, group.id);
    await lab.idle();
    expect(lab.target.requests.find((r) => r.method === 'PATCH')?.body).toMatchObject({
      Operations: [{ op: 'remove', path: `members[value eq "${targetIdOf(alice.username)}"]` }],
    });
    expect(memberIds('Engineering')).not.toContain(targetIdOf(alice.username));
  });

  it('renames the group at the target with a replace of displayName', async () => {
    const { group } = await provisioned();
    await lab.api.put(`/groups/${group.id}`, { name: 'Platform' }).expect(200);
    await lab.idle();
    expect(targetGroup('Platform')).toBeDefined();
    expect(targetGroup('Engineering')).toBeUndefined();
  });

  it('removes a deleted user from the group at the target (the user itself is only disabled)', async () => {
    const { alice } = await provisioned();
    const aliceAtTarget = targetIdOf(alice.username);
    await lab.api.delete(`/users/${alice.id}`).expect(204);
    await lab.idle();
    expect(memberIds('Engineering')).not.toContain(aliceAtTarget);
    expect(lab.target.users.get(aliceAtTarget)?.active).toBe(false);
  });
});

describe('PINGONE-GROUP-PROVISIONING: a group taken off the rule or deleted', () => {
  it('deletes a group at the target when it is deleted in PingOne', async () => {
    const { group } = await provisioned();
    await lab.api.delete(`/groups/${group.id}`).expect(204);
    await lab.idle();
    expect(targetGroup('Engineering')).toBeUndefined();
    expect(await syncedGroup(group.id)).toMatchObject({ status: 'SUCCESS', lastAction: 'DELETE', trigger: 'delete' });
  });

  it('deletes a group taken off the rule by default [INF], and leaves it with GROUP_REMOVE_ACTION Keep', async () => {
    const { group } = await provisioned();
    await setRule({ groups: [] });
    await lab.idle();
    expect(targetGroup('Engineering')).toBeUndefined();

    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    await lab.configureStore({ GROUP_REMOVE_ACTION: 'Keep' });
    await lab.idle();
    await setRule({ groups: [] });
    await lab.idle();
    expect(targetGroup('Engineering')).toBeDefined();
    expect(await syncedGroup(group.id)).toMatchObject({ lastAction: 'UNLINK', status: 'SUCCESS' });
  });

  it('never deletes a same-named group the rule did not provision', async () => {
    lab = await startLab();
    lab.target.groups.set('foreign', { id: 'foreign', displayName: 'Audit', members: [] });
    const group = await newGroup('Audit');
    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    await setRule({ groups: [] });
    await lab.idle();
    expect(lab.target.groups.has('foreign')).toBe(true);
  });
});

describe('PINGONE-GROUP-PROVISIONING: a group of the same name already at the target', () => {
  async function withForeign(changes: object, storeChanges: Record<string, unknown> = {}) {
    lab = await startLab();
    const outsider = lab.target.seed({ userName: 'outsider@example.com' });
    lab.target.groups.set('existing', { id: 'existing', displayName: 'Support', members: [{ value: outsider.id }] });
    if (Object.keys(storeChanges).length > 0) await lab.configureStore(storeChanges);
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup('Support');
    await join(user.id, group.id);
    await setRule({ groups: [{ id: group.id }], ...changes });
    await lab.idle();
    return { outsider, user, group };
  }

  it('fails the group without the acknowledgement, says why, and changes nothing at the target', async () => {
    const { outsider, group } = await withForeign({});
    const record = await syncedGroup(group.id);
    expect(record.status).toBe('FAILED');
    expect(record.details).toContain('A group named "Support" already exists at the target (id existing)');
    expect(record.details).toContain('groupConflictAcknowledged');
    expect(memberIds('Support')).toEqual([outsider.id]);
    expect((await lab.summary()).groups).toMatchObject({ impacted: 1, failed: 1 });
  });

  it('merges when acknowledged: the members already there are kept and PingOne’s are added', async () => {
    const { outsider, user } = await withForeign({ groupConflictAcknowledged: true });
    expect(memberIds('Support')).toEqual([outsider.id, targetIdOf(user.username)].sort());
    expect(lab.target.groups.size).toBe(1);
  });

  it('overwrites when acknowledged in OVERWRITE mode: only PingOne’s members remain', async () => {
    const { user } = await withForeign({ groupConflictAcknowledged: true, groupMembershipHandling: 'OVERWRITE' });
    expect(memberIds('Support')).toEqual([targetIdOf(user.username)]);
  });

  it('retries a failed group once the rule acknowledges the merge', async () => {
    const { outsider, user, group } = await withForeign({});
    await setRule({ groupConflictAcknowledged: true });
    await lab.idle();
    expect(memberIds('Support')).toEqual([outsider.id, targetIdOf(user.username)].sort());
    expect((await syncedGroup(group.id)).status).toBe('SUCCESS');
  });

  it('with GROUP_UPDATE_METHOD PUT, sends the whole group and keeps the foreign members on merge', async () => {
    const { outsider, user } = await withForeign({ groupConflictAcknowledged: true }, { GROUP_UPDATE_METHOD: 'PUT' });
    const put = lab.target.requests.find((r) => r.method === 'PUT' && r.path.startsWith('/Groups'));
    expect(put?.body).toMatchObject({ displayName: 'Support' });
    expect(memberIds('Support')).toEqual([outsider.id, targetIdOf(user.username)].sort());
  });
});

describe('PINGONE-GROUP-PROVISIONING: retries and sync status, as for users', () => {
  it('retries a 503 on /Groups and then succeeds', async () => {
    lab = await startLab();
    lab.target.fail({ method: 'POST', path: '/Groups', status: 503, times: 1 });
    const group = await newGroup('Resilient');
    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    expect(targetGroup('Resilient')).toBeDefined();
    expect(await syncedGroup(group.id)).toMatchObject({ status: 'SUCCESS', attempts: 3 });
  });

  it('reports a member whose user is not created as waiting, and the group as partially synced', async () => {
    lab = await startLab();
    await lab.configureStore({ CREATE_USERS: false });
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup('Blocked');
    await join(user.id, group.id);
    await setRule({ groups: [{ id: group.id }] });
    await lab.idle();
    const record = await syncedGroup(group.id);
    expect(record).toMatchObject({ status: 'PARTIALLY_SYNCED', waiting: 1, memberCount: 0 });
    expect(record.details).toContain('their user is not at the target');
    expect(memberIds('Blocked')).toEqual([]);
  });

  it('lists the rule’s synced groups and the group’s synced rule', async () => {
    const { group } = await provisioned();
    const list = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}/syncedGroups`).expect(200)).body;
    expect(list._embedded.syncedGroups).toMatchObject([
      { group: { id: group.id, name: 'Engineering' }, status: 'SUCCESS' },
    ]);
    await lab.api.get(`/groups/${group.id}/syncedRules/${lab.d.ruleId}`).expect(200);
    expect((await lab.summary()).groups).toEqual({
      impacted: 1,
      success: 1,
      unsynced: 0,
      partiallySynced: 0,
      failed: 0,
    });
  });

  it('keeps the group sync status across a state export and import', async () => {
    const { group } = await provisioned();
    const saved = lab.p1.exportState();
    lab.p1.importState(JSON.parse(JSON.stringify(saved)));
    expect(await syncedGroup(group.id)).toMatchObject({ status: 'SUCCESS', memberCount: 2 });
  });
});
