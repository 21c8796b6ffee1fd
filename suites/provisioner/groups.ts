// Groups on the wire (issue 15 §3): what the provisioner sends the target when a group selected on its rule is
// created, gains or loses members, meets a group of the same name, or is deleted (PINGONE-GROUP-PROVISIONING: for SCIM
// the memberships are part of the group), judged against RFC 7644 from the target's journal and state. Group names
// carry the requirement's prefix: a Code42-like target keeps what a run creates, and the journal is read by prefix.
import { hostileGroupNames } from '../../fixtures/groups';
import type { PingOneUser } from '../../fixtures/users';
import { toExpectedScim } from '../../fixtures/users';
import { URN } from '../../scim/urns';
import { expectStatus, fail, requirementPrefix, type HttpResponse, type Requirement } from '../engine';
import type { ProvisionerContext } from './context';
import { groupMembers, membershipProblems } from './group-wire';
import { describeSent, expectPropagated, idOf, targetUser, traffic, type Sent } from './support';

const SECTION = 'Groups';
/** The mock PingOne's longest group name [INF] (mock-pingone/groups.ts); longer fixtures are left out. */
const MAX_GROUP_NAME = 256;

const groupName = (ctx: ProvisionerContext, suffix: string) =>
  `${requirementPrefix(ctx.runPrefix, ctx.requirement.id)}${suffix}`;

/** Requests on the Groups resource (`/Groups`, `/Groups/{id}`). */
const onGroups = (sent: readonly Sent[]): Sent[] => sent.filter((s) => /^\/Groups(\/|$)/i.test(s.path));

const displayNameOf = (body: unknown) => (body as { displayName?: unknown } | undefined)?.displayName;

/**
 * The requests about one group: its POST (by displayName) and those on its id at the target. A provisioner that keeps
 * running between requirements also sends other requirements' groups (support.ts), and stale ids of earlier targets.
 */
function aboutGroup(sent: readonly Sent[], name: string, id: string | undefined): Sent[] {
  return onGroups(sent).filter(
    (s) => (id !== undefined && s.path === `/Groups/${id}`) || (s.method === 'POST' && displayNameOf(s.body) === name),
  );
}

/** RFC 7644 §3.4.2.2: `displayName eq "<name>"`, attribute and operator in any case, the value a JSON string. */
function looksUp(filter: string | undefined, name: string): boolean {
  const match = /^\s*displayName\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i.exec(filter ?? '');
  if (!match) return false;
  try {
    return JSON.parse(match[1]) === name;
  } catch {
    return false;
  }
}

/** Creates the user through the provisioner and returns its id at the target. */
async function provisioned(ctx: ProvisionerContext, user: PingOneUser): Promise<string> {
  expectPropagated(await ctx.step('create', user), `creating ${JSON.stringify(user.username)}`);
  return idOf((await targetUser(ctx, user.username, 'after the create')).resource);
}

/** Runs `work` for each item, side by side as far as the driver allows (ctx.parallelSteps), in order otherwise. */
async function eachStep<T, R>(
  ctx: ProvisionerContext,
  items: readonly T[],
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += ctx.parallelSteps) {
    results.push(...(await Promise.all(items.slice(i, i + ctx.parallelSteps).map(work))));
  }
  return results;
}

/** The target's groups of this displayName, read by the suite (`filter=displayName eq`, RFC 7644 §3.4.2.2). */
async function targetGroups(
  ctx: ProvisionerContext,
  name: string,
): Promise<{ groups: Record<string, unknown>[]; res: HttpResponse }> {
  const res = await ctx.target.get('/Groups', { query: { filter: `displayName eq ${JSON.stringify(name)}` } });
  expectStatus(res, 200);
  const resources = (res.body as { Resources?: unknown } | undefined)?.Resources;
  return { groups: Array.isArray(resources) ? (resources as Record<string, unknown>[]) : [], res };
}

/** Exactly one group of this name at the target, holding exactly `expected` (target ids) as members. */
async function expectGroup(ctx: ProvisionerContext, name: string, expected: string[], when: string): Promise<string> {
  const { groups, res } = await targetGroups(ctx, name);
  if (groups.length !== 1) {
    fail(`${when}, the target holds ${groups.length} groups named ${JSON.stringify(name)}; expected exactly 1`, res);
  }
  const members = groupMembers(groups[0]).sort();
  const want = [...expected].sort();
  if (JSON.stringify(members) !== JSON.stringify(want)) {
    fail(
      `${when}, the group ${JSON.stringify(name)} at the target has the members ${JSON.stringify(members)}; expected ${JSON.stringify(want)}`,
      res,
    );
  }
  return String(groups[0].id);
}

/** A group the suite creates at the target itself (its own SCIM provider): `members` are target ids. */
async function groupAtTarget(ctx: ProvisionerContext, name: string, members: string[]): Promise<string> {
  const res = await ctx.target.post('/Groups', {
    body: { schemas: [URN.Group], displayName: name, members: members.map((value) => ({ value })) },
  });
  expectStatus(res, 201);
  return String((res.body as { id?: unknown }).id);
}

/** A user the suite creates at the target itself, one the identity provider does not know. */
async function userAtTarget(ctx: ProvisionerContext): Promise<string> {
  const res = await ctx.target.post('/Users', { body: toExpectedScim(ctx.users.next()) });
  expectStatus(res, 201);
  return String((res.body as { id?: unknown }).id);
}

/** The membership writes (PATCH or PUT of /Groups/{id}) sent from `since` on, each judged against RFC 7644. */
function expectMembershipWrites(sent: readonly Sent[], id: string, since: number, what: string): void {
  const writes = aboutGroup(sent, '', id).filter((s) => s.at >= since && (s.method === 'PATCH' || s.method === 'PUT'));
  if (writes.length === 0) {
    fail(
      `${what} sent no PATCH or PUT of the group /Groups/${id}; it sent: ${onGroups(sent).map(describeSent).join(', ') || 'nothing'}`,
    );
  }
  for (const write of writes) {
    const problems = membershipProblems(write.method, write.body);
    if (problems.length > 0) fail(`${what}: ${describeSent(write)}: ${problems.join('; ')}`, write.exchange);
  }
}

export const groupRequirements: Requirement<ProvisionerContext>[] = [
  {
    id: 'P1-GROUP-LOOKUP',
    level: 'INFO',
    source: 'PINGONE-GROUP-PROVISIONING; RFC7644-3.4.2.2',
    quote:
      'If there’s an existing group with the same name on the target, provisioning merges the group and its members.',
    inference:
      'The page says a group of the same name is merged but not how it is found; the lab expects a search by `displayName eq "<name>"` (the value escaped as a JSON string, RFC 7644 §3.4.2.2) before the POST that creates the group.',
    title: 'Before creating a group, the provisioner searches the target for its displayName, escaped as a JSON string',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:no-group-lookup'],
    accepts:
      'Attribute name and operator in any case; any JSON escaping of the value (e.g. \\u00fc); extra lookups and query parameters.',
    async check(ctx) {
      const member = ctx.users.next();
      await provisioned(ctx, member);
      const prefix = requirementPrefix(ctx.runPrefix, ctx.requirement.id);
      const names = hostileGroupNames(prefix).filter((n) => n.length <= MAX_GROUP_NAME);
      // One after the other: each step selects its group on the rule, which the identity provider holds once.
      for (const name of names) {
        const step = await ctx.groupStep('group-create', { name, members: [member.username] });
        expectPropagated(step, `creating the group ${JSON.stringify(name)}`);
      }
      const sent = onGroups(await traffic(ctx));
      for (const name of names) {
        // The POST of a group is the one that carries its displayName.
        const post = sent.findIndex((s) => s.method === 'POST' && displayNameOf(s.body) === name);
        if (post === -1) fail(`creating the group ${JSON.stringify(name)} sent no POST /Groups with that displayName`);
        const before = sent.slice(0, post).filter((s) => s.method === 'GET' && s.filter !== undefined);
        if (!before.some((s) => looksUp(s.filter, name))) {
          fail(
            `POST /Groups for ${JSON.stringify(name)} came without a lookup displayName eq ${JSON.stringify(name)} before it; the group lookups before it: ${before.map(describeSent).join(', ') || 'none'}`,
            [...before.map((s) => s.exchange), sent[post].exchange],
          );
        }
      }
    },
  },
  {
    id: 'P1-GROUP-NO-DUPLICATE',
    level: 'MUST',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote:
      'If there’s an existing group with the same name on the target, provisioning merges the group and its members.',
    title: 'A group the target already holds under the same name is adopted, not created a second time',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:no-group-lookup'],
    accepts: 'Any lookup and update method; the merge acknowledged on the rule (GROUP_MERGE_ACKNOWLEDGED).',
    async check(ctx) {
      const member = ctx.users.next();
      const memberId = await provisioned(ctx, member);
      const name = groupName(ctx, 'Support');
      const existing = await groupAtTarget(ctx, name, []);
      const created = await ctx.groupStep(
        'group-create',
        { name, members: [member.username] },
        { settings: { GROUP_MERGE_ACKNOWLEDGED: true } },
      );
      const posts = aboutGroup(await traffic(ctx), name, existing).filter((s) => s.method === 'POST');
      if (posts.length > 0) {
        fail(
          `the target already held the group ${JSON.stringify(name)} (id ${existing}), but the provisioner sent ${describeSent(posts[0])} instead of adopting it`,
          posts[0].exchange,
        );
      }
      expectPropagated(created, 'creating a group the target already holds');
      const id = await expectGroup(ctx, name, [memberId], 'after the adoption');
      if (id !== existing)
        fail(`the target's group ${JSON.stringify(name)} is ${id}; expected the existing ${existing}`);
    },
  },
  {
    id: 'P1-GROUP-MERGE',
    level: 'MUST',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote:
      'If there’s an existing group with the same name on the target, provisioning merges the group and its members.',
    title:
      'An acknowledged merge keeps the members the target group already had and adds the identity provider’s, also when the group is written whole with PUT',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:group-put-drops-foreign', 'pingone:no-group-lookup'],
    accepts:
      'PATCH or PUT (the step asks for PUT, where a merge can lose members by leaving them out); members in any order.',
    async check(ctx) {
      const member = ctx.users.next();
      const memberId = await provisioned(ctx, member);
      const foreign = await userAtTarget(ctx);
      const name = groupName(ctx, 'Merged');
      const existing = await groupAtTarget(ctx, name, [foreign]);
      const merged = await ctx.groupStep(
        'group-create',
        { name, members: [member.username] },
        { settings: { GROUP_MERGE_ACKNOWLEDGED: true, GROUP_UPDATE_METHOD: 'PUT' } },
      );
      const writes = aboutGroup(await traffic(ctx), name, existing).filter((s) => s.method !== 'GET');
      const lost = writes.find((s) => s.method === 'PUT' && !groupMembers(s.body).includes(foreign));
      if (lost) {
        fail(
          `the target's group ${JSON.stringify(name)} held the member ${foreign}, which the identity provider does not know; the merge sent ${describeSent(lost)} without it, so the target drops it`,
          lost.exchange,
        );
      }
      expectPropagated(merged, 'the acknowledged merge');
      await expectGroup(ctx, name, [foreign, memberId], 'after the acknowledged merge');
    },
  },
  {
    id: 'P1-GROUP-MEMBERS-PATCH',
    level: 'MUST',
    source: 'RFC7644-3.5.2; RFC7644-3.5.2.1; RFC7644-3.5.2.2; PINGONE-GROUP-PROVISIONING',
    quote:
      'Each PATCH operation object MUST have exactly one "op" member, whose value indicates the operation to perform and MAY be one of "add", "remove", or "replace".',
    title:
      'A member added or removed reaches the target group as an RFC 7644 PATCH of members (remove with a path), or as a PUT of the whole group',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:group-remove-without-path'],
    accepts:
      'add with path "members" or without a path; remove by path members[value eq "…"] or path "members" with the values; replace of members; op names in any case; a PUT with displayName and every member.',
    async check(ctx) {
      const [ann, bob] = [ctx.users.next(), ctx.users.next()];
      const [annId, bobId] = await eachStep(ctx, [ann, bob], (user) => provisioned(ctx, user));
      const name = groupName(ctx, 'Engineering');
      expectPropagated(await ctx.groupStep('group-create', { name, members: [ann.username] }), 'creating the group');
      const id = await expectGroup(ctx, name, [annId], 'after the group was created');
      let since = Date.now();
      const both = { name, members: [ann.username, bob.username] };
      const added = await ctx.groupStep('group-add-member', both, { member: bob.username });
      expectMembershipWrites(await traffic(ctx), id, since, `adding ${JSON.stringify(bob.username)} to the group`);
      expectPropagated(added, 'adding a member');
      await expectGroup(ctx, name, [annId, bobId], 'after the member was added');
      since = Date.now();
      const removed = await ctx.groupStep(
        'group-remove-member',
        { name, members: [bob.username] },
        { member: ann.username },
      );
      expectMembershipWrites(await traffic(ctx), id, since, `removing ${JSON.stringify(ann.username)} from the group`);
      expectPropagated(removed, 'removing a member');
      await expectGroup(ctx, name, [bobId], 'after the member was removed');
    },
  },
  {
    id: 'P1-GROUP-USERS-FIRST',
    level: 'INFO',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote: 'Memberships are a part of a group.',
    inference:
      'No document says in which order PingOne sends users and memberships; a member can only name a user the target holds, so the lab expects a group request to reference only users the target has answered with, and a member whose user is not at the target to be left out.',
    title: 'A group request names as members only users the target already holds; a member not yet there is left out',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:members-before-users'],
    accepts: 'Partially Synced or Success; the waiting member sent later, once its user exists.',
    async check(ctx) {
      const [here, waiting] = [ctx.users.next(), ctx.users.next()];
      const hereId = await provisioned(ctx, here);
      // With "Allow users to be created" off, the second user stays in the identity provider only (one step at a
      // time: a step applies its settings to the provisioner's one store).
      await ctx.step('create', waiting, { CREATE_USERS: false });
      const name = groupName(ctx, 'Waiting');
      const group = { name, members: [here.username, waiting.username] };
      const created = await ctx.groupStep('group-create', group, { settings: { CREATE_USERS: false } });
      const id = (await targetGroups(ctx, name)).groups[0]?.id;
      const sent = await traffic(ctx);
      const ours = new Set(aboutGroup(sent, name, typeof id === 'string' ? id : undefined));
      for (const [i, s] of sent.entries()) {
        if (!ours.has(s) || s.method === 'GET') continue;
        const known = new Set(sent.slice(0, i).flatMap((earlier) => idsIn(earlier.exchange.response?.body)));
        const unknown = groupMembers(s.body).filter((m) => !known.has(m));
        if (unknown.length > 0) {
          fail(
            `${describeSent(s)} names the member(s) ${JSON.stringify(unknown)}, which no earlier answer of the target gave as a user's id: members were sent before their user exists at the target`,
            s.exchange,
          );
        }
      }
      expectPropagated(created, 'creating the group with a member whose user is not at the target');
      await expectGroup(ctx, name, [hereId], 'after the group was created');
    },
  },
  {
    id: 'P1-GROUP-DELETE',
    level: 'INFO',
    source: 'PINGONE-GROUP-PROVISIONING',
    quote: 'Memberships are a part of a group.',
    inference:
      'The page does not say what becomes of a provisioned group deleted in PingOne; the lab expects it to be deleted at the target (DELETE /Groups/{id}), as a deleted group grants nothing any more.',
    title: 'A group deleted in the identity provider is deleted at the target',
    suite: 'provisioner',
    section: SECTION,
    accepts: 'A 404 answer to the DELETE (already gone); extra lookups.',
    async check(ctx) {
      const member = ctx.users.next();
      const memberId = await provisioned(ctx, member);
      const name = groupName(ctx, 'Retired');
      const group = { name, members: [member.username] };
      expectPropagated(await ctx.groupStep('group-create', group), 'creating the group');
      const id = await expectGroup(ctx, name, [memberId], 'after the group was created');
      expectPropagated(await ctx.groupStep('group-delete', group), 'deleting the group');
      const sent = aboutGroup(await traffic(ctx), name, id);
      if (!sent.some((s) => s.method === 'DELETE')) {
        fail(
          `deleting the group in the identity provider sent no DELETE /Groups/${id}; about the group it sent: ${sent.map(describeSent).join(', ')}`,
          sent.map((s) => s.exchange),
        );
      }
      const { groups: left, res } = await targetGroups(ctx, name);
      if (left.length > 0) fail(`after the delete the target still holds the group ${JSON.stringify(name)}`, res);
    },
  },
];

/** Every `id` in a target's answer (a resource, or a ListResponse's Resources): ids the target has given out. */
function idsIn(body: unknown): string[] {
  const resources = (body as { Resources?: unknown } | undefined)?.Resources;
  const all = Array.isArray(resources) ? (resources as unknown[]) : [body];
  return all.flatMap((r) => {
    const id = (r as { id?: unknown } | null | undefined)?.id;
    return typeof id === 'string' ? [id, ...groupMembers(r)] : [];
  });
}
