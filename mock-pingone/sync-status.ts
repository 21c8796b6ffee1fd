import type { Clock } from '../lab/types';
import { scimErrors } from '../scim/errors';
import type { GroupSyncRecord, PropagationRule, RuleSyncState, SyncResult, SyncTrigger, UserSyncRecord } from './model';
import type { GroupJob, GroupOutcome } from './group-sync';
import type { Outcome, SyncJob } from './sync-attempt';
import { parseGroupRecord } from './group-sync-state';

// The sync status (PING-SYNC-STATUS in docs/sources.md): per rule and user what the provisioner last did and how it
// went, per rule whether the connection works. Exported and imported with the mock's state.

export interface RuleSummary {
  status: 'ACTIVE' | 'INACTIVE' | 'FAILED';
  lastSyncAt?: string;
  connectionError?: string;
  users: SyncCounts;
  /** The same counters for the groups the rule provisions. */
  groups: SyncCounts;
}

export interface SyncCounts {
  impacted: number;
  success: number;
  unsynced: number;
  partiallySynced: number;
  failed: number;
}

/** The sync status as plain data, as it is saved in the state document's `sync`. */
export interface SyncState {
  records: UserSyncRecord[];
  rules: Record<string, RuleSyncState>;
  /** Absent in states saved before issue 15. */
  groups?: GroupSyncRecord[];
}

/** What an attempt taught about the connection. */
export interface AttemptReport {
  attempts: number;
  connectionError?: string;
  reachedTarget: boolean;
}

export interface SyncStatus {
  record(ruleId: string, userId: string): UserSyncRecord | undefined;
  records(ruleId: string): UserSyncRecord[];
  recordsOfUser(userId: string): UserSyncRecord[];
  /** Records the outcome of one job. */
  save(job: SyncJob, outcome: Outcome, attempt: AttemptReport): void;
  groupRecord(ruleId: string, groupId: string): GroupSyncRecord | undefined;
  groupRecords(ruleId: string): GroupSyncRecord[];
  saveGroup(job: GroupJob, outcome: GroupOutcome, waiting: number, attempt: AttemptReport): void;
  /** The rule's status and its users' counts; `live` tells whether the rule provisions at all. */
  summary(rule: PropagationRule, live: boolean): RuleSummary;
  forgetRule(ruleId: string): void;
  clear(): void;
  exportState(): SyncState;
  importState(saved: SyncState): void;
}

const key = (ruleId: string, userId: string) => `${ruleId}:${userId}`;

export function createSyncStatus(clock: Clock): SyncStatus {
  const records = new Map<string, UserSyncRecord>();
  const ruleStates = new Map<string, RuleSyncState>();
  const all = () => [...records.values()];

  function noteConnection(ruleId: string, now: string, attempt: AttemptReport): void {
    const ruleState = ruleStates.get(ruleId) ?? {};
    ruleState.lastSyncAt = now;
    if (attempt.connectionError) ruleState.connectionError = attempt.connectionError;
    else if (attempt.reachedTarget) delete ruleState.connectionError;
    ruleStates.set(ruleId, ruleState);
  }
  const groupRecords = new Map<string, GroupSyncRecord>();
  const saveGroup = groupSaver(clock, groupRecords, noteConnection);

  function save(job: SyncJob, outcome: Outcome, attempt: AttemptReport): void {
    const k = key(job.ruleId, job.user.id);
    const targetId = 'targetId' in outcome ? outcome.targetId : records.get(k)?.targetId;
    const now = clock.now().toISOString();
    records.set(k, {
      ruleId: job.ruleId,
      userId: job.user.id,
      username: job.user.username,
      status: outcome.status,
      trigger: job.trigger,
      lastAction: outcome.lastAction,
      details: outcome.details,
      ...(targetId !== undefined && { targetId }),
      attempts: attempt.attempts,
      lastSyncAt: now,
    });
    noteConnection(job.ruleId, now, attempt);
  }

  function summary(rule: PropagationRule, live: boolean): RuleSummary {
    const users = countsOf([...records.values()].filter((r) => r.ruleId === rule.id));
    const groups = countsOf([...groupRecords.values()].filter((r) => r.ruleId === rule.id));
    const state = ruleStates.get(rule.id) ?? {};
    // [INF] Failed: the last propagation could not talk to the target (network, TLS, credentials, retries exhausted).
    const status = !live ? 'INACTIVE' : state.connectionError ? 'FAILED' : 'ACTIVE';
    return {
      status,
      ...(state.lastSyncAt !== undefined && { lastSyncAt: state.lastSyncAt }),
      ...(state.connectionError !== undefined && { connectionError: state.connectionError }),
      users,
      groups,
    };
  }

  function clear(): void {
    records.clear();
    ruleStates.clear();
    groupRecords.clear();
  }

  return {
    record: (ruleId, userId) => records.get(key(ruleId, userId)),
    records: (ruleId) => all().filter((r) => r.ruleId === ruleId),
    recordsOfUser: (userId) => all().filter((r) => r.userId === userId),
    save,
    groupRecord: (ruleId, groupId) => groupRecords.get(key(ruleId, groupId)),
    groupRecords: (ruleId) => [...groupRecords.values()].filter((r) => r.ruleId === ruleId),
    saveGroup,
    summary,
    forgetRule(ruleId) {
      for (const [k, r] of records) if (r.ruleId === ruleId) records.delete(k);
      for (const [k, r] of groupRecords) if (r.ruleId === ruleId) groupRecords.delete(k);
      ruleStates.delete(ruleId);
    },
    clear,
    exportState: () => ({
      records: all(),
      rules: Object.fromEntries(ruleStates),
      groups: [...groupRecords.values()],
    }),
    importState(saved) {
      clear();
      for (const r of saved.records) records.set(key(r.ruleId, r.userId), r);
      for (const [id, s] of Object.entries(saved.rules)) ruleStates.set(id, s);
      for (const g of saved.groups ?? []) groupRecords.set(key(g.ruleId, g.groupId), g);
    },
  };
}

/** Records the outcome of one group job in `groupRecords`. */
function groupSaver(
  clock: Clock,
  groupRecords: Map<string, GroupSyncRecord>,
  noteConnection: (ruleId: string, now: string, attempt: AttemptReport) => void,
): SyncStatus['saveGroup'] {
  return (job: GroupJob, outcome: GroupOutcome, waiting: number, attempt: AttemptReport) => {
    const k = key(job.ruleId, job.groupId);
    const before = groupRecords.get(k);
    const targetId = 'targetId' in outcome ? outcome.targetId : before?.targetId;
    // A failed sync changed nothing the rule knows of: the members it placed before stay its members.
    const members = outcome.status === 'FAILED' ? (before?.members ?? []) : outcome.members;
    const now = clock.now().toISOString();
    groupRecords.set(k, {
      ruleId: job.ruleId,
      groupId: job.groupId,
      name: job.name,
      status: outcome.status,
      trigger: job.trigger,
      lastAction: outcome.lastAction,
      details: outcome.details,
      ...(targetId !== undefined && { targetId }),
      members,
      waiting,
      attempts: attempt.attempts,
      lastSyncAt: now,
    });
    noteConnection(job.ruleId, now, attempt);
  };
}

/** PING-SYNC-STATUS: Impacted, Success, Unsynced, Partially Synced and Failed. */
function countsOf(list: { status: SyncResult }[]): SyncCounts {
  const counts = { impacted: 0, success: 0, unsynced: 0, partiallySynced: 0, failed: 0 };
  for (const r of list) {
    counts.impacted++;
    if (r.status === 'SUCCESS') counts.success++;
    else if (r.status === 'UNSYNCED') counts.unsynced++;
    else if (r.status === 'PARTIALLY_SYNCED') counts.partiallySynced++;
    else counts.failed++;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Reading a saved sync status: every field checked, errors name the field.

const RESULTS: readonly SyncResult[] = ['SUCCESS', 'FAILED', 'UNSYNCED', 'PARTIALLY_SYNCED'];
const ACTIONS: readonly UserSyncRecord['lastAction'][] = ['CREATE', 'UPDATE', 'DISABLE', 'ENABLE', 'DELETE', 'NONE'];
const TRIGGERS: readonly SyncTrigger[] = ['create', 'update', 'disable', 'enable', 'remove', 'resync'];

const bad = (detail: string) => scimErrors.invalidValue(`state: ${detail}`);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(o: Record<string, unknown>, name: string, where: string, optional = false): string | undefined {
  const value = o[name];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw bad(`'${where}.${name}' must be a string`);
  return value;
}

function oneOf<T extends string>(o: Record<string, unknown>, name: string, where: string, allowed: readonly T[]): T {
  const value = o[name];
  if (!allowed.includes(value as T)) throw bad(`'${where}.${name}' must be one of ${allowed.join(', ')}`);
  return value as T;
}

function parseRecord(value: unknown, where: string): UserSyncRecord {
  if (!isRecord(value)) throw bad(`'${where}' must be an object`);
  if (typeof value.attempts !== 'number' || !Number.isInteger(value.attempts) || value.attempts < 0)
    throw bad(`'${where}.attempts' must be a whole number`);
  const targetId = text(value, 'targetId', where, true);
  return {
    ...value,
    ruleId: text(value, 'ruleId', where) as string,
    userId: text(value, 'userId', where) as string,
    username: text(value, 'username', where) as string,
    status: oneOf(value, 'status', where, RESULTS),
    trigger: oneOf(value, 'trigger', where, TRIGGERS),
    lastAction: oneOf(value, 'lastAction', where, ACTIONS),
    details: text(value, 'details', where) as string,
    ...(targetId !== undefined && { targetId }),
    attempts: value.attempts,
    lastSyncAt: text(value, 'lastSyncAt', where) as string,
  };
}

function parseRuleState(value: unknown, where: string): RuleSyncState {
  if (!isRecord(value)) throw bad(`'${where}' must be an object`);
  const connectionError = text(value, 'connectionError', where, true);
  const lastSyncAt = text(value, 'lastSyncAt', where, true);
  return {
    ...value,
    ...(connectionError !== undefined && { connectionError }),
    ...(lastSyncAt !== undefined && { lastSyncAt }),
  };
}

/**
 * Validates the `sync` part of a state document (absent = nothing synced yet). Fields the mock does not know
 * are kept as they are, so that a state document survives an import and export unchanged.
 */
export function parseSyncState(value: unknown): SyncState {
  if (value === undefined || value === null) return { records: [], rules: {} };
  if (!isRecord(value)) throw bad("'sync' must be an object");
  const records = value.records ?? [];
  const rules = value.rules ?? {};
  const groups = value.groups ?? [];
  if (!Array.isArray(records)) throw bad("'sync.records' must be an array");
  if (!isRecord(rules)) throw bad("'sync.rules' must be an object");
  if (!Array.isArray(groups)) throw bad("'sync.groups' must be an array");
  return {
    records: records.map((r, i) => parseRecord(r, `sync.records[${i}]`)),
    rules: Object.fromEntries(Object.entries(rules).map(([id, s]) => [id, parseRuleState(s, `sync.rules.${id}`)])),
    groups: groups.map((g, i) => parseGroupRecord(g, `sync.groups[${i}]`)),
  };
}
