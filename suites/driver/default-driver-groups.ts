// The group steps of the built-in default driver (docs/driver-protocol.md "Group steps", issue 15 §3): each changes the
// PingOne group through the management API as PingOne's console would — the group, its memberships (the user's
// `memberOfGroups`, PINGONE-API-GROUPS) and its selection on the rule, with the merge acknowledgement when the step
// gives it (PINGONE-GROUP-PROVISIONING). Like the user steps it keeps no state: the group is found by name.
import type { DriverGroupStep } from './protocol';

type Json = Record<string, unknown>;
/** One page of users: more than a step's environment holds. */
const USERS_PAGE = 1000;

/** What a group step needs from the driver: its management API call, the rule it provisions through, its failure. */
export interface GroupStepDeps {
  /** A management API call under the environment that must answer one of `expected` (2xx by default). */
  api(method: string, path: string, body?: unknown, expected?: number[]): Promise<Json>;
  ruleId: string;
  /** Ends the step as a driver error (exit 1) with this message. */
  fail(message: string): never;
}

const embedded = (body: Json, name: string): Json[] =>
  ((body._embedded as Json | undefined)?.[name] as Json[] | undefined) ?? [];

/** PingOne group names are unique per environment without regard to case (the mock's [INF], mock-pingone/groups.ts). */
const sameName = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** The PingOne group the step means: named as its key (its first name) or as the step's group now. */
async function findGroup(step: DriverGroupStep, deps: GroupStepDeps): Promise<Json | undefined> {
  const groups = embedded(await deps.api('GET', '/groups'), 'groups');
  return groups.find((g) => sameName(g.name, step.key)) ?? groups.find((g) => sameName(g.name, step.group.name));
}

/** The PingOne id of the user with this username (the key of its user steps). */
async function userId(username: string, deps: GroupStepDeps): Promise<string> {
  const filter = encodeURIComponent(`username eq ${JSON.stringify(username)}`);
  const found = embedded(await deps.api('GET', `/users?filter=${filter}`), 'users')[0];
  if (!found) deps.fail(`no PingOne user has the username ${JSON.stringify(username)} (a member of the step's group)`);
  return String(found.id);
}

/**
 * The PingOne ids of the group's members now, from each user's `memberOfGroups` (the side PINGONE-API-GROUPS names;
 * the environments a driver step sees hold a few users).
 */
async function memberIds(groupId: string, deps: GroupStepDeps): Promise<Set<string>> {
  const members = new Set<string>();
  for (const user of embedded(await deps.api('GET', `/users?limit=${USERS_PAGE}`), 'users')) {
    const memberships = embedded(await deps.api('GET', `/users/${String(user.id)}/memberOfGroups`), 'groupMemberships');
    if (memberships.some((m) => m.id === groupId)) members.add(String(user.id));
  }
  return members;
}

/** PINGONE-API-GROUPS "Read One Group Membership for User": 200 a member, 404 not. */
const isMember = async (deps: GroupStepDeps, user: string, groupId: string) =>
  (await deps.api('GET', `/users/${user}/memberOfGroups/${groupId}`, undefined, [200, 404])).id === groupId;

/** PINGONE-API-GROUPS "Add User to Group" / "Remove User from Group". */
const join = (deps: GroupStepDeps, user: string, groupId: string) =>
  deps.api('POST', `/users/${user}/memberOfGroups`, { id: groupId });
const leave = (deps: GroupStepDeps, user: string, groupId: string) =>
  deps.api('DELETE', `/users/${user}/memberOfGroups/${groupId}`);

/** Brings the group's memberships to the step's `members`. */
async function reconcileMembers(step: DriverGroupStep, groupId: string, deps: GroupStepDeps): Promise<void> {
  const wanted = new Set<string>();
  for (const username of step.group.members) wanted.add(await userId(username, deps));
  const present = await memberIds(groupId, deps);
  for (const id of wanted) if (!present.has(id)) await join(deps, id, groupId);
  for (const id of present) if (!wanted.has(id)) await leave(deps, id, groupId);
}

/** Selects the group on the rule; with GROUP_MERGE_ACKNOWLEDGED, acknowledges the merge of a same-named group. */
async function select(step: DriverGroupStep, groupId: string, deps: GroupStepDeps): Promise<void> {
  const rule = await deps.api('GET', `/propagation/rules/${deps.ruleId}`);
  const groups = (rule.groups ?? []) as Json[];
  const acknowledge = step.settings.GROUP_MERGE_ACKNOWLEDGED === true;
  const selected = groups.some((g) => g.id === groupId);
  if (selected && rule.groupConflictAcknowledged === acknowledge) return;
  await deps.api('PUT', `/propagation/rules/${deps.ruleId}`, {
    ...rule,
    groups: selected ? groups : [...groups, { id: groupId }],
    groupConflictAcknowledged: acknowledge,
    ...(acknowledge && { groupMembershipHandling: 'MERGE' }),
  });
}

const body = (step: DriverGroupStep) => ({
  name: step.group.name,
  ...(step.group.description !== undefined && { description: step.group.description }),
});

/** Changes the PingOne group as the step says; returns its PingOne id (for its sync status). */
export async function performGroupStep(step: DriverGroupStep, deps: GroupStepDeps): Promise<string> {
  const found = await findGroup(step, deps);
  if (step.action === 'group-create') {
    // Members first, then the selection: the rule's first sync of the group carries them.
    const groupId = found ? String(found.id) : String((await deps.api('POST', '/groups', body(step))).id);
    if (found) await deps.api('PUT', `/groups/${groupId}`, { ...found, ...body(step) });
    await reconcileMembers(step, groupId, deps);
    await select(step, groupId, deps);
    return groupId;
  }
  if (!found)
    deps.fail(
      `no PingOne group is named ${JSON.stringify(step.key)} (the step's key) or ${JSON.stringify(step.group.name)}`,
    );
  const groupId = String(found.id);
  const member = async () => {
    if (typeof step.member !== 'string') deps.fail(`the step '${step.action}' needs a 'member' (a username)`);
    return userId(step.member, deps);
  };
  switch (step.action) {
    case 'group-update':
      await deps.api('PUT', `/groups/${groupId}`, { ...found, ...body(step) });
      await reconcileMembers(step, groupId, deps);
      break;
    case 'group-add-member': {
      const id = await member();
      if (!(await isMember(deps, id, groupId))) await join(deps, id, groupId);
      break;
    }
    case 'group-remove-member': {
      const id = await member();
      if (await isMember(deps, id, groupId)) await leave(deps, id, groupId);
      break;
    }
    case 'group-delete':
      await deps.api('DELETE', `/groups/${groupId}`);
      break;
  }
  return groupId;
}
