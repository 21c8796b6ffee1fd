// Groups at the target (issue 15 §3): RFC 7643 §4.2 Group CRUD, membership by PATCH, the users' `groups`, and what
// Code42 does with groups (organizations and roles, [DOC C42-SCIM-PROVISIONING]) seen through a scim-lab mock's
// /__admin surface. A target whose /ResourceTypes declares no Group skips them all: SCIM makes Group optional.
import { filterValue, hostileGroupNames } from '../../fixtures/groups';
import { URN } from '../../scim/urns';
import {
  describeRequest,
  expectScimError,
  expectStatus,
  fail,
  skip,
  type CheckContext,
  type HttpClient,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { adminOf } from './code42-deactivation';
import { given, idOf, listOf, objectBody, patchOp, scimUser, userPath, type Resource } from './support';

const SECTION = 'Groups';
const groupPath = (id: string): string => `/Groups/${encodeURIComponent(id)}`;
const group = (displayName: string, members: string[] = []): Resource => ({
  schemas: [URN.Group],
  displayName,
  ...(members.length ? { members: members.map((value) => ({ value })) } : {}),
});

/** RFC 7644 §4: skipped (an optional resource type) unless /ResourceTypes declares Group. */
async function groupsServed(ctx: CheckContext): Promise<void> {
  const res = await ctx.target.get('/ResourceTypes');
  const types = res.status === 200 ? (res.body as { Resources?: { name?: unknown }[] })?.Resources : undefined;
  if (!Array.isArray(types) || !types.some((t) => t?.name === 'Group'))
    skip(`${describeRequest(res)} declares no Group resource type (RFC 7643 §4.2 Group is optional)`, {
      optionalFeature: true,
    });
}

async function users(ctx: CheckContext, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await given.userExists(ctx.target, scimUser(ctx.users.next(), true))).id);
  return ids;
}

async function groupExists(ctx: CheckContext, body: Resource): Promise<{ id: string; res: HttpResponse }> {
  const res = await ctx.target.post('/Groups', { body });
  expectStatus(res, 201);
  return { id: idOf(res), res };
}

/** The member ids of the group as GET /Groups/{id} shows them now, sorted. */
async function membersOf(target: HttpClient, id: string): Promise<{ members: string[]; res: HttpResponse }> {
  const res = await target.get(groupPath(id));
  expectStatus(res, 200);
  const list = objectBody(res, 'the Group resource').members;
  const members = Array.isArray(list) ? list.map((m: { value?: unknown }) => String(m?.value)).sort() : [];
  return { members, res };
}

async function expectMembers(target: HttpClient, id: string, expected: string[], after: string): Promise<void> {
  const { members, res } = await membersOf(target, id);
  const want = [...expected].sort();
  if (JSON.stringify(members) !== JSON.stringify(want))
    fail(
      `${after}, ${describeRequest(res)} shows members ${JSON.stringify(members)}; expected ${JSON.stringify(want)}`,
      res,
    );
}

/** The ids of the groups a user's read-only `groups` attribute lists. */
async function userGroups(target: HttpClient, id: string): Promise<{ groups: string[]; res: HttpResponse }> {
  const res = await target.get(userPath(id));
  expectStatus(res, 200);
  const list = objectBody(res, 'the User resource').groups;
  return { groups: Array.isArray(list) ? list.map((g: { value?: unknown }) => String(g?.value)) : [], res };
}

/** The user's organization and roles on the admin surface (GET /__admin/users). */
async function placement(
  admin: HttpClient,
  id: string,
): Promise<{ organization?: unknown; roles?: unknown; res: HttpResponse }> {
  const res = await admin.get('/users');
  expectStatus(res, 200);
  const list = (res.body as { users?: { id?: unknown; organization?: unknown; roles?: unknown }[] })?.users;
  const found = Array.isArray(list) ? list.find((u) => u?.id === id) : undefined;
  if (!found) fail(`the admin surface's ${describeRequest(res)} does not list the user ${id}`, res);
  return { organization: found.organization, roles: found.roles, res };
}

/** Sets a mapping on the admin surface for the length of `body`, then puts the one that was there back. */
async function withMapping(
  admin: HttpClient,
  path: string,
  mapping: Resource,
  body: () => Promise<void>,
): Promise<void> {
  const before = await admin.get(path);
  expectStatus(before, 200);
  expectStatus(await admin.put(path, { body: mapping }), 200);
  try {
    await body();
  } finally {
    await admin.put(path, { body: before.body as Resource });
  }
}

export const groupRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-GROUP-CRUD',
    level: 'MUST',
    source: 'RFC7644-3.3; RFC7644-3.5.1; RFC7643-4.2',
    quote:
      'When the service provider successfully creates the new resource, an HTTP response SHALL be returned with HTTP status code 201 (Created).',
    title: 'A group is created (201), read back, replaced by PUT with its new members, and deleted',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['group-put-drops-members'],
    accepts: 'DELETE answered 204 or 200 (RFC 7644 §3.6 names 204), then any 404 for the deleted group.',
    async check(ctx) {
      await groupsServed(ctx);
      const [a, b] = await users(ctx, 2);
      const name = `${ctx.runPrefix}crud`;
      const { id } = await groupExists(ctx, group(name, [a]));
      const read = await ctx.target.get(groupPath(id));
      expectStatus(read, 200);
      if (objectBody(read, 'the Group resource').displayName !== name)
        fail(
          `${describeRequest(read)} shows displayName ${JSON.stringify((read.body as Resource).displayName)}; expected ${JSON.stringify(name)}`,
          read,
        );
      await expectMembers(ctx.target, id, [a], 'after the POST');
      expectStatus(await ctx.target.put(groupPath(id), { body: group(name, [a, b]) }), 200);
      await expectMembers(ctx.target, id, [a, b], 'after a PUT with both members');
      expectStatus(await ctx.target.delete(groupPath(id)), [204, 200]);
      expectScimError(await ctx.target.get(groupPath(id)), 404);
    },
  },
  {
    id: 'SCIM-GROUP-FILTER-DISPLAYNAME',
    level: 'MUST',
    source: 'RFC7644-3.4.2.2; RFC7643-2.2',
    quote:
      'When comparing attributes of type String, the case sensitivity for String type attributes SHALL be determined by the attribute\'s "caseExact" characteristic',
    title: 'displayName eq finds a group with a hostile name (quotes, non-ASCII, long), also in other letter case',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['group-displayname-case-sensitive'],
    accepts:
      'Letter case is judged only when /Schemas declares Group displayName caseExact false or declares nothing (RFC 7643 §8.7.1 says false).',
    async check(ctx) {
      await groupsServed(ctx);
      const caseless = await displayNameCaseless(ctx.target);
      for (const name of hostileGroupNames(ctx.runPrefix)) {
        const { id } = await groupExists(ctx, group(name));
        const variants = caseless ? [name, name.toUpperCase()] : [name];
        for (const value of variants) {
          const res = await ctx.target.get('/Groups', { query: { filter: `displayName eq ${filterValue(value)}` } });
          const ids = listOf(res).resources.map((r) => r.id);
          if (ids.length !== 1 || ids[0] !== id)
            fail(
              `${describeRequest(res)} found ${JSON.stringify(ids)}; expected exactly the group ${id} named ${JSON.stringify(name)}`,
              res,
            );
        }
      }
    },
  },
  {
    id: 'SCIM-GROUP-PATCH-MEMBERS',
    level: 'MUST',
    source: 'RFC7644-3.5.2.2; RFC7644-3.5.2.1',
    quote:
      'If the target location is a multi-valued attribute and a complex filter is specified comparing a "value", the values matched by the filter are removed. If no other values remain after removal of the selected values, the multi-valued attribute SHALL be considered unassigned.',
    title: 'PATCH adds members, and removes one with the members[value eq "…"] path IdPs send',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['group-patch-ignored', 'group-remove-filter-ignored'],
    accepts: 'A 200 with the group or a 204 for each PATCH (RFC 7644 §3.5.2); members are judged by a GET afterwards.',
    async check(ctx) {
      await groupsServed(ctx);
      await given.featureDeclared(ctx.target, 'patch');
      const [a, b] = await users(ctx, 2);
      const { id } = await groupExists(ctx, group(`${ctx.runPrefix}patch`, [a]));
      const add = patchOp({ op: 'add', path: 'members', value: [{ value: b }] });
      expectStatus(await ctx.target.patch(groupPath(id), { body: add }), [200, 204]);
      await expectMembers(ctx.target, id, [a, b], 'after a PATCH add of a member');
      const remove = patchOp({ op: 'remove', path: `members[value eq ${JSON.stringify(a)}]` });
      expectStatus(await ctx.target.patch(groupPath(id), { body: remove }), [200, 204]);
      await expectMembers(ctx.target, id, [b], `after a PATCH remove of members[value eq "${a}"]`);
    },
  },
  {
    id: 'SCIM-GROUP-MEMBER-INTEGRITY',
    level: 'INFO',
    source: 'RFC7643-4.2; RFC7644-3.12',
    quote: 'The "value" sub-attribute contains the value of an "id" attribute of a SCIM resource',
    title: 'A member that names no resource is refused with 400 invalidValue, and the group keeps its members',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['group-unknown-members'],
    inference:
      "RFC 7643 §4.2 says a member value is the id of a SCIM resource, not what a server does with one that is not: refusing it, and changing nothing, keeps Code42's organization and role mappings true.",
    accepts: 'Any 400 invalidValue SCIM error for the POST and for the PATCH; the group is read back unchanged.',
    async check(ctx) {
      await groupsServed(ctx);
      const [a] = await users(ctx, 1);
      const ghost = `${ctx.runPrefix}no-such-user`;
      expectScimError(
        await ctx.target.post('/Groups', { body: group(`${ctx.runPrefix}ghosts`, [a, ghost]) }),
        400,
        'invalidValue',
      );
      const { id } = await groupExists(ctx, group(`${ctx.runPrefix}kept`, [a]));
      const add = patchOp({ op: 'add', path: 'members', value: [{ value: ghost }] });
      expectScimError(await ctx.target.patch(groupPath(id), { body: add }), 400, 'invalidValue');
      await expectMembers(ctx.target, id, [a], 'after the refused PATCH');
    },
  },
  {
    id: 'C42-GROUP-DISPLAYNAME-UNIQUE',
    level: 'INFO',
    source: 'C42-SCIM-PROVISIONING; RFC7644-3.3',
    quote: 'The custom SCIM mapping and role mapping require that your provider uses SCIM groups.',
    title: 'A second group with the same displayName, in any letter case, is refused with 409 uniqueness',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-group-uniqueness', 'group-displayname-case-sensitive'],
    inference:
      'RFC 7643 §8.7.1 declares displayName uniqueness "none"; Code42 maps groups to organizations and roles by name, so two groups of one name would make the mapping ambiguous.',
    accepts: '409 with scimType uniqueness, as RFC 7644 §3.3 gives for a duplicate.',
    async check(ctx) {
      await groupsServed(ctx);
      const name = `${ctx.runPrefix}Unique Name`;
      await groupExists(ctx, group(name));
      expectScimError(await ctx.target.post('/Groups', { body: group(name) }), 409, 'uniqueness');
      expectScimError(await ctx.target.post('/Groups', { body: group(name.toUpperCase()) }), 409, 'uniqueness');
    },
  },
  {
    id: 'SCIM-USER-GROUPS',
    level: 'MUST',
    source: 'RFC7643-4.1.2',
    quote: 'If the SCIM service provider exposes a "Group" resource, the "value" sub-attribute MUST be the "id"',
    title: "A user's read-only groups lists the groups that hold it, and drops one it left",
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-user-groups'],
    accepts: 'Other groups in the list, and any order; membership is changed by a PUT of the group, not by PATCH.',
    async check(ctx) {
      await groupsServed(ctx);
      const [a] = await users(ctx, 1);
      const name = `${ctx.runPrefix}member-of`;
      const { id } = await groupExists(ctx, group(name, [a]));
      const joined = await userGroups(ctx.target, a);
      if (!joined.groups.includes(id))
        fail(
          `${describeRequest(joined.res)} lists groups ${JSON.stringify(joined.groups)}; expected them to include ${id}`,
          joined.res,
        );
      expectStatus(await ctx.target.put(groupPath(id), { body: group(name) }), 200);
      const left = await userGroups(ctx.target, a);
      if (left.groups.includes(id))
        fail(`after a PUT of the group without the user, ${describeRequest(left.res)} still lists ${id}`, left.res);
    },
  },
  {
    id: 'C42-GROUP-ROLES',
    level: 'MUST',
    source: 'C42-SCIM-PROVISIONING',
    quote: 'The custom SCIM mapping and role mapping require that your provider uses SCIM groups.',
    title: 'A mapped group grants its roles at once, and leaving the group revokes them',
    suite: 'target',
    section: 'Code42 as the target',
    needs: ['admin'],
    pairedDeviations: ['roles-not-revoked', 'org-not-reevaluated'],
    accepts: 'Other roles beside the mapped one; the mapping is set on /__admin/role-mapping and restored afterwards.',
    async check(ctx) {
      await groupsServed(ctx);
      const admin = adminOf(ctx);
      const name = `${ctx.runPrefix}role-group`;
      const role = 'Security Administrator';
      await withMapping(admin, '/role-mapping', { groups: [{ group: name, roles: [role] }] }, async () => {
        const [a] = await users(ctx, 1);
        const { id } = await groupExists(ctx, group(name, [a]));
        const granted = await placement(admin, a);
        if (!Array.isArray(granted.roles) || !granted.roles.includes(role))
          fail(
            `after joining the mapped group, ${describeRequest(granted.res)} shows roles ${JSON.stringify(granted.roles)}; expected ${JSON.stringify(role)} among them`,
            granted.res,
          );
        expectStatus(await ctx.target.put(groupPath(id), { body: group(name) }), 200);
        const revoked = await placement(admin, a);
        if (!Array.isArray(revoked.roles) || revoked.roles.includes(role))
          fail(
            `after leaving the mapped group, ${describeRequest(revoked.res)} shows roles ${JSON.stringify(revoked.roles)}; expected no ${JSON.stringify(role)}`,
            revoked.res,
          );
      });
    },
  },
  {
    id: 'C42-ORG-GROUPS',
    level: 'MUST',
    source: 'C42-SCIM-PROVISIONING',
    quote: 'The custom SCIM mapping and role mapping require that your provider uses SCIM groups.',
    title: 'In groups mode, joining a mapped group places the user in the mapped organization at once',
    suite: 'target',
    section: 'Code42 as the target',
    needs: ['admin'],
    pairedDeviations: ['org-not-reevaluated'],
    accepts: 'The mapping is set on /__admin/org-mapping and restored afterwards.',
    async check(ctx) {
      await groupsServed(ctx);
      const admin = adminOf(ctx);
      const name = `${ctx.runPrefix}org-group`;
      const organization = `${ctx.runPrefix}Mapped Org`;
      const mapping = { mode: 'groups', groups: [{ group: name, organization }] };
      await withMapping(admin, '/org-mapping', mapping, async () => {
        const [a] = await users(ctx, 1);
        await groupExists(ctx, group(name, [a]));
        const placed = await placement(admin, a);
        if (placed.organization !== organization)
          fail(
            `after joining the mapped group, ${describeRequest(placed.res)} shows organization ${JSON.stringify(placed.organization)}; expected ${JSON.stringify(organization)}`,
            placed.res,
          );
      });
    },
  },
  {
    id: 'C42-ORG-ATTRIBUTE',
    level: 'MUST',
    source: 'C42-SCIM-PROVISIONING',
    quote:
      'Creates new organizations or assigns users to existing organizations based on the value for the user attribute c42OrgName.',
    title: 'In attribute mode, c42OrgName places the user in that organization, which is created when missing',
    suite: 'target',
    section: 'Code42 as the target',
    needs: ['admin'],
    pairedDeviations: ['org-attribute-ignored'],
    accepts:
      'c42OrgName under whichever User schema extension /Schemas declares it in (Code42 does not publish the URN).',
    async check(ctx) {
      const admin = adminOf(ctx);
      const urn = await c42OrgNameSchema(ctx.target);
      const organization = `${ctx.runPrefix}Attribute Org`;
      await withMapping(admin, '/org-mapping', { mode: 'attribute' }, async () => {
        const body = scimUser(ctx.users.next(), true);
        const withOrg = { ...body, schemas: [...(body.schemas as string[]), urn], [urn]: { c42OrgName: organization } };
        const { id } = await given.userExists(ctx.target, withOrg);
        const placed = await placement(admin, id);
        if (placed.organization !== organization)
          fail(
            `after a POST with c42OrgName ${JSON.stringify(organization)}, ${describeRequest(placed.res)} shows organization ${JSON.stringify(placed.organization)}`,
            placed.res,
          );
        const orgs = await admin.get('/organizations');
        const names = ((orgs.body as { organizations?: { name?: unknown }[] })?.organizations ?? []).map(
          (o) => o?.name,
        );
        if (!names.includes(organization))
          fail(
            `${describeRequest(orgs)} lists ${JSON.stringify(names)}; expected the created ${JSON.stringify(organization)}`,
            orgs,
          );
      });
    },
  },
];

/** Whether /Schemas declares Group displayName case-insensitive (or declares nothing: RFC 7643 §8.7.1 says false). */
async function displayNameCaseless(target: HttpClient): Promise<boolean> {
  const res = await target.get(`/Schemas/${URN.Group}`);
  if (res.status !== 200) return true;
  const attrs = (res.body as { attributes?: { name?: string; caseExact?: unknown }[] })?.attributes ?? [];
  return attrs.find((a) => a?.name === 'displayName')?.caseExact !== true;
}

/** The User schema extension /Schemas declares c42OrgName in; fails naming what it found when there is none. */
async function c42OrgNameSchema(target: HttpClient): Promise<string> {
  const res = await target.get('/Schemas');
  const schemas = res.status === 200 ? listOf(res).resources : [];
  const found = schemas.find(
    (s) => Array.isArray(s.attributes) && s.attributes.some((a: { name?: unknown }) => a?.name === 'c42OrgName'),
  );
  if (typeof found?.id !== 'string')
    fail(`${describeRequest(res)} declares no schema with a c42OrgName attribute; Code42 places users by it`, res);
  return found.id;
}
