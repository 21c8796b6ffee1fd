import type {
  Environment,
  Group,
  GroupSyncRecord,
  Population,
  PropagationMapping,
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  User,
  UserSyncRecord,
} from './model';
import type { OutboundScimClient } from './outbound-client';
import type { RuleSummary, SyncState } from './sync-status';

// The seams of the mock PingOne, declared (as lab/types.ts does for Clock, Journal and Faults) rather than
// derived from the functions that build them: each part can be read, replaced or faked by its interface.

/** The provisioner's outbound SCIM client: how the provisioner reaches a target. */
export type OutboundClient = Pick<OutboundScimClient, 'send' | 'sendWithRetry'>;

/**
 * The outbound SCIM provisioner (PING-SCIM-PROVISIONER in docs/sources.md). It reacts to changes of users and of the propagation
 * configuration, applies them per rule and user in order, and keeps the sync status.
 */
export interface Provisioner {
  onUserChange(before: User | undefined, after: User | undefined): void;
  onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void;
  onStoreChange(before: PropagationStore, after: PropagationStore): void;
  onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void;
  onGroupChange(before: Group | undefined, after: Group | undefined): void;
  onMembershipChange(groupId: string, userId: string): void;
  /** Full Resync [DOC S4]: every user in the rule's scope is sent again. Returns how many were queued. */
  resync(rule: PropagationRule): number;
  summary(rule: PropagationRule): RuleSummary;
  /** A rule provisions when it is active, its plan is ACTIVE and its target is an ACTIVE scim store (S5). */
  live(rule: PropagationRule): boolean;
  /** Resolves once nothing is queued or in flight; rejects after `timeoutMs`. */
  waitIdle(timeoutMs: number): Promise<void>;
  /** Changes queued or in flight. */
  pending(): number;
  record(ruleId: string, userId: string): UserSyncRecord | undefined;
  records(ruleId: string): UserSyncRecord[];
  recordsOfUser(userId: string): UserSyncRecord[];
  /** The sync status of a group the rule provisions (PINGONE-GROUP-PROVISIONING). */
  groupRecord(ruleId: string, groupId: string): GroupSyncRecord | undefined;
  groupRecords(ruleId: string): GroupSyncRecord[];
  /** Empties the sync status and the queues (admin reset). */
  reset(): void;
  exportState(): SyncState;
  /** Replaces the sync status with a validated one (see `parseSyncState`); drops the queues. */
  importState(saved: SyncState): void;
  close(): void;
}

/** Create, read, replace and delete of one kind of entity; bodies are the API's JSON, validated inside. */
export interface Collection<T> {
  list(): T[];
  /** Throws a 404 PingOne error when absent. */
  get(id: string): T;
  create(body: unknown): T;
  replace(id: string, body: unknown): T;
  remove(id: string): void;
}

/** Populations and users (S5). Every change to a user is reported to the provisioner after it is applied. */
export interface Directory {
  environment(): Environment;
  populations: Collection<Population> & {
    userCount(populationId: string): number;
    /** The id of the default population (S5: there is always exactly one). */
    defaultId(): string;
  };
  users: Omit<Collection<User>, 'list'> & {
    /** Every user, or those a PingOne filter selects. */
    list(filter?: string): User[];
    patch(id: string, body: unknown): User;
    /** S5 "Update User Enabled": `{"enabled": bool}`. */
    setEnabled(id: string, body: unknown): User;
    /** S5 "Update User Population": `{"id": …}`. */
    setPopulation(id: string, body: unknown): User;
  };
  /** Groups and their direct members (S5 "Groups", "Group Membership"). */
  groups: Collection<Group> & {
    memberCount(groupId: string): number;
    /** The ids of the group's direct members; 404 for an unknown group. */
    members(groupId: string): string[];
    /** The groups the user is a direct member of; 404 for an unknown user. */
    groupsOf(userId: string): Group[];
    /** S5 "Add User to Group": `{"id": "<group id>"}`; answers the group. */
    addMember(userId: string, body: unknown): Group;
    removeMember(userId: string, groupId: string): void;
    /** Keeps memberships right after a user was deleted (`after` undefined) or moved to another population. */
    userChanged(before: User, after: User | undefined): void;
  };
}

/** Identity propagation (S5): stores, plans, rules and mappings. Changes are reported to the provisioner. */
export interface Propagation {
  stores: Collection<PropagationStore> & {
    /** Configuration keys the mock keeps but does not act on. */
    extras(id: string): Record<string, unknown>;
  };
  plans: Collection<PropagationPlan>;
  rules: Omit<Collection<PropagationRule>, 'list' | 'create'> & {
    list(planId?: string): PropagationRule[];
    create(planId: string, body: unknown): PropagationRule;
  };
  mappings: Omit<Collection<PropagationMapping>, 'list' | 'create'> & {
    list(ruleId: string): PropagationMapping[];
    create(ruleId: string, body: unknown): PropagationMapping;
  };
}
