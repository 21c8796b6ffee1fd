import { randomUUID } from 'node:crypto';
import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import type { Group, User } from './model';
import type { State } from './state';
import { optionalDescription } from './store-configuration';
import type { Directory } from './types';

// Groups and group membership (S5 "Groups", "Group Membership"). A group is environment-level, or population-level
// when created with `population.id` (fixed afterwards); a population-level group holds users of its population only,
// and a user who moves to another population leaves it. Every membership change is reported to `onMembershipChange`
// after it is applied, and every group change to `onGroupChange`, which is how the provisioner learns of them.

export interface GroupHooks {
  /** `before` undefined: created; `after` undefined: deleted. Both are snapshots. */
  onGroupChange(before: Group | undefined, after: Group | undefined): void;
  onMembershipChange(groupId: string, userId: string): void;
}

const MAX_NAME = 256;
const GROUP_KEYS = new Set(['name', 'description', 'externalId', 'population', 'customData', 'sourceType']);
/** Read-only attributes the API returns; accepted (and ignored) in writes so that GET → PUT round-trips. */
const READ_ONLY = new Set(['id', 'environment', 'createdAt', 'updatedAt', '_links', 'directMemberCounts']);

export type Groups = Directory['groups'];

export function createGroups(
  st: () => State,
  now: () => string,
  hooks: GroupHooks,
  user: (id: string) => User,
): Groups {
  function group(id: string): Group {
    const found = st().groups.get(id);
    if (!found) throw p1Errors.notFound('group', id);
    return found;
  }
  const membersOf = (groupId: string) => st().members.get(groupId) ?? new Set<string>();

  function setMember(groupId: string, userId: string, member: boolean): void {
    const set = membersOf(groupId);
    if (set.has(userId) === member) return;
    if (member) set.add(userId);
    else set.delete(userId);
    st().members.set(groupId, set);
    hooks.onMembershipChange(groupId, userId);
  }

  function groupsOf(userId: string): Group[] {
    return [...st().groups.values()].filter((g) => membersOf(g.id).has(userId));
  }

  return {
    list: () => [...st().groups.values()],
    get: group,
    create(body) {
      const input = parseGroup(st(), body);
      const stamp = now();
      const created: Group = { id: randomUUID(), ...input, createdAt: stamp, updatedAt: stamp };
      st().groups.set(created.id, created);
      hooks.onGroupChange(undefined, structuredClone(created));
      return created;
    },
    replace(id, body) {
      const current = group(id);
      const input = parseGroup(st(), body, current);
      const next: Group = { id, ...input, createdAt: current.createdAt, updatedAt: now() };
      st().groups.set(id, next);
      hooks.onGroupChange(structuredClone(current), structuredClone(next));
      return next;
    },
    remove(id) {
      const current = group(id);
      const members = [...membersOf(id)];
      st().groups.delete(id);
      st().members.delete(id);
      // A deleted group leaves every rule that provisioned it; the provisioner removes it from the target.
      for (const [ruleId, rule] of st().rules) {
        if (rule.groups.some((g) => g.id === id))
          st().rules.set(ruleId, { ...rule, groups: rule.groups.filter((g) => g.id !== id) });
      }
      hooks.onGroupChange(structuredClone(current), undefined);
      for (const userId of members) hooks.onMembershipChange(id, userId);
    },
    ...memberships({ st, group, user, membersOf, setMember, groupsOf }),
  };
}

interface MembershipParts {
  st: () => State;
  group(id: string): Group;
  user(id: string): User;
  membersOf(groupId: string): Set<string>;
  setMember(groupId: string, userId: string, member: boolean): void;
  groupsOf(userId: string): Group[];
}

type Memberships = Pick<Groups, 'memberCount' | 'members' | 'groupsOf' | 'addMember' | 'removeMember' | 'userChanged'>;

/** S5 "Group Membership": who is in which group, and the changes to it. */
function memberships({ st, group, user, membersOf, setMember, groupsOf }: MembershipParts): Memberships {
  return {
    memberCount: (id) => membersOf(id).size,
    members: (id) => [...membersOf(group(id).id)],
    groupsOf: (userId) => groupsOf(user(userId).id),
    /** S5 "Add User to Group": `{"id": "<group id>"}`; a population-level group takes users of its population only. */
    addMember(userId, body) {
      const member = user(userId);
      if (!isObject(body) || typeof body.id !== 'string' || body.id === '') {
        throw p1Errors.invalidValue('id', 'the body must be {"id": "<group id>"}');
      }
      const target = st().groups.get(body.id);
      if (!target) throw p1Errors.invalidValue('id', `group '${body.id}' does not exist`);
      if (target.sourceType === 'EXTERNAL') {
        // S5 "External Groups": their memberships come from the external source and cannot be edited.
        throw p1Errors.invalidRequest(
          `The group '${target.name}' is external; its memberships cannot be edited.`,
          'id',
        );
      }
      if (target.population && target.population.id !== member.population.id) {
        throw p1Errors.invalidRequest(
          `The group '${target.name}' belongs to population '${target.population.id}'; the user is in '${member.population.id}'.`,
          'id',
        );
      }
      setMember(target.id, member.id, true);
      return target;
    },
    removeMember(userId, groupId) {
      const member = user(userId);
      const target = group(groupId);
      if (!membersOf(target.id).has(member.id)) throw p1Errors.notFound('group membership for this user', groupId);
      if (target.sourceType === 'EXTERNAL') {
        throw p1Errors.invalidRequest(
          `The group '${target.name}' is external; its memberships cannot be edited.`,
          'id',
        );
      }
      setMember(target.id, member.id, false);
    },
    /** A user deleted or moved: S5 "If a user's population changes, they are also removed from" its groups there. */
    userChanged(before, after) {
      for (const g of groupsOf(before.id)) {
        const leaves = after === undefined || (g.population !== undefined && g.population.id !== after.population.id);
        if (leaves) setMember(g.id, before.id, false);
      }
    },
  };
}

/** A group body, checked against the others: names unique per environment without regard to case [INF]. */
function parseGroup(state: State, body: unknown, current?: Group): Omit<Group, 'id' | 'createdAt' | 'updatedAt'> {
  if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
  for (const key of Object.keys(body)) {
    if (!GROUP_KEYS.has(key) && !READ_ONLY.has(key)) throw p1Errors.invalidValue(key, `unknown attribute '${key}'`);
  }
  const { name, externalId, customData, sourceType } = body;
  if (typeof name !== 'string' || name.trim() === '') {
    throw name === undefined
      ? p1Errors.required('name')
      : p1Errors.invalidValue('name', 'name must be a non-empty string');
  }
  if (name.length > MAX_NAME) throw p1Errors.invalidValue('name', `name must be at most ${MAX_NAME} characters`);
  for (const other of state.groups.values()) {
    if (other.id !== current?.id && other.name.toLowerCase() === name.toLowerCase()) {
      throw p1Errors.uniqueness('name', `a group named '${name}' already exists`);
    }
  }
  if (externalId !== undefined && externalId !== null && typeof externalId !== 'string') {
    throw p1Errors.invalidValue('externalId', 'externalId must be a string');
  }
  if (customData !== undefined && customData !== null && !isObject(customData)) {
    throw p1Errors.invalidValue('customData', 'customData must be a JSON object');
  }
  if (body.userFilter !== undefined) {
    throw p1Errors.invalidValue('userFilter', 'dynamic groups (userFilter) are not supported by the mock');
  }
  const population = parsePopulation(state, body.population, current);
  const source = sourceType ?? current?.sourceType ?? 'INTERNAL';
  if (source !== 'INTERNAL' && source !== 'EXTERNAL') {
    throw p1Errors.invalidValue('sourceType', 'sourceType must be INTERNAL or EXTERNAL');
  }
  if (current && source !== current.sourceType) {
    throw p1Errors.invalidValue('sourceType', 'the sourceType of a group cannot be changed');
  }
  return {
    name,
    ...(optionalDescription(body) !== undefined && { description: optionalDescription(body) }),
    ...(typeof externalId === 'string' && externalId !== '' && { externalId }),
    ...(population && { population }),
    ...(isObject(customData) && { customData }),
    sourceType: source,
  };
}

/** S5: `population.id` is set at creation only; a group cannot move between populations or to the environment. */
function parsePopulation(state: State, value: unknown, current?: Group): { id: string } | undefined {
  if (current) {
    const given = isObject(value) ? value.id : undefined;
    if (given !== undefined && given !== current.population?.id) {
      throw p1Errors.invalidValue('population.id', 'population.id is read-only after the group is created');
    }
    return current.population;
  }
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') {
    throw p1Errors.invalidValue('population.id', 'population must be {"id": "<population id>"}');
  }
  if (!state.populations.has(value.id)) {
    throw p1Errors.invalidValue('population.id', `population '${value.id}' does not exist`);
  }
  return { id: value.id };
}
