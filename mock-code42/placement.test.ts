import { lab, user } from './test-support';

const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const C42_URN = 'urn:ietf:params:scim:schemas:extension:code42:2.0:User';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type Lab = ReturnType<typeof lab>;

const withOrg = (userName: string, org: string, urn = C42_URN) =>
  user(userName, { schemas: [USER_URN, urn], [urn]: { c42OrgName: org } });
const created = async (l: Lab, body: unknown): Promise<string> =>
  (await l.scim.post('/Users', body).expect(201)).body.id as string;
const groupOf = async (l: Lab, displayName: string, members: string[]): Promise<string> =>
  (
    await l.scim
      .post('/Groups', { schemas: [GROUP_URN], displayName, members: members.map((value) => ({ value })) })
      .expect(201)
  ).body.id as string;
const removeMember = (l: Lab, groupId: string, userId: string) =>
  l.scim
    .patch(`/Groups/${groupId}`, {
      schemas: [PATCH_URN],
      Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }],
    })
    .expect(200);
const side = async (l: Lab, id: string) =>
  ((await l.admin.get('/users').expect(200)).body.users as { id: string }[]).find((u) => u.id === id) as Record<
    string,
    unknown
  >;

describe('Code42 "How to configure SCIM provisioning": organizations', () => {
  it('puts every new user in the one organization of single mode, by default "Default"', async () => {
    const l = lab();
    const id = await created(l, user('one@example.com'));
    expect(await side(l, id)).toMatchObject({ organization: 'Default', roles: [], groups: [] });
    expect((await l.admin.get('/org-mapping').expect(200)).body).toEqual({
      mode: 'single',
      organization: 'Default',
      groups: [],
    });
  });

  it('places a user by c42OrgName in attribute mode, and creates the organization when it is missing', async () => {
    const l = lab();
    await l.admin.put('/org-mapping', { mode: 'attribute', organization: 'Unplaced' }).expect(200);
    const id = await created(l, withOrg('attr@example.com', 'Research'));
    expect(await side(l, id)).toMatchObject({
      organization: 'Research',
      why: { organization: "c42OrgName 'Research'" },
    });
    const orgs = (await l.admin.get('/organizations').expect(200)).body.organizations;
    expect(orgs.map((o: { name: string; createdBy: string }) => [o.name, o.createdBy])).toEqual([
      ['Default', 'configuration'],
      ['Unplaced', 'configuration'],
      ['Research', 'c42OrgName'],
    ]);
  });

  it('moves the user when a PUT changes c42OrgName, and declares the extension in /Schemas', async () => {
    const l = lab();
    await l.admin.put('/org-mapping', { mode: 'attribute' }).expect(200);
    const id = await created(l, withOrg('move@example.com', 'Research'));
    await l.scim.put(`/Users/${id}`, withOrg('move@example.com', 'Legal')).expect(200);
    expect((await side(l, id)).organization).toBe('Legal');
    const schema = (await l.scim.get(`/Schemas/${C42_URN}`).expect(200)).body;
    expect(schema.attributes.map((a: { name: string }) => a.name)).toEqual(['c42OrgName']);
  });

  it('takes c42OrgName under the URN the code42ExtensionUrn option names', async () => {
    const urn = 'urn:example:code42:User';
    const l = lab({ code42ExtensionUrn: urn });
    await l.admin.put('/org-mapping', { mode: 'attribute' }).expect(200);
    const id = await created(l, withOrg('custom.urn@example.com', 'Custom', urn));
    expect((await side(l, id)).organization).toBe('Custom');
    expect(() => lab({ code42ExtensionUrn: 'not a urn' })).toThrow(/option 'code42ExtensionUrn' must be a URN/);
  });

  it('places a user by its groups in groups mode, at once when a membership changes', async () => {
    const l = lab();
    await l.admin
      .put('/org-mapping', { mode: 'groups', groups: [{ group: 'sales', organization: 'Sales Org' }] })
      .expect(200);
    const id = await created(l, user('grouped@example.com'));
    expect((await side(l, id)).organization).toBe('Default');
    const sales = await groupOf(l, 'Sales', [id]);
    expect(await side(l, id)).toMatchObject({ organization: 'Sales Org', groups: ['Sales'] });
    await removeMember(l, sales, id);
    // [INF] leaving every mapped group leaves the user where it is.
    expect(await side(l, id)).toMatchObject({
      organization: 'Sales Org',
      why: { organization: "no mapped group holds the user: the user stays in 'Sales Org' [INF]" },
    });
  });

  it('chooses the first matching row of the mapping for a user in two mapped groups', async () => {
    const l = lab();
    const table = [
      { group: 'Engineering', organization: 'Eng Org' },
      { group: 'Sales', organization: 'Sales Org' },
    ];
    await l.admin.put('/org-mapping', { mode: 'groups', groups: table }).expect(200);
    const id = await created(l, user('both@example.com'));
    await groupOf(l, 'Sales', [id]);
    await groupOf(l, 'Engineering', [id]);
    expect((await side(l, id)).organization).toBe('Eng Org');
  });

  it('refuses a mapping with an unknown mode with 400 invalidValue, and keeps the old one', async () => {
    const l = lab();
    const res = await l.admin.put('/org-mapping', { mode: 'ldap' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      scimType: 'invalidValue',
      detail: expect.stringContaining("'mode' must be one of"),
    });
    expect((await l.admin.get('/org-mapping')).body.mode).toBe('single');
  });
});

describe('Code42 "How to configure SCIM provisioning": roles', () => {
  it('grants the roles of every mapped group that holds the user, and revokes them when it leaves', async () => {
    const l = lab();
    const roles = [
      { group: 'Admins', roles: ['Security Administrator', 'Customer Cloud Admin'] },
      { group: 'Auditors', roles: ['Security Administrator', 'Alert Viewer'] },
    ];
    await l.admin.put('/role-mapping', { groups: roles }).expect(200);
    const id = await created(l, user('roles@example.com'));
    const admins = await groupOf(l, 'Admins', [id]);
    await groupOf(l, 'Auditors', [id]);
    expect(await side(l, id)).toMatchObject({
      roles: ['Security Administrator', 'Customer Cloud Admin', 'Alert Viewer'],
      why: { roles: { 'Security Administrator': ['Admins', 'Auditors'], 'Alert Viewer': ['Auditors'] } },
    });
    await removeMember(l, admins, id);
    expect((await side(l, id)).roles).toEqual(['Security Administrator', 'Alert Viewer']);
  });

  it('applies a new role mapping to the users already there', async () => {
    const l = lab();
    const id = await created(l, user('later@example.com'));
    await groupOf(l, 'Viewers', [id]);
    expect((await side(l, id)).roles).toEqual([]);
    await l.admin.put('/role-mapping', { groups: [{ group: 'viewers', roles: ['Alert Viewer'] }] }).expect(200);
    expect((await side(l, id)).roles).toEqual(['Alert Viewer']);
  });

  it('revokes the roles of a deleted group', async () => {
    const l = lab();
    await l.admin.put('/role-mapping', { groups: [{ group: 'Temp', roles: ['Temp Role'] }] }).expect(200);
    const id = await created(l, user('temp@example.com'));
    const temp = await groupOf(l, 'Temp', [id]);
    await l.scim.delete(`/Groups/${temp}`).expect(204);
    expect((await side(l, id)).roles).toEqual([]);
  });
});

describe('docs/state.md organizations and roles in the state', () => {
  it('keeps mappings, organizations and placements across export and import', async () => {
    const l = lab();
    await l.admin.put('/org-mapping', { mode: 'attribute' }).expect(200);
    await l.admin.put('/role-mapping', { groups: [{ group: 'Admins', roles: ['Admin'] }] }).expect(200);
    const id = await created(l, withOrg('kept@example.com', 'Research'));
    await groupOf(l, 'Admins', [id]);
    const other = lab();
    other.c42.importState(JSON.parse(JSON.stringify(l.c42.exportState())));
    expect(await side(other, id)).toMatchObject({ organization: 'Research', roles: ['Admin'] });
    expect((await other.admin.get('/org-mapping')).body.mode).toBe('attribute');
  });

  it('keeps the mappings on reset, and forgets the organizations c42OrgName created', async () => {
    const l = lab();
    await l.admin.put('/org-mapping', { mode: 'attribute' }).expect(200);
    await created(l, withOrg('reset@example.com', 'Research'));
    await l.admin.post('/reset').expect(204);
    expect((await l.admin.get('/org-mapping')).body.mode).toBe('attribute');
    const orgs = (await l.admin.get('/organizations')).body.organizations;
    expect(orgs.map((o: { name: string }) => o.name)).toEqual(['Default']);
  });
});

describe('docs/admin-api.md placement changes: which request moved a user or changed its roles', () => {
  const adminsGrantAdmin = async (l: Lab) => {
    await l.admin.put('/org-mapping', { mode: 'groups', groups: [{ group: 'Admins', organization: 'IT' }] });
    await l.admin.put('/role-mapping', { groups: [{ group: 'Admins', roles: ['Admin'] }] }).expect(200);
  };

  it('notes on the journal entry of a group write the organization it moved each member to and the roles granted', async () => {
    const l = lab();
    await adminsGrantAdmin(l);
    const id = await created(l, user('effects@example.com'));
    await groupOf(l, 'Admins', [id]);
    const entries = (await l.admin.get('/journal?method=POST&path=*/Groups').expect(200)).body.entries;
    expect(entries).toHaveLength(1);
    expect(entries[0].effects).toEqual([
      {
        time: expect.any(String),
        userId: id,
        userName: 'effects@example.com',
        cause: 'POST /scim/v2/Groups',
        organization: { from: 'Default', to: 'IT' },
        granted: ['Admin'],
        revoked: [],
        why: "group 'Admins' → 'IT' (row 1 of the organization mapping; the first matching row wins [INF])",
      },
    ]);
    const har = (await l.admin.get('/journal.har').expect(200)).body;
    const groupPost = har.log.entries.find((e: { request: { method: string; url: string } }) =>
      e.request.url.endsWith('/Groups'),
    );
    expect(groupPost._effects).toEqual(entries[0].effects);
  });

  it("lists a user's changes oldest first with their causes, including the revoke when it leaves the group", async () => {
    const l = lab();
    await adminsGrantAdmin(l);
    const id = await created(l, user('history@example.com'));
    const groupId = await groupOf(l, 'Admins', [id]);
    await removeMember(l, groupId, id);
    await created(l, user('someone.else@example.com'));
    const changes = (await l.admin.get('/placement-changes?user=HISTORY@example.com').expect(200)).body.changes;
    expect(changes.map((c: Record<string, unknown>) => [c.cause, c.organization, c.granted, c.revoked])).toEqual([
      ['POST /scim/v2/Users', { to: 'Default' }, [], []],
      ['POST /scim/v2/Groups', { from: 'Default', to: 'IT' }, ['Admin'], []],
      [`PATCH /scim/v2/Groups/${groupId}`, undefined, [], ['Admin']],
    ]);
    expect((await l.admin.get(`/placement-changes?user=${id}`).expect(200)).body.changes).toEqual(changes);
  });

  it('names the admin call as the cause when a new mapping moves users, and forgets the history on reset', async () => {
    const l = lab();
    const id = await created(l, user('remapped@example.com'));
    await groupOf(l, 'Admins', [id]);
    await l.admin.put('/role-mapping', { groups: [{ group: 'Admins', roles: ['Admin'] }] }).expect(200);
    const changes = (await l.admin.get('/placement-changes').expect(200)).body.changes;
    expect(changes.at(-1)).toMatchObject({ userId: id, cause: 'PUT /__admin/role-mapping', granted: ['Admin'] });
    await l.admin.post('/reset').expect(204);
    expect((await l.admin.get('/placement-changes').expect(200)).body.changes).toEqual([]);
  });

  it('says in one sentence why a user is where it is in single mode, new or written again, and why a moved one stays', async () => {
    const l = lab();
    const id = await created(l, user('why@example.com'));
    const rule = "single mode: new users go to 'Default'";
    expect((await side(l, id)).why).toEqual({ organization: rule, roles: {} });
    await l.scim.put(`/Users/${id}`, user('why@example.com', { title: 'Engineer' })).expect(200);
    expect((await side(l, id)).why).toMatchObject({ organization: rule });
    await l.admin.put('/org-mapping', { mode: 'groups', groups: [{ group: 'Sales', organization: 'Sales Org' }] });
    await groupOf(l, 'Sales', [id]);
    await l.admin.put('/org-mapping', { mode: 'single' }).expect(200);
    expect((await side(l, id)).why).toMatchObject({ organization: `${rule}; this user stays in 'Sales Org'` });
  });
});
