import { ERROR_URN } from '../fixtures/scim-wire';
import { filterQuery, lab, user } from './test-support';
import type request from 'supertest';

const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const group = (displayName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [GROUP_URN],
  displayName,
  ...extra,
});
const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_URN], Operations });
const groupsFilter = (filter: string) => filterQuery(filter).replace(/^\/Users/, '/Groups');

function expectScimError(res: request.Response, status: number, scimType?: string) {
  expect(res.status).toBe(status);
  expect(res.body.schemas).toEqual([ERROR_URN]);
  expect(res.body.status).toBe(String(status));
  if (scimType) expect(res.body.scimType).toBe(scimType);
}

/** A lab with two users, alice and bob, and their ids. */
async function withUsers() {
  const l = lab();
  const alice = (await l.scim.post('/Users', user('alice@example.com')).expect(201)).body.id as string;
  const bob = (await l.scim.post('/Users', user('bob@example.com')).expect(201)).body.id as string;
  return { ...l, alice, bob };
}

describe('RFC 7644 §3.3 creating groups', () => {
  it('answers 201 with Location, ETag, meta of a Group, and members with $ref and type', async () => {
    const { scim, alice } = await withUsers();
    const res = await scim.post('/Groups', group('Sales', { externalId: 'g-1', members: [{ value: alice }] }));
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.headers.location).toMatch(new RegExp(`/scim/v2/Groups/${res.body.id}$`));
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.body).toMatchObject({
      schemas: [GROUP_URN],
      displayName: 'Sales',
      externalId: 'g-1',
      meta: { resourceType: 'Group', location: res.headers.location, version: 'W/"1"' },
    });
    expect(res.body.members).toEqual([
      { value: alice, $ref: expect.stringMatching(new RegExp(`/scim/v2/Users/${alice}$`)), type: 'User' },
    ]);
  });

  it('refuses a group without displayName with 400 invalidValue', async () => {
    const { scim } = lab();
    expectScimError(await scim.post('/Groups', { schemas: [GROUP_URN] }), 400, 'invalidValue');
  });

  it('refuses a member that is no user with 400 invalidValue, and stores nothing', async () => {
    const { scim, alice } = await withUsers();
    const res = await scim.post('/Groups', group('Ghosts', { members: [{ value: alice }, { value: 'no-such-user' }] }));
    expectScimError(res, 400, 'invalidValue');
    expect(res.body.detail).toContain("'no-such-user'");
    expect((await scim.get('/Groups').expect(200)).body.totalResults).toBe(0);
  });

  it('refuses a second displayName that differs only in case with 409 uniqueness', async () => {
    const { scim } = lab();
    await scim.post('/Groups', group('Engineering')).expect(201);
    expectScimError(await scim.post('/Groups', group('ENGINEERING')), 409, 'uniqueness');
  });
});

describe('RFC 7644 §3.4 reading and filtering groups', () => {
  it('reads a group by id and answers 404 for an unknown one', async () => {
    const { scim } = lab();
    const { id } = (await scim.post('/Groups', group('Finance')).expect(201)).body;
    expect((await scim.get(`/Groups/${id}`).expect(200)).body.displayName).toBe('Finance');
    expectScimError(await scim.get('/Groups/nope'), 404);
  });

  it('finds a group by displayName eq, case-insensitively (RFC 7643 §8.7.1 caseExact false)', async () => {
    const { scim } = lab();
    const { id } = (await scim.post('/Groups', group('Sales "EU" – Zürich')).expect(201)).body;
    await scim.post('/Groups', group('Sales')).expect(201);
    const res = await scim.get(groupsFilter('displayName eq "sales \\"eu\\" – zürich"')).expect(200);
    expect(res.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(res.body.Resources[0].id).toBe(id);
  });

  it('finds a group by externalId eq, case-sensitively (RFC 7643 §3.1 caseExact true)', async () => {
    const { scim } = lab();
    await scim.post('/Groups', group('A', { externalId: 'Ext-1' })).expect(201);
    expect((await scim.get(groupsFilter('externalId eq "Ext-1"'))).body.totalResults).toBe(1);
    expect((await scim.get(groupsFilter('externalId eq "ext-1"'))).body.totalResults).toBe(0);
  });

  it('answers an empty ListResponse when nothing matches', async () => {
    const { scim } = lab();
    const res = await scim.get(groupsFilter('displayName eq "nobody"')).expect(200);
    expect(res.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });
});

describe('RFC 7644 §3.5.2 PATCH of members', () => {
  it('adds members, then removes one with the members[value eq "…"] path', async () => {
    const { scim, alice, bob } = await withUsers();
    const { id } = (await scim.post('/Groups', group('Ops')).expect(201)).body;
    const added = await scim.patch(
      `/Groups/${id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: alice }, { value: bob }] }),
    );
    expect(added.status).toBe(200);
    expect(added.body.members.map((m: { value: string }) => m.value)).toEqual([alice, bob]);
    expect(added.headers.etag).toBe('W/"2"');
    const removed = await scim.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${alice}"]` }));
    expect(removed.status).toBe(200);
    expect(removed.body.members.map((m: { value: string }) => m.value)).toEqual([bob]);
  });

  it('keeps a member added twice once (RFC 7644 §3.5.2.1)', async () => {
    const { scim, alice } = await withUsers();
    const { id } = (await scim.post('/Groups', group('Ops', { members: [{ value: alice }] })).expect(201)).body;
    const res = await scim.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: alice }] }));
    expect(res.body.members).toHaveLength(1);
  });

  it('refuses to add an unknown member with 400 invalidValue, and leaves the group as it was', async () => {
    const { scim, alice } = await withUsers();
    const { id } = (await scim.post('/Groups', group('Ops', { members: [{ value: alice }] })).expect(201)).body;
    const res = await scim.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'ghost' }] }));
    expectScimError(res, 400, 'invalidValue');
    const after = await scim.get(`/Groups/${id}`).expect(200);
    expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([alice]);
    expect(after.headers.etag).toBe('W/"1"');
  });

  it('renames a group with replace displayName, and refuses a name another group has with 409', async () => {
    const { scim } = lab();
    const { id } = (await scim.post('/Groups', group('Old')).expect(201)).body;
    await scim.post('/Groups', group('Taken')).expect(201);
    const res = await scim.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'New' }));
    expect(res.body.displayName).toBe('New');
    const taken = await scim.patch(`/Groups/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'taken' }));
    expectScimError(taken, 409, 'uniqueness');
  });
});

describe('RFC 7644 §3.5.1 PUT and §3.6 DELETE of groups', () => {
  it('replaces the members with those of the PUT body', async () => {
    const { scim, alice, bob } = await withUsers();
    const { id } = (await scim.post('/Groups', group('Ops', { members: [{ value: alice }] })).expect(201)).body;
    const res = await scim.put(`/Groups/${id}`, group('Ops', { members: [{ value: bob }] }));
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { value: string }) => m.value)).toEqual([bob]);
  });

  it('refuses a stale If-Match with 412', async () => {
    const { scim } = lab();
    const { id } = (await scim.post('/Groups', group('Ops')).expect(201)).body;
    const res = await scim.put(`/Groups/${id}`, group('Ops2')).set('If-Match', 'W/"9"');
    expectScimError(res, 412);
  });

  it('deletes a group with 204; it is then 404, and its members lose it', async () => {
    const { scim, alice } = await withUsers();
    const { id } = (await scim.post('/Groups', group('Gone', { members: [{ value: alice }] })).expect(201)).body;
    expect((await scim.delete(`/Groups/${id}`)).status).toBe(204);
    expectScimError(await scim.get(`/Groups/${id}`), 404);
    expect((await scim.get(`/Users/${alice}`)).body.groups).toBeUndefined();
  });
});

describe("RFC 7643 §4.1.2 a user's read-only groups", () => {
  it('lists the groups that hold the user, with value, $ref, display and type direct', async () => {
    const { scim, alice } = await withUsers();
    const { id } = (await scim.post('/Groups', group('Sales', { members: [{ value: alice }] })).expect(201)).body;
    const res = await scim.get(`/Users/${alice}`).expect(200);
    expect(res.body.groups).toEqual([
      {
        value: id,
        $ref: expect.stringMatching(new RegExp(`/scim/v2/Groups/${id}$`)),
        display: 'Sales',
        type: 'direct',
      },
    ]);
  });

  it('ignores groups in a PUT of the user, and refuses a PATCH of them with 400 mutability', async () => {
    const { scim, alice } = await withUsers();
    const put = await scim.put(`/Users/${alice}`, user('alice@example.com', { groups: [{ value: 'x' }] }));
    expect(put.status).toBe(200);
    expect(put.body.groups).toBeUndefined();
    const patch = await scim.patch(`/Users/${alice}`, patchOp({ op: 'add', path: 'groups', value: [{ value: 'x' }] }));
    expectScimError(patch, 400, 'mutability');
  });
});

describe('RFC 7644 §4 discovery declares Group', () => {
  it('lists the Group resource type and schema', async () => {
    const { scim } = lab();
    const types = (await scim.get('/ResourceTypes').expect(200)).body.Resources;
    expect(types.map((t: { id: string }) => t.id)).toEqual(['User', 'Group']);
    expect(types[1]).toMatchObject({ endpoint: '/Groups', schema: GROUP_URN, schemaExtensions: [] });
    const schema = (await scim.get(`/Schemas/${GROUP_URN}`).expect(200)).body;
    expect(schema.attributes.map((a: { name: string }) => a.name)).toEqual(['displayName', 'members']);
  });
});

describe('docs/state.md groups in the state', () => {
  it('exports groups and imports them back, with the same ids and members', async () => {
    const { scim, c42, alice } = await withUsers();
    await scim.post('/Groups', group('Kept', { members: [{ value: alice }] })).expect(201);
    const state = JSON.parse(JSON.stringify(c42.exportState()));
    const other = lab();
    other.c42.importState(state);
    const res = await other.scim.get(groupsFilter('displayName eq "Kept"')).expect(200);
    expect(res.body.Resources[0].members.map((m: { value: string }) => m.value)).toEqual([alice]);
    expect((await other.scim.get(`/Users/${alice}`)).body.groups).toHaveLength(1);
  });

  it('loads a state file written before groups existed', () => {
    const { c42 } = lab();
    c42.importState({ kind: 'scim-lab/code42-state', version: 1, users: [], code42: [], providers: [] });
    expect(c42.groups.size()).toBe(0);
  });

  it('refuses a state whose group names an unknown member, and keeps the users it had', async () => {
    const { scim, c42 } = await withUsers();
    const bad = {
      kind: 'scim-lab/code42-state',
      version: 1,
      users: [],
      groups: [{ id: 'g1', schemas: [GROUP_URN], displayName: 'X', members: [{ value: 'ghost' }] }],
    };
    expect(() => c42.importState(bad)).toThrow(/groups\[0\]: members: 'ghost'/);
    expect((await scim.get('/Users').expect(200)).body.totalResults).toBe(2);
  });
});
