// Groups end to end (issue 15 §3): groups selected on PingOne's rule reach the target with their members
// (PINGONE-GROUP-PROVISIONING), and Code42 places their members in the mapped organization with the mapped roles
// (C42-SCIM-PROVISIONING). Group names carry the requirement's prefix: a Code42-like target keeps what a run creates.
import { valueAtMappingPath } from '../../fixtures/mapping';
import { expectStatus, fail, skip, type HttpResponse, type Requirement } from '../engine';
import type { FlowContext } from './context';
import { configureStore, createUser, oneAtTarget, propagated, type Json } from './support';

export const SECTION = 'Groups, organizations and roles';

export async function must(res: Promise<HttpResponse>, step: string, status = [200, 201, 204]): Promise<Json> {
  const answer = await res;
  if (!status.includes(answer.status))
    fail(`could not ${step}: answered ${answer.status} ${answer.text.slice(0, 300)}`, answer);
  return (answer.body ?? {}) as Json;
}

/**
 * RFC 7643 §4.2 makes Group a resource a service provider may offer: without Group in /ResourceTypes the target
 * cannot hold groups, and a group check is skipped, saying so.
 */
export async function requireGroups(ctx: FlowContext): Promise<void> {
  const res = await ctx.target.get('/ResourceTypes');
  const body = res.body as { Resources?: unknown } | unknown[] | undefined;
  const types = (Array.isArray(body) ? body : ((body as { Resources?: unknown })?.Resources ?? [])) as Json[];
  const declared =
    res.status === 200 && Array.isArray(types) && types.some((t) => t?.name === 'Group' || t?.endpoint === '/Groups');
  if (!declared) {
    skip(`the target's /ResourceTypes (HTTP ${res.status}) does not declare Group, so it cannot hold groups`, {
      optionalFeature: true,
    });
  }
}

/** A group named `<prefix><name>` in PingOne; returns its id and full name. */
export async function pingoneGroup(ctx: FlowContext, name: string): Promise<{ id: string; name: string }> {
  const full = `${ctx.runPrefix}${ctx.requirement.id.toLowerCase()}.${name}`;
  const body = await must(ctx.pingone.post('/groups', { body: { name: full } }), `create the group ${full} in PingOne`);
  return { id: String(body.id), name: full };
}

export const join = (ctx: FlowContext, userId: string, groupId: string) =>
  must(ctx.pingone.post(`/users/${userId}/memberOfGroups`, { body: { id: groupId } }), 'add the user to the group');
export const leave = (ctx: FlowContext, userId: string, groupId: string) =>
  must(ctx.pingone.delete(`/users/${userId}/memberOfGroups/${groupId}`), 'remove the user from the group');

/** Changes the seed rule's group provisioning (`groups`, the merge acknowledgement). */
export async function setRule(ctx: FlowContext, changes: Json): Promise<HttpResponse> {
  const rule = await must(ctx.pingone.get(`/propagation/rules/${ctx.ids.ruleId}`), 'read the rule');
  return ctx.pingone.put(`/propagation/rules/${ctx.ids.ruleId}`, { body: { ...rule, ...changes } });
}

/** The target's groups of this displayName (`filter=displayName eq`, RFC 7644 §3.4.2.2). */
async function targetGroups(ctx: FlowContext, name: string): Promise<{ groups: Json[]; res: HttpResponse }> {
  const filter = `displayName eq ${JSON.stringify(name)}`;
  const res = await ctx.target.get(`/Groups?filter=${encodeURIComponent(filter)}`);
  expectStatus(res, 200);
  return { groups: ((res.body as Json).Resources ?? []) as Json[], res };
}

async function expectMembers(ctx: FlowContext, name: string, expected: string[], when: string): Promise<void> {
  const { groups, res } = await targetGroups(ctx, name);
  if (groups.length !== 1)
    fail(`${when}, the target holds ${groups.length} groups named ${JSON.stringify(name)}; expected 1`, res);
  const members = ((groups[0].members ?? []) as Json[]).map((m) => String(m.value)).sort();
  if (JSON.stringify(members) !== JSON.stringify([...expected].sort())) {
    fail(
      `${when}, the group ${JSON.stringify(name)} at the target has members ${JSON.stringify(members)}; expected ${JSON.stringify([...expected].sort())}`,
      res,
    );
  }
}

/** The Code42 side of a user (GET /__admin/users): organization and roles. */
async function placement(ctx: FlowContext, targetId: string): Promise<{ side: Json | undefined; res: HttpResponse }> {
  const res = await ctx.targetAdmin!.get('/users');
  expectStatus(res, 200);
  const users = ((res.body as { users?: unknown }).users ?? []) as Json[];
  return { side: users.find((u) => u.id === targetId), res };
}

async function expectPlacement(ctx: FlowContext, targetId: string, org: string, roles: string[], when: string) {
  const { side, res } = await placement(ctx, targetId);
  const got = side && { organization: side.organization, roles: [...((side.roles ?? []) as string[])].sort() };
  const want = { organization: org, roles: [...roles].sort() };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    fail(
      `${when}, Code42 places the user as ${JSON.stringify(got) ?? 'absent'} (why: ${JSON.stringify(side?.why)}); expected ${JSON.stringify(want)}`,
      res,
    );
  }
}

/** Adds rows to the target's organization and role mappings (`/__admin/org-mapping`, `/__admin/role-mapping`). */
async function mapGroups(ctx: FlowContext, orgs: Json[], roles: Json[]): Promise<void> {
  const admin = ctx.targetAdmin!;
  const org = await must(admin.get('/org-mapping'), 'read the organization mapping');
  const orgRows = [...((org.groups ?? []) as Json[]), ...orgs];
  await must(
    admin.put('/org-mapping', { body: { ...org, mode: 'groups', groups: orgRows } }),
    'map groups to organizations',
  );
  const role = await must(admin.get('/role-mapping'), 'read the role mapping');
  await must(
    admin.put('/role-mapping', { body: { groups: [...((role.groups ?? []) as Json[]), ...roles] } }),
    'map groups to roles',
  );
}

/** A user created in PingOne and at the target; returns both ids. */
async function user(ctx: FlowContext): Promise<{ id: string; targetId: string }> {
  const u = ctx.users.next();
  const id = await createUser(ctx, u);
  await propagated(ctx);
  const { resource } = await oneAtTarget(ctx, u.username, 'after the create');
  return { id, targetId: String(valueAtMappingPath(resource, 'id')) };
}

export const groupRequirements: Requirement<FlowContext>[] = [
  {
    id: 'FLOW-GROUP-ROLE',
    level: 'MUST',
    source: 'C42-SCIM-PROVISIONING; PINGONE-GROUP-PROVISIONING',
    quote:
      'Once enabled, Code42 creates new users, removes deactivated users, and updates user roles and permissions based on syncs with your provisioning provider.',
    title:
      'A PingOne user in a mapped group gets the mapped organization and roles in Code42; leaving the group revokes the role',
    suite: 'flow',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['code42:roles-not-revoked', 'code42:org-not-reevaluated'],
    accepts: 'Any group id at the target; roles in any order.',
    async check(ctx) {
      await requireGroups(ctx);
      const group = await pingoneGroup(ctx, 'analysts');
      await mapGroups(
        ctx,
        [{ group: group.name, organization: `${group.name} org` }],
        [{ group: group.name, roles: ['Security Analyst'] }],
      );
      const u = await user(ctx);
      await join(ctx, u.id, group.id);
      expectStatus(await setRule(ctx, { groups: [{ id: group.id }] }), 200);
      await propagated(ctx);
      await expectMembers(ctx, group.name, [u.targetId], 'after the group was selected on the rule');
      await expectPlacement(ctx, u.targetId, `${group.name} org`, ['Security Analyst'], 'after the group arrived');
      await leave(ctx, u.id, group.id);
      await propagated(ctx);
      await expectMembers(ctx, group.name, [], 'after the user left the group');
      const { side, res } = await placement(ctx, u.targetId);
      if (((side?.roles ?? []) as string[]).includes('Security Analyst')) {
        fail(
          `after the user left the group, Code42 still grants it 'Security Analyst' (why: ${JSON.stringify(side?.why)})`,
          res,
        );
      }
    },
  },
  {
    id: 'FLOW-GROUP-TWO-GROUPS',
    level: 'MUST',
    source: 'C42-SCIM-PROVISIONING; PINGONE-GROUP-PROVISIONING',
    quote: 'SCIM groups: The custom SCIM mapping and role mapping require that your provider uses SCIM groups.',
    title: 'A user in two mapped groups holds the roles of both in Code42',
    suite: 'flow',
    section: SECTION,
    needs: ['admin'],
    pairedDeviations: ['code42:roles-not-revoked'],
    accepts: 'Roles in any order; the organization is not judged (which group wins is the target’s own rule).',
    async check(ctx) {
      await requireGroups(ctx);
      const a = await pingoneGroup(ctx, 'readers');
      const b = await pingoneGroup(ctx, 'writers');
      await mapGroups(
        ctx,
        [],
        [
          { group: a.name, roles: ['Reader'] },
          { group: b.name, roles: ['Writer'] },
        ],
      );
      const u = await user(ctx);
      await join(ctx, u.id, a.id);
      await join(ctx, u.id, b.id);
      expectStatus(await setRule(ctx, { groups: [{ id: a.id }, { id: b.id }] }), 200);
      await propagated(ctx);
      const { side, res } = await placement(ctx, u.targetId);
      const roles = [...((side?.roles ?? []) as string[])].sort();
      if (!roles.includes('Reader') || !roles.includes('Writer'))
        fail(`Code42 grants the user ${JSON.stringify(roles)}; expected Reader and Writer`, res);
      await leave(ctx, u.id, b.id);
      await propagated(ctx);
      const after = await placement(ctx, u.targetId);
      const left = [...((after.side?.roles ?? []) as string[])];
      if (!left.includes('Reader') || left.includes('Writer'))
        fail(`after leaving one group, Code42 grants ${JSON.stringify(left)}; expected Reader only`, after.res);
    },
  },
  {
    id: 'FLOW-GROUP-MERGE',
    level: 'MUST',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote:
      'If there’s an existing group with the same name on the target, provisioning merges the group and its members.',
    title:
      'A group of the same name already at the target is merged: its own members stay, PingOne’s are added, no duplicate',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['pingone:group-put-drops-foreign', 'pingone:no-group-lookup'],
    accepts: 'Any update method; extra attributes of the group.',
    async check(ctx) {
      await requireGroups(ctx);
      const outsider = ctx.users.next();
      const created = await must(
        ctx.target.post('/Users', {
          body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: outsider.username },
        }),
        'create a user directly at the target',
      );
      const group = await pingoneGroup(ctx, 'support');
      await must(
        ctx.target.post('/Groups', {
          body: {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
            displayName: group.name,
            members: [{ value: created.id }],
          },
        }),
        'create the same-named group directly at the target',
      );
      // The whole-group PUT is where a merge most easily loses the target's own members.
      await configureStore(ctx, { GROUP_UPDATE_METHOD: 'PUT' });
      const u = await user(ctx);
      await join(ctx, u.id, group.id);
      expectStatus(await setRule(ctx, { groups: [{ id: group.id }], groupConflictAcknowledged: true }), 200);
      await propagated(ctx);
      await expectMembers(ctx, group.name, [String(created.id), u.targetId], 'after the acknowledged merge');
    },
  },
  {
    id: 'FLOW-GROUP-USERS-FIRST',
    level: 'INFO',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote: 'Memberships are a part of a group.',
    inference:
      'No document says in which order PingOne sends users and memberships; a member can only name a user the target holds, so the lab expects a member to be sent once its user is there, and a member whose user is not created to be left out, not sent.',
    title:
      'A member whose user is not at the target is not sent: the group arrives without it and the sync is not Failed',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['pingone:members-before-users'],
    accepts: 'Partially Synced or Success for the group.',
    async check(ctx) {
      await requireGroups(ctx);
      await configureStore(ctx, { CREATE_USERS: false });
      const u = ctx.users.next();
      const id = await createUser(ctx, u);
      const group = await pingoneGroup(ctx, 'waiting');
      await join(ctx, id, group.id);
      expectStatus(await setRule(ctx, { groups: [{ id: group.id }] }), 200);
      await propagated(ctx);
      await expectMembers(ctx, group.name, [], 'after the group was selected');
      const res = await ctx.pingone.get(`/propagation/rules/${ctx.ids.ruleId}/syncedGroups/${group.id}`);
      expectStatus(res, 200);
      if ((res.body as Json).status === 'FAILED')
        fail(`PingOne reports the group's sync as FAILED: ${JSON.stringify((res.body as Json).details)}`, res);
    },
  },
  {
    id: 'FLOW-GROUP-LIMIT',
    level: 'INFO',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote: 'The recommended number of groups supported in a provisioning rule for outbound group provisioning is 1000.',
    inference:
      'The page recommends at most 1000 groups per rule without saying what happens beyond; the lab expects a rule of 1001 groups to be refused rather than to provision slowly.',
    title: 'A rule refuses more than the recommended 1000 groups',
    suite: 'flow',
    section: SECTION,
    pairedDeviations: ['pingone:no-group-limit'],
    accepts: 'Any 4xx refusal.',
    // 1001 groups are created through the API first.
    timeoutMs: 120_000,
    async check(ctx) {
      expectStatus(await setRule(ctx, { active: false }), 200);
      const ids: Json[] = [];
      // 1001 groups, created 50 at a time: PingOne's API has no bulk create.
      for (let start = 0; start < 1001; start += 50) {
        const batch = Array.from({ length: Math.min(50, 1001 - start) }, (_, i) =>
          pingoneGroup(ctx, `bulk-${start + i}`),
        );
        for (const g of await Promise.all(batch)) ids.push({ id: g.id });
      }
      const res = await setRule(ctx, { groups: ids });
      if (res.status < 400 || res.status > 499)
        fail(`a rule of 1001 groups was answered ${res.status}; expected a refusal`, res);
    },
  },
];
