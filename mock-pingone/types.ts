import type { PropagationPlan, PropagationRule, PropagationStore, User, UserSyncRecord } from './model';
import type { ScimClient } from './scim-client';
import type { RuleSummary, SyncState } from './sync-status';

// The seams of the mock PingOne, declared (as lab/types.ts does for Clock, Journal and Faults) rather than
// derived from the functions that build them: each part can be read, replaced or faked by its interface.

/** The provisioner's outbound SCIM client: how the provisioner reaches a target. */
export type OutboundClient = Pick<ScimClient, 'send' | 'sendWithRetry'>;

/**
 * The outbound SCIM provisioner (behavior-notes §3). It reacts to changes of users and of the propagation
 * configuration, applies them per rule and user in order, and keeps the sync status.
 */
export interface Provisioner {
  onUserChange(before: User | undefined, after: User | undefined): void;
  onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void;
  onStoreChange(before: PropagationStore, after: PropagationStore): void;
  onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void;
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
  /** Empties the sync status and the queues (admin reset). */
  reset(): void;
  exportState(): SyncState;
  /** Replaces the sync status with a validated one (see `parseSyncState`); drops the queues. */
  importState(saved: SyncState): void;
  close(): void;
}
