import { startLab } from './test-support/lab';
import type { Lab } from './test-support/lab';

// Groups in the management API (S5 "Groups", "Group Membership") and a rule's group provisioning settings
// (PINGONE-GROUP-PROVISIONING), seen from outside: HTTP in, HTTP out. The rule here is inactive, so nothing is sent.

let lab: Lab;
beforeEach(async () => {
  lab = await startLab();
  const rule = (await lab.api.get(`/propagation/rules/${lab.d.ruleId}`).expect(200)).body;
  await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, active: false }).expect(200);
});
afterEach(async () => {
  await lab?.close();
});

const newGroup = async (body: object) => (await lab.api.post('/groups', body).expect(201)).body;
const expectError = (
  res: { status: number; body: Record<string, unknown> },
  status: number,
  code: string,
  target?: string,
) => {
  expect(res.status).toBe(status);
  expect(res.body.code).toBe(code);
  if (target !== undefined) expect((res.body.details as { target: string }[])[0].target).toBe(target);
};
const ruleBody = async () => (await lab.api.get(`/propagation/rules/${lab.d.ruleId}`).expect(200)).body;

describe('S5 Groups: /environments/{envId}/groups', () => {
  it('creates a group and answers it with its links, source type and direct member count', async () => {
    const created = await newGroup({ name: 'Engineering', description: 'builders', externalId: 'eng-1' });
    expect(created).toMatchObject({
      name: 'Engineering',
      description: 'builders',
      externalId: 'eng-1',
      sourceType: 'INTERNAL',
      directMemberCounts: { users: 0 },
      environment: { id: lab.d.environmentId },
    });
    expect(created._links.self.href).toMatch(
      new RegExp(`/v1/environments/${lab.d.environmentId}/groups/${created.id}$`),
    );
    const list = (await lab.api.get('/groups').expect(200)).body;
    expect(list._embedded.groups.map((g: { name: string }) => g.name)).toEqual(['Engineering']);
    expect(list.count).toBe(1);
  });

  it('refuses a second group of the same name in another case with 409 UNIQUENESS_VIOLATION', async () => {
    await newGroup({ name: 'Sales' });
    expectError(await lab.api.post('/groups', { name: 'SALES' }), 409, 'UNIQUENESS_VIOLATION', 'name');
    expect((await lab.api.get('/groups')).body.count).toBe(1);
  });

  it.each([
    [{}, 'name', 'REQUIRED_VALUE'],
    [{ name: '' }, 'name', 'INVALID_VALUE'],
    [{ name: 'x', colour: 'red' }, 'colour', 'INVALID_VALUE'],
    [{ name: 'x', population: { id: 'nope' } }, 'population.id', 'INVALID_VALUE'],
    [{ name: 'x', userFilter: 'title eq "Manager"' }, 'userFilter', 'INVALID_VALUE'],
    [{ name: 'x', customData: 'text' }, 'customData', 'INVALID_VALUE'],
  ])('refuses %j with 400 naming %s, and creates nothing', async (body, target, detail) => {
    const res = await lab.api.post('/groups', body);
    expectError(res, 400, 'INVALID_DATA', target);
    expect(res.body.details[0].code).toBe(detail);
    expect((await lab.api.get('/groups')).body.count).toBe(0);
  });

  it('replaces a group with PUT, keeps its population, and refuses moving it to another population', async () => {
    const pop = (await lab.api.post('/populations', { name: 'Contractors' }).expect(201)).body;
    const group = await newGroup({ name: 'Temps', population: { id: pop.id } });
    const renamed = (await lab.api.put(`/groups/${group.id}`, { ...group, name: 'Temporary staff' }).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'Temporary staff', population: { id: pop.id } });
    const res = await lab.api.put(`/groups/${group.id}`, { name: 'Temps', population: { id: lab.d.populationId } });
    expectError(res, 400, 'INVALID_DATA', 'population.id');
  });

  it('deletes a group with 204; reading it afterwards is a 404 NOT_FOUND', async () => {
    const group = await newGroup({ name: 'Gone' });
    await lab.api.delete(`/groups/${group.id}`).expect(204);
    expectError(await lab.api.get(`/groups/${group.id}`), 404, 'NOT_FOUND');
  });
});

describe('S5 Group Membership: /users/{id}/memberOfGroups', () => {
  it('adds a user to a group, lists it, reads it and removes it', async () => {
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup({ name: 'Finance' });
    const added = await lab.api.post(`/users/${user.id}/memberOfGroups`, { id: group.id }).expect(201);
    expect(added.body).toMatchObject({ id: group.id, name: 'Finance', type: 'DIRECT' });
    const list = (await lab.api.get(`/users/${user.id}/memberOfGroups`).expect(200)).body;
    expect(list._embedded.groupMemberships.map((m: { id: string }) => m.id)).toEqual([group.id]);
    expect((await lab.api.get(`/groups/${group.id}`)).body.directMemberCounts).toEqual({ users: 1 });
    await lab.api.get(`/users/${user.id}/memberOfGroups/${group.id}`).expect(200);
    await lab.api.delete(`/users/${user.id}/memberOfGroups/${group.id}`).expect(204);
    expectError(await lab.api.get(`/users/${user.id}/memberOfGroups/${group.id}`), 404, 'NOT_FOUND');
    expectError(await lab.api.delete(`/users/${user.id}/memberOfGroups/${group.id}`), 404, 'NOT_FOUND');
  });

  it('refuses an unknown group, a malformed body and a population-level group of another population', async () => {
    const user = await lab.createUser(lab.nextUser('minimal'));
    const pop = (await lab.api.post('/populations', { name: 'Elsewhere' }).expect(201)).body;
    const group = await newGroup({ name: 'Elsewhere staff', population: { id: pop.id } });
    expectError(await lab.api.post(`/users/${user.id}/memberOfGroups`, { id: 'nope' }), 400, 'INVALID_DATA', 'id');
    expectError(await lab.api.post(`/users/${user.id}/memberOfGroups`, ['x']), 400, 'INVALID_DATA', 'id');
    expectError(await lab.api.post(`/users/${user.id}/memberOfGroups`, { id: group.id }), 400, 'INVALID_REQUEST', 'id');
    expect((await lab.api.get(`/users/${user.id}/memberOfGroups`)).body.count).toBe(0);
  });

  it('refuses editing the memberships of an external group (S5 External Groups)', async () => {
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup({ name: 'From AD', sourceType: 'EXTERNAL' });
    expectError(await lab.api.post(`/users/${user.id}/memberOfGroups`, { id: group.id }), 400, 'INVALID_REQUEST');
  });

  it('drops the memberships of a deleted user and of a user moved out of a population-level group', async () => {
    const pop = (await lab.api.post('/populations', { name: 'Branch' }).expect(201)).body;
    const local = await newGroup({ name: 'Branch staff', population: { id: pop.id } });
    const everyone = await newGroup({ name: 'Everyone' });
    const mover = await lab.createUser({ ...lab.nextUser('minimal'), population: { id: pop.id } });
    const leaver = await lab.createUser(lab.nextUser('minimal'));
    for (const g of [local, everyone])
      await lab.api.post(`/users/${mover.id}/memberOfGroups`, { id: g.id }).expect(201);
    await lab.api.post(`/users/${leaver.id}/memberOfGroups`, { id: everyone.id }).expect(201);
    await lab.api.put(`/users/${mover.id}/population`, { id: lab.d.populationId }).expect(200);
    await lab.api.delete(`/users/${leaver.id}`).expect(204);
    const names = (await lab.api.get(`/users/${mover.id}/memberOfGroups`)).body._embedded.groupMemberships.map(
      (m: { name: string }) => m.name,
    );
    expect(names).toEqual(['Everyone']);
    expect((await lab.api.get(`/groups/${everyone.id}`)).body.directMemberCounts).toEqual({ users: 1 });
  });
});

describe('PINGONE-GROUP-PROVISIONING: the groups a rule provisions', () => {
  it('selects groups on the rule with the merge acknowledgement, and reads them back', async () => {
    const group = await newGroup({ name: 'Admins' });
    const rule = await ruleBody();
    expect(rule).toMatchObject({ groups: [], groupMembershipHandling: 'MERGE', groupConflictAcknowledged: false });
    const body = { ...rule, groups: [{ id: group.id }], groupConflictAcknowledged: true };
    const saved = (await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, body).expect(200)).body;
    expect(saved).toMatchObject({
      groups: [{ id: group.id }],
      groupMembershipHandling: 'MERGE',
      groupConflictAcknowledged: true,
    });
  });

  it('refuses an unknown group, an external group, a group listed twice and an unknown handling mode', async () => {
    const internal = await newGroup({ name: 'Internal' });
    const external = await newGroup({ name: 'External', sourceType: 'EXTERNAL' });
    const rule = await ruleBody();
    const put = (extra: object) => lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, ...extra });
    expectError(await put({ groups: [{ id: 'nope' }] }), 400, 'INVALID_DATA', 'groups[0].id');
    const res = await put({ groups: [{ id: internal.id }, { id: external.id }] });
    expectError(res, 400, 'INVALID_DATA', 'groups[1].id');
    expect(res.body.details[0].message).toContain('only internal groups are provisioned');
    expectError(await put({ groups: [{ id: internal.id }, { id: internal.id }] }), 400, 'INVALID_DATA', 'groups[1].id');
    expectError(await put({ groupMembershipHandling: 'REPLACE' }), 400, 'INVALID_DATA', 'groupMembershipHandling');
    expect((await ruleBody()).groups).toEqual([]);
  });

  it('refuses a rule with more than the recommended 1000 groups, and accepts 1000', async () => {
    const ids: { id: string }[] = [];
    for (let start = 0; start < 1001; start += 50) {
      const batch = Array.from({ length: Math.min(50, 1001 - start) }, (_, i) => newGroup({ name: `g-${start + i}` }));
      for (const g of await Promise.all(batch)) ids.push({ id: g.id });
    }
    const rule = await ruleBody();
    const res = await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, groups: ids });
    expectError(res, 400, 'INVALID_DATA', 'groups');
    expect(res.body.details[0].message).toBe(
      'a rule provisions at most 1000 groups (the recommended limit); 1001 were given',
    );
    await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, groups: ids.slice(0, 1000) }).expect(200);
  }, 120_000);

  it('takes a deleted group off every rule that provisioned it', async () => {
    const group = await newGroup({ name: 'Short-lived' });
    const rule = await ruleBody();
    await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, groups: [{ id: group.id }] }).expect(200);
    await lab.api.delete(`/groups/${group.id}`).expect(204);
    expect((await ruleBody()).groups).toEqual([]);
  });
});

describe('state documents with groups', () => {
  it('exports groups with their members and the rule selections, and imports them unchanged', async () => {
    const user = await lab.createUser(lab.nextUser('minimal'));
    const group = await newGroup({ name: 'Kept' });
    await lab.api.post(`/users/${user.id}/memberOfGroups`, { id: group.id }).expect(201);
    const rule = await ruleBody();
    await lab.api.put(`/propagation/rules/${lab.d.ruleId}`, { ...rule, groups: [{ id: group.id }] }).expect(200);
    const saved = lab.p1.exportState() as { groups: { name: string; members: string[] }[] };
    expect(saved.groups).toMatchObject([{ name: 'Kept', members: [user.id] }]);
    lab.p1.reset();
    expect((await lab.api.get('/groups')).body.count).toBe(0);
    lab.p1.importState(saved);
    expect((await lab.api.get(`/users/${user.id}/memberOfGroups`)).body._embedded.groupMemberships[0].name).toBe(
      'Kept',
    );
    expect((await ruleBody()).groups).toEqual([{ id: group.id }]);
  });

  it('loads a state saved before groups existed: no groups, rules provision none', async () => {
    const saved = lab.p1.exportState() as Record<string, unknown>;
    delete saved.groups;
    const rules = saved.rules as Record<string, unknown>[];
    for (const r of rules) {
      delete r.groups;
      delete r.groupMembershipHandling;
      delete r.groupConflictAcknowledged;
    }
    lab.p1.importState(saved);
    expect(await ruleBody()).toMatchObject({
      groups: [],
      groupMembershipHandling: 'MERGE',
      groupConflictAcknowledged: false,
    });
  });

  it('refuses a state whose rule selects a group the state does not hold, naming both', async () => {
    const saved = lab.p1.exportState() as { rules: { groups: { id: string }[] }[]; groups: unknown[] };
    saved.rules[0].groups = [{ id: 'missing-group' }];
    expect(() => lab.p1.importState(saved)).toThrow(/selects group 'missing-group', which is not in 'groups'/);
  });
});
