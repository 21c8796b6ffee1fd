import request from 'supertest';
import { CODE42_DEVIATIONS } from './index';
import type { Code42DeviationName } from './deviations';
import { ADMIN, filterQuery, lab, user, appOf } from './test-support';
import { ERROR_URN } from '../fixtures/scim-wire';

type Lab = ReturnType<typeof lab>;

/**
 * One deviation's proof: the same requests (`probe`) sent to an unmodified instance and to one started with
 * `deviation`, and what each must observe. The contrast shows that the deviation, and nothing else, changed
 * the behaviour. Observations are plain literals so that the expected values compute nothing.
 */
interface Row {
  deviation: string;
  probe(l: Lab): Promise<unknown>;
  normal: unknown;
  deviant: unknown;
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const FIFTEEN_MINUTES = 15 * 60 * 1000;

const created = async (l: Lab, userName: string, extra: Record<string, unknown> = {}): Promise<string> => {
  const res = await l.scim.post('/Users', user(userName, extra)).expect(201);
  return res.body.id as string;
};
const total = async (l: Lab, filter: string) => (await l.scim.get(filterQuery(filter))).body.totalResults as number;
const code42Side = async (l: Lab) => (await l.admin.get('/users').expect(200)).body;
const deactivate = (l: Lab, id: string, userName: string) =>
  l.scim.put(`/Users/${id}`, user(userName, { active: false })).expect(200);

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const group = (displayName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [GROUP],
  displayName,
  ...extra,
});
/** A user and a group that holds it. */
const groupWithMember = async (l: Lab, displayName: string): Promise<{ alice: string; id: string }> => {
  const alice = await created(l, `member.of.${displayName.replace(/\W/g, '')}@example.com`);
  const res = await l.scim.post('/Groups', group(displayName, { members: [{ value: alice }] })).expect(201);
  return { alice, id: res.body.id as string };
};
/** The group's members, each written as 'member' (the ids differ between the two instances). */
const memberIds = async (l: Lab, id: string): Promise<string[]> =>
  ((await l.scim.get(`/Groups/${id}`)).body.members ?? []).map(() => 'member');

// `satisfies` makes a deviation without a row a compile error; the first test makes it a test failure too.
const ROWS = {
  'allow-delete': {
    deviation: 'allow-delete',
    async probe(l) {
      const id = await created(l, 'delete-me@example.com');
      const deleted = await l.scim.delete(`/Users/${id}`);
      return { delete: deleted.status, readAfter: (await l.scim.get(`/Users/${id}`)).status };
    },
    normal: { delete: 405, readAfter: 200 },
    deviant: { delete: 204, readAfter: 404 },
  },
  'case-sensitive-filter': {
    deviation: 'case-sensitive-filter',
    async probe(l) {
      await created(l, 'x@example.com');
      return {
        'username Eq': await total(l, 'username Eq "x@example.com"'),
        'userName eq': await total(l, 'userName eq "x@example.com"'),
      };
    },
    normal: { 'username Eq': 1, 'userName eq': 1 },
    deviant: { 'username Eq': 0, 'userName eq': 1 },
  },
  'case-sensitive-values': {
    deviation: 'case-sensitive-values',
    async probe(l) {
      await created(l, 'Mixed.Case@Example.com');
      return {
        found: await total(l, 'userName eq "mixed.case@example.com"'),
        secondInOtherCase: (await l.scim.post('/Users', user('mixed.case@example.com'))).status,
      };
    },
    normal: { found: 1, secondInOtherCase: 409 },
    deviant: { found: 0, secondInOtherCase: 201 },
  },
  'no-uniqueness': {
    deviation: 'no-uniqueness',
    async probe(l) {
      await created(l, 'twice@example.com');
      const second = await l.scim.post('/Users', user('twice@example.com'));
      return { second: second.status, stored: await total(l, 'userName eq "twice@example.com"') };
    },
    normal: { second: 409, stored: 1 },
    deviant: { second: 201, stored: 2 },
  },
  'ignore-active': {
    deviation: 'ignore-active',
    async probe(l) {
      const viaPut = await created(l, 'put@example.com');
      const viaPatch = await created(l, 'patch@example.com');
      const put = await deactivate(l, viaPut, 'put@example.com');
      const patch = await l.scim
        .patch(`/Users/${viaPatch}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        })
        .expect(200);
      const side = (await code42Side(l)).users as { id: string; status: string }[];
      const status = (id: string) => side.find((s) => s.id === id)?.status;
      return {
        put: { active: put.body.active, code42: status(viaPut) },
        patch: { active: patch.body.active, code42: status(viaPatch) },
      };
    },
    normal: { put: { active: false, code42: 'blocked' }, patch: { active: false, code42: 'blocked' } },
    deviant: { put: { active: true, code42: 'active' }, patch: { active: true, code42: 'active' } },
  },
  'drop-attribute': {
    deviation: 'drop-attribute=addresses.locality',
    async probe(l) {
      const id = await created(l, 'addr@example.com', {
        addresses: [{ type: 'work', locality: 'Paris', country: 'FR' }],
      });
      return (await l.scim.get(`/Users/${id}`)).body.addresses;
    },
    normal: [{ type: 'work', locality: 'Paris', country: 'FR' }],
    deviant: [{ type: 'work', country: 'FR' }],
  },
  'plain-json-errors': {
    deviation: 'plain-json-errors',
    async probe(l) {
      const res = await l.scim.get('/Users/no-such-id');
      return { status: res.status, type: res.type, hasScimSchema: res.body.schemas?.[0] === ERROR_URN };
    },
    normal: { status: 404, type: 'application/scim+json', hasScimSchema: true },
    deviant: { status: 404, type: 'application/json', hasScimSchema: false },
  },
  'no-auth': {
    deviation: 'no-auth',
    async probe(l) {
      const base = l.c42.options.basePath;
      const anonymous = await request(appOf(l.c42)).get(`${base}/Users`);
      const adminToken = await request(appOf(l.c42)).get(`${base}/Users`).set('Authorization', `Bearer ${ADMIN}`);
      return { anonymous: anonymous.status, adminToken: adminToken.status };
    },
    normal: { anonymous: 401, adminToken: 401 },
    deviant: { anonymous: 200, adminToken: 200 },
  },
  'create-200': {
    deviation: 'create-200',
    async probe(l) {
      const res = await l.scim.post('/Users', user('created@example.com'));
      return { status: res.status, stored: (await l.scim.get(`/Users/${res.body.id}`)).status };
    },
    normal: { status: 201, stored: 200 },
    deviant: { status: 200, stored: 200 },
  },
  'no-location': {
    deviation: 'no-location',
    async probe(l) {
      const res = await l.scim.post('/Users', user('where@example.com'));
      return { status: res.status, hasLocation: res.headers.location !== undefined };
    },
    normal: { status: 201, hasLocation: true },
    deviant: { status: 201, hasLocation: false },
  },
  'unknown-id-500': {
    deviation: 'unknown-id-500',
    async probe(l) {
      return {
        get: (await l.scim.get('/Users/no-such-id')).status,
        put: (await l.scim.put('/Users/no-such-id', user('nobody@example.com'))).status,
      };
    },
    normal: { get: 404, put: 404 },
    deviant: { get: 500, put: 500 },
  },
  'unknown-user-404': {
    deviation: 'unknown-user-404',
    async probe(l) {
      await created(l, 'someone@example.com');
      const miss = await l.scim.get(filterQuery('userName eq "nobody@example.com"'));
      const hit = await l.scim.get(filterQuery('userName eq "someone@example.com"'));
      return { miss: miss.status, hit: hit.status };
    },
    normal: { miss: 200, hit: 200 },
    deviant: { miss: 404, hit: 200 },
  },
  'wrong-total-results': {
    deviation: 'wrong-total-results',
    async probe(l) {
      for (const n of [1, 2, 3]) await created(l, `total${n}@example.com`);
      const { totalResults, itemsPerPage } = (await l.scim.get('/Users?count=2')).body;
      return { totalResults, itemsPerPage };
    },
    normal: { totalResults: 3, itemsPerPage: 2 },
    deviant: { totalResults: 2, itemsPerPage: 2 },
  },
  'ignore-paging': {
    deviation: 'ignore-paging',
    async probe(l) {
      for (const n of [1, 2, 3]) await created(l, `page${n}@example.com`);
      const { body } = await l.scim.get('/Users?startIndex=2&count=1');
      return { startIndex: body.startIndex, userNames: body.Resources.map((u: { userName: string }) => u.userName) };
    },
    normal: { startIndex: 2, userNames: ['page2@example.com'] },
    deviant: { startIndex: 1, userNames: ['page1@example.com', 'page2@example.com', 'page3@example.com'] },
  },
  'put-merges': {
    deviation: 'put-merges',
    async probe(l) {
      const id = await created(l, 'merge@example.com', { nickName: 'Old', title: 'Engineer' });
      const { body } = await l.scim.put(`/Users/${id}`, user('merge@example.com', { title: 'Manager' })).expect(200);
      return { title: body.title, nickName: body.nickName ?? null };
    },
    normal: { title: 'Manager', nickName: null },
    deviant: { title: 'Manager', nickName: 'Old' },
  },
  'no-meta': {
    deviation: 'no-meta',
    async probe(l) {
      const id = await created(l, 'meta@example.com');
      const read = await l.scim.get(`/Users/${id}`);
      const listed = await l.scim.get('/Users');
      return { read: 'meta' in read.body, listed: 'meta' in listed.body.Resources[0] };
    },
    normal: { read: true, listed: true },
    deviant: { read: false, listed: false },
  },
  'status-as-number': {
    deviation: 'status-as-number',
    async probe(l) {
      return (await l.scim.get('/Users/no-such-id')).body.status;
    },
    normal: '404',
    deviant: 404,
  },
  'no-filter-unescape': {
    deviation: 'no-filter-unescape',
    async probe(l) {
      await created(l, 'plain@example.com');
      await created(l, 'o"brien@example.com');
      await created(l, 'back\\slash@example.com');
      return {
        plain: await total(l, 'userName eq "plain@example.com"'),
        quote: await total(l, 'userName eq "o\\"brien@example.com"'),
        backslash: await total(l, 'userName eq "back\\\\slash@example.com"'),
      };
    },
    normal: { plain: 1, quote: 1, backslash: 1 },
    deviant: { plain: 1, quote: 0, backslash: 0 },
  },
  'reject-scim-json': {
    deviation: 'reject-scim-json',
    async probe(l) {
      const scimJson = await l.scim.post('/Users', user('scim-json@example.com'));
      const plainJson = await request(appOf(l.c42))
        .post(`${l.c42.options.basePath}/Users`)
        .set('Authorization', `Bearer ${l.c42.options.token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(user('plain-json@example.com')));
      return { scimJson: scimJson.status, plainJson: plainJson.status };
    },
    normal: { scimJson: 201, plainJson: 201 },
    deviant: { scimJson: 415, plainJson: 201 },
  },
  'patch-not-implemented': {
    deviation: 'patch-not-implemented',
    async probe(l) {
      const id = await created(l, 'patchy@example.com');
      const declared = (await l.scim.get('/ServiceProviderConfig')).body.patch.supported;
      const patch = await l.scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'title', value: 'Patched' }],
      });
      return { declared, patch: patch.status, title: (await l.scim.get(`/Users/${id}`)).body.title ?? null };
    },
    normal: { declared: true, patch: 200, title: 'Patched' },
    deviant: { declared: true, patch: 501, title: null },
  },
  'active-as-string': {
    deviation: 'active-as-string',
    async probe(l) {
      const id = await created(l, 'stringy@example.com');
      await deactivate(l, id, 'stringy@example.com');
      return (await l.scim.get(`/Users/${id}`)).body.active;
    },
    normal: false,
    deviant: 'false',
  },
  'deactivate-immediately': {
    deviation: 'deactivate-immediately',
    async probe(l) {
      const id = await created(l, 'now@example.com');
      await deactivate(l, id, 'now@example.com');
      return (await code42Side(l)).users[0].status;
    },
    normal: 'blocked',
    deviant: 'deactivated',
  },
  'free-license': {
    deviation: 'free-license',
    async probe(l) {
      const id = await created(l, 'licence@example.com');
      await deactivate(l, id, 'licence@example.com');
      await l.admin.post('/clock/advance', { ms: FIFTEEN_MINUTES }).expect(200);
      const side = await code42Side(l);
      return { status: side.users[0].status, licensed: side.users[0].licensed, licensesInUse: side.licensesInUse };
    },
    normal: { status: 'deactivated', licensed: true, licensesInUse: 1 },
    deviant: { status: 'deactivated', licensed: false, licensesInUse: 0 },
  },
  'local-users-writable': {
    deviation: 'local-users-writable',
    async probe(l) {
      const local = await l.admin.post('/users/local', user('local@example.com')).expect(201);
      const put = await l.scim.put(`/Users/${local.body.id}`, user('local@example.com', { title: 'Changed' }));
      return { put: put.status, title: (await l.scim.get(`/Users/${local.body.id}`)).body.title ?? null };
    },
    normal: { put: 403, title: null },
    deviant: { put: 200, title: 'Changed' },
  },
  'manual-deactivate-delayed': {
    deviation: 'manual-deactivate-delayed',
    async probe(l) {
      const id = await created(l, 'manual@example.com');
      const res = await l.admin.post(`/users/${id}/deactivate`).expect(200);
      return { status: res.body.status };
    },
    normal: { status: 'deactivated' },
    deviant: { status: 'blocked' },
  },
  'relative-location': {
    deviation: 'relative-location',
    async probe(l) {
      const res = await l.scim.post('/Users', user('relative@example.com')).expect(201);
      const strip = (u: string) => u.replace(/^http:\/\/[^/]+/, 'http://HOST').replace(res.body.id, 'ID');
      return { location: strip(res.headers.location), meta: strip(res.body.meta.location) };
    },
    normal: { location: 'http://HOST/scim/v2/Users/ID', meta: 'http://HOST/scim/v2/Users/ID' },
    deviant: { location: '/scim/v2/Users/ID', meta: '/scim/v2/Users/ID' },
  },
  'patch-not-atomic': {
    deviation: 'patch-not-atomic',
    async probe(l) {
      const id = await created(l, 'atomic@example.com');
      const patch = await l.scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: 'title', value: 'First' },
          { op: 'replace', path: 'userName', value: null },
        ],
      });
      return { patch: patch.status, title: (await l.scim.get(`/Users/${id}`)).body.title ?? null };
    },
    normal: { patch: 400, title: null },
    deviant: { patch: 400, title: 'First' },
  },
  'patch-generic-errors': {
    deviation: 'patch-generic-errors',
    async probe(l) {
      const id = await created(l, 'generic@example.com');
      const patch = await l.scim.patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove' }],
      });
      return { patch: patch.status, scimType: patch.body.scimType };
    },
    normal: { patch: 400, scimType: 'noTarget' },
    deviant: { patch: 400, scimType: 'invalidValue' },
  },
  'patch-replace-all-values': {
    deviation: 'patch-replace-all-values',
    async probe(l) {
      const emails = [
        { type: 'work', value: 'w@example.com' },
        { type: 'home', value: 'h@example.com' },
      ];
      const id = await created(l, 'values@example.com', { emails });
      await l.scim
        .patch(`/Users/${id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }],
        })
        .expect(200);
      return (await l.scim.get(`/Users/${id}`)).body.emails.map((e: { value: string }) => e.value);
    },
    normal: ['new@example.com', 'h@example.com'],
    deviant: ['new@example.com'],
  },
  'ignore-if-match': {
    deviation: 'ignore-if-match',
    async probe(l) {
      const id = await created(l, 'etag@example.com');
      const stale = (await l.scim.get(`/Users/${id}`)).headers.etag;
      await l.scim.put(`/Users/${id}`, user('etag@example.com', { title: 'Newer' })).expect(200);
      const put = await l.scim.put(`/Users/${id}`, user('etag@example.com', { title: 'Stale' })).set('If-Match', stale);
      return { put: put.status, title: (await l.scim.get(`/Users/${id}`)).body.title };
    },
    normal: { put: 412, title: 'Newer' },
    deviant: { put: 200, title: 'Stale' },
  },
  'declares-sort': {
    deviation: 'declares-sort',
    async probe(l) {
      return (await l.scim.get('/ServiceProviderConfig')).body.sort.supported;
    },
    normal: false,
    deviant: true,
  },
  'no-enterprise-extension': {
    deviation: 'no-enterprise-extension',
    async probe(l) {
      const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
      const types = (await l.scim.get('/ResourceTypes').expect(200)).body.Resources;
      const id = await created(l, 'enterprise@example.com', { schemas: [USER, urn], [urn]: { department: 'Sales' } });
      const stored = (await l.scim.get(`/Users/${id}`)).body[urn]?.department ?? null;
      return { declared: types[0].schemaExtensions?.length ?? 0, stored };
    },
    normal: { declared: 2, stored: 'Sales' },
    deviant: { declared: 1, stored: null },
  },
  'filter-co-as-sw': {
    deviation: 'filter-co-as-sw',
    async probe(l) {
      await created(l, 'inner.match@example.com');
      return { co: await total(l, 'userName co "match"'), sw: await total(l, 'userName sw "inner"') };
    },
    normal: { co: 1, sw: 1 },
    deviant: { co: 0, sw: 1 },
  },
  'string-booleans-truthy': {
    deviation: 'string-booleans-truthy',
    async probe(l) {
      const id = await created(l, 'entra.string@example.com');
      const patch = { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };
      const res = await l.scim.patch(`/Users/${id}`, patch);
      return { status: res.status, active: (await l.scim.get(`/Users/${id}`)).body.active };
    },
    normal: { status: 200, active: false },
    deviant: { status: 200, active: true },
  },
  'pathless-replace-ignored': {
    deviation: 'pathless-replace-ignored',
    async probe(l) {
      const id = await created(l, 'okta.pathless@example.com');
      const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
      const res = await l.scim.patch(`/Users/${id}`, patch);
      return { status: res.status, active: (await l.scim.get(`/Users/${id}`)).body.active };
    },
    normal: { status: 200, active: false },
    deviant: { status: 200, active: true },
  },
  'no-externalid-filter': {
    deviation: 'no-externalid-filter',
    async probe(l) {
      await created(l, 'entra.external@example.com', { externalId: 'entra-ext-1' });
      return total(l, 'externalId eq "entra-ext-1"');
    },
    normal: 1,
    deviant: 0,
  },
  'group-put-drops-members': {
    deviation: 'group-put-drops-members',
    async probe(l) {
      const { alice, id } = await groupWithMember(l, 'Put Team');
      await l.scim.put(`/Groups/${id}`, group('Put Team', { members: [{ value: alice }] })).expect(200);
      return memberIds(l, id);
    },
    normal: ['member'],
    deviant: [],
  },
  'group-displayname-case-sensitive': {
    deviation: 'group-displayname-case-sensitive',
    async probe(l) {
      await l.scim.post('/Groups', group('Sales')).expect(201);
      const found = await l.scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "SALES"')}`);
      return { found: found.body.totalResults, second: (await l.scim.post('/Groups', group('sales'))).status };
    },
    normal: { found: 1, second: 409 },
    deviant: { found: 0, second: 201 },
  },
  'no-group-uniqueness': {
    deviation: 'no-group-uniqueness',
    async probe(l) {
      await l.scim.post('/Groups', group('Twice')).expect(201);
      return (await l.scim.post('/Groups', group('Twice'))).status;
    },
    normal: 409,
    deviant: 201,
  },
  'group-patch-ignored': {
    deviation: 'group-patch-ignored',
    async probe(l) {
      const id = (await l.scim.post('/Groups', group('Patched')).expect(201)).body.id;
      const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] };
      const res = await l.scim.patch(`/Groups/${id}`, patch);
      return { status: res.status, name: (await l.scim.get(`/Groups/${id}`)).body.displayName };
    },
    normal: { status: 200, name: 'Renamed' },
    deviant: { status: 200, name: 'Patched' },
  },
  'group-remove-filter-ignored': {
    deviation: 'group-remove-filter-ignored',
    async probe(l) {
      const { alice, id } = await groupWithMember(l, 'Filtered');
      const patch = { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${alice}"]` }] };
      const res = await l.scim.patch(`/Groups/${id}`, patch);
      return { status: res.status, members: await memberIds(l, id) };
    },
    normal: { status: 200, members: [] },
    deviant: { status: 200, members: ['member'] },
  },
  'group-unknown-members': {
    deviation: 'group-unknown-members',
    async probe(l) {
      return (await l.scim.post('/Groups', group('Ghosts', { members: [{ value: 'no-such-user' }] }))).status;
    },
    normal: 400,
    deviant: 201,
  },
  'no-user-groups': {
    deviation: 'no-user-groups',
    async probe(l) {
      const { alice } = await groupWithMember(l, 'Listed');
      return ((await l.scim.get(`/Users/${alice}`)).body.groups ?? []).map((g: { display: string }) => g.display);
    },
    normal: ['Listed'],
    deviant: [],
  },
  'org-not-reevaluated': {
    deviation: 'org-not-reevaluated',
    async probe(l) {
      await l.admin.put('/org-mapping', { mode: 'groups', groups: [{ group: 'Sales', organization: 'Sales Org' }] });
      await l.admin.put('/role-mapping', { groups: [{ group: 'Sales', roles: ['Sales Role'] }] });
      await groupWithMember(l, 'Sales');
      const [placed] = (await code42Side(l)).users;
      return { organization: placed.organization, roles: placed.roles };
    },
    normal: { organization: 'Sales Org', roles: ['Sales Role'] },
    deviant: { organization: 'Default', roles: [] },
  },
  'roles-not-revoked': {
    deviation: 'roles-not-revoked',
    async probe(l) {
      await l.admin.put('/role-mapping', { groups: [{ group: 'Admins', roles: ['Security Administrator'] }] });
      const { alice, id } = await groupWithMember(l, 'Admins');
      const patch = { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${alice}"]` }] };
      await l.scim.patch(`/Groups/${id}`, patch).expect(200);
      return (await code42Side(l)).users[0].roles;
    },
    normal: [],
    deviant: ['Security Administrator'],
  },
  'org-attribute-ignored': {
    deviation: 'org-attribute-ignored',
    async probe(l) {
      await l.admin.put('/org-mapping', { mode: 'attribute' });
      const urn = 'urn:ietf:params:scim:schemas:extension:code42:2.0:User';
      await created(l, 'org.attr@example.com', { schemas: [USER, urn], [urn]: { c42OrgName: 'Research' } });
      return (await code42Side(l)).users[0].organization;
    },
    normal: 'Research',
    deviant: 'Default',
  },
} satisfies Record<Code42DeviationName, Row>;

describe('deviations reproduce their server bug (issue 3 "Deviations, for testing the tests")', () => {
  it('has a test row for every deviation in CODE42_DEVIATIONS', () => {
    expect(Object.keys(ROWS).sort()).toEqual(Object.keys(CODE42_DEVIATIONS).sort());
  });

  it.each(Object.entries(ROWS as Record<string, Row>))(
    '%s changes what a client observes, compared with an unmodified instance',
    async (_name, row) => {
      const observed = {
        normal: await row.probe(lab()),
        deviant: await row.probe(lab({ deviations: [row.deviation] })),
      };
      expect(observed).toEqual({ normal: row.normal, deviant: row.deviant });
    },
  );
});

describe('deviation options', () => {
  it('are off by default', () => {
    expect(lab().c42.options.deviations.list()).toEqual([]);
  });

  it('refuses drop-attribute without a value and a value on a deviation that takes none', () => {
    expect(() => lab({ deviations: ['drop-attribute'] })).toThrow(/deviation 'drop-attribute' needs a value/);
    expect(() => lab({ deviations: ['no-auth=yes'] })).toThrow(/deviation 'no-auth' takes no value/);
  });

  it('combines several drop-attribute values', async () => {
    const l = lab({ deviations: ['drop-attribute=title', 'drop-attribute=name.givenName'] });
    const id = await created(l, 'both@example.com', { title: 'Engineer', name: { givenName: 'Bo', familyName: 'Th' } });
    const { body } = await l.scim.get(`/Users/${id}`);
    expect(body.title).toBeUndefined();
    expect(body.name).toEqual({ familyName: 'Th' });
  });
});
