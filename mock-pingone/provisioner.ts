import type { Clock } from '../lab/types';
import type { Deviations } from './deviations';
import type { PropagationRule, PropagationStore, ScimStoreConfiguration, SyncTrigger, User } from './model';
import type { GroupJob } from './group-sync';
import { createGroupTriggers } from './group-triggers';
import type { GroupTriggers } from './group-triggers';
import { createGroupRunner } from './group-runner';
import type { Logger } from './options';
import { createJobQueue } from './job-queue';
import type { JobContext } from './job-queue';
import { createRuleScope } from './rule-scope';
import type { State } from './state';
import { SyncAttempt } from './sync-attempt';
import { createSyncTriggers } from './sync-triggers';
import type { SyncTriggers } from './sync-triggers';
import type { SyncJob } from './sync-attempt';
import { createSyncStatus } from './sync-status';
import type { OutboundClient, Provisioner } from './types';

// The outbound SCIM provisioner (PING-SCIM-PROVISIONER in docs/sources.md), assembled from four parts with one job each:
// - rule-scope.ts: which users a rule provisions and the values it sends;
// - job-queue.ts: changes queued per rule and user, applied in order, users in parallel up to `concurrency`;
// - sync-attempt.ts: one change talked through with the target;
// - sync-status.ts: what the last attempt per user did, and whether each rule's connection works.
// - sync-triggers.ts: which changes to queue when users or the configuration change.

export type { RuleSummary } from './sync-status';
export type { Provisioner } from './types';

export interface ProvisionerOptions {
  ref: { state: State };
  clock: Clock;
  client: OutboundClient;
  deviations: Deviations;
  concurrency: number;
  contentType: string;
  cannotClear: boolean;
  logger: Logger;
}

export function createProvisioner(options: ProvisionerOptions): Provisioner {
  const { ref, clock, deviations } = options;
  const st = () => ref.state;
  const scope = createRuleScope(st, deviations);
  const status = createSyncStatus(clock);
  const queue = createJobQueue<SyncJob | GroupJob>({
    concurrency: options.concurrency,
    run: apply,
    onError: (error) => options.logger.error(`provisioner: ${(error as Error).message}`),
  });
  const { live } = scope;

  function enqueue(rule: PropagationRule, user: User, trigger: SyncTrigger, attrsChanged = false): void {
    queue.enqueue(`${rule.id}:${user.id}`, { ruleId: rule.id, user: structuredClone(user), trigger, attrsChanged });
  }

  const groupRunner = createGroupRunner({ st, scope, status, options, queue });
  const { enqueueGroup } = groupRunner;

  /** Applies one change; its result is dropped when the provisioner was reset meanwhile. */
  async function apply(job: SyncJob | GroupJob, context: JobContext): Promise<void> {
    if ('kind' in job) return groupRunner.apply(job, context);
    const rule = st().rules.get(job.ruleId);
    if (!rule || !live(rule)) return;
    const store = st().stores.get(rule.targetStore.id) as PropagationStore;
    // A snapshot of the deviations: the attempt runs whole as it started if the lab view switches one meanwhile.
    const attempt = new SyncAttempt(
      { ...options, signal: context.signal, deviations: options.deviations.snapshot() },
      job,
      store.configuration as ScimStoreConfiguration,
      scope.flatFor(job.ruleId, job.user),
      status.record(job.ruleId, job.user.id)?.targetId,
    );
    const outcome = await attempt.run();
    if (!context.isCurrent()) return; // reset meanwhile: the result belongs to the old state
    const before = status.record(job.ruleId, job.user.id)?.targetId;
    status.save(job, outcome, attempt);
    if (status.record(job.ruleId, job.user.id)?.targetId !== before) groups.onUserSynced(job.ruleId, job.user.id);
    if (outcome.status === 'FAILED')
      options.logger.warn(`sync of ${job.user.username} (${job.trigger}) failed: ${outcome.details}`);
  }

  const triggers = createSyncTriggers({ state: st, scope, status, deviations, enqueue });
  const groups = createGroupTriggers({ state: st, scope, status, enqueueGroup });

  function reset(): void {
    queue.abortAll('provisioner reset');
    groupRunner.clear();
    status.clear();
    scope.clear();
  }

  return {
    ...withGroups(triggers, groups),
    onGroupChange: groups.onGroupChange,
    onMembershipChange: groups.onMembershipChange,
    groupRecord: status.groupRecord,
    groupRecords: status.groupRecords,
    summary: (rule) => status.summary(rule, live(rule)),
    live,
    waitIdle: queue.waitIdle,
    pending: queue.pending,
    record: status.record,
    records: status.records,
    recordsOfUser: status.recordsOfUser,
    reset,
    exportState: status.exportState,
    importState(saved) {
      reset();
      status.importState(saved);
    },
    close: queue.close,
  };
}

/** The user triggers and the group triggers, both told of every change (users first: their syncs come first). */
function withGroups(triggers: SyncTriggers, groups: GroupTriggers): SyncTriggers {
  return {
    onUserChange(before, after) {
      triggers.onUserChange(before, after);
      groups.onUserChange(before, after);
    },
    onRuleChange(before, after) {
      triggers.onRuleChange(before, after);
      groups.onRuleChange(before, after);
    },
    onStoreChange(before, after) {
      triggers.onStoreChange(before, after);
      groups.onStoreChange(before, after);
    },
    onPlanChange(before, after) {
      triggers.onPlanChange(before, after);
      groups.onPlanChange(before, after);
    },
    resync: (rule) => triggers.resync(rule) + groups.resync(rule),
  };
}
