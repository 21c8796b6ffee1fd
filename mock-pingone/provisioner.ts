import type { Clock } from '../lab/types';
import type { Deviations } from './deviations';
import type { PropagationRule, PropagationStore, ScimStoreConfiguration, SyncTrigger, User } from './model';
import type { Logger } from './options';
import { createJobQueue } from './job-queue';
import type { JobContext } from './job-queue';
import { createRuleScope } from './rule-scope';
import type { State } from './state';
import { SyncAttempt } from './sync-attempt';
import { createSyncTriggers } from './sync-triggers';
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
  const queue = createJobQueue<SyncJob>({
    concurrency: options.concurrency,
    run: apply,
    onError: (error) => options.logger.error(`provisioner: ${(error as Error).message}`),
  });
  const { live } = scope;

  function enqueue(rule: PropagationRule, user: User, trigger: SyncTrigger, attrsChanged = false): void {
    queue.enqueue(`${rule.id}:${user.id}`, { ruleId: rule.id, user: structuredClone(user), trigger, attrsChanged });
  }

  /** Applies one change; its result is dropped when the provisioner was reset meanwhile. */
  async function apply(job: SyncJob, context: JobContext): Promise<void> {
    const rule = st().rules.get(job.ruleId);
    if (!rule || !live(rule)) return;
    const store = st().stores.get(rule.targetStore.id) as PropagationStore;
    const attempt = new SyncAttempt(
      { ...options, signal: context.signal },
      job,
      store.configuration as ScimStoreConfiguration,
      scope.flatFor(job.ruleId, job.user),
      status.record(job.ruleId, job.user.id)?.targetId,
    );
    const outcome = await attempt.run();
    if (!context.isCurrent()) return; // reset meanwhile: the result belongs to the old state
    status.save(job, outcome, attempt);
    if (outcome.status === 'FAILED')
      options.logger.warn(`sync of ${job.user.username} (${job.trigger}) failed: ${outcome.details}`);
  }

  const triggers = createSyncTriggers({ state: st, scope, status, deviations, enqueue });

  function reset(): void {
    queue.abortAll('provisioner reset');
    status.clear();
    scope.clear();
  }

  return {
    ...triggers,
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
