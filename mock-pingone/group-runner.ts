import type { GroupSyncTrigger, PropagationRule, PropagationStore, ScimStoreConfiguration } from './model';
import type { JobContext, JobQueue } from './job-queue';
import { GroupSyncAttempt } from './group-sync';
import type { GroupDesired, GroupJob } from './group-sync';
import { asProfile } from './provisioner-wire';
import type { ProvisionerOptions } from './provisioner';
import type { RuleScope } from './rule-scope';
import type { State } from './state';
import type { SyncJob } from './sync-attempt';
import type { SyncStatus } from './sync-status';

// The group side of the provisioner (PINGONE-GROUP-PROVISIONING): queues group syncs on the provisioner's queue (one
// key per rule and group, so one group's changes apply in order), works out what each group should hold at the
// target, and runs one GroupSyncAttempt per job.

export interface GroupRunnerContext {
  st: () => State;
  scope: RuleScope;
  status: SyncStatus;
  options: ProvisionerOptions;
  queue: JobQueue<SyncJob | GroupJob>;
}

export interface GroupRunner {
  enqueueGroup(rule: PropagationRule, groupId: string, trigger: GroupSyncTrigger, name: string): void;
  apply(job: GroupJob, context: JobContext): Promise<void>;
  /** Forgets the queued syncs (provisioner reset). */
  clear(): void;
}

export function createGroupRunner({ st, scope, status, options, queue }: GroupRunnerContext): GroupRunner {
  /** Group syncs queued and not started: a later change is covered by the queued sync (it reconciles the group). */
  const queuedGroups = new Set<string>();

  function enqueueGroup(rule: PropagationRule, groupId: string, trigger: GroupSyncTrigger, name: string): void {
    const key = `${rule.id}:group:${groupId}`;
    if (trigger === 'sync' && queuedGroups.has(key)) return;
    if (trigger === 'sync') queuedGroups.add(key);
    queue.enqueue(key, { kind: 'group', ruleId: rule.id, groupId, trigger, name });
  }

  /** The group's wanted state under the rule: its members in scope, by target id once their user is there. */
  function desiredGroup(rule: PropagationRule, job: GroupJob): GroupDesired {
    const members: string[] = [];
    const waiting: string[] = [];
    for (const userId of st().members.get(job.groupId) ?? []) {
      const user = st().users.get(userId);
      if (!user || !scope.inScope(rule, user)) continue;
      const targetId = status.record(rule.id, userId)?.targetId;
      if (targetId !== undefined) members.push(targetId);
      else waiting.push(userId);
    }
    return { name: st().groups.get(job.groupId)?.name ?? job.name, members, waiting };
  }

  async function apply(job: GroupJob, context: JobContext): Promise<void> {
    queuedGroups.delete(`${job.ruleId}:group:${job.groupId}`);
    const rule = st().rules.get(job.ruleId);
    if (!rule || !scope.live(rule)) return;
    // A group taken off the rule or deleted meanwhile is not synced: its removal is queued behind this job.
    if (job.trigger === 'sync' && !(st().groups.has(job.groupId) && rule.groups.some((g) => g.id === job.groupId)))
      return;
    const store = st().stores.get(rule.targetStore.id) as PropagationStore;
    const desired = desiredGroup(rule, job);
    const groupsResource = String(st().storeExtras.get(store.id)?.GROUPS_RESOURCE ?? '/Groups');
    const attempt = new GroupSyncAttempt(
      { ...options, signal: context.signal, deviations: options.deviations.snapshot() },
      job,
      asProfile(store.configuration as ScimStoreConfiguration),
      rule,
      desired,
      status.groupRecord(job.ruleId, job.groupId),
      groupsResource,
    );
    const outcome = await attempt.run();
    if (!context.isCurrent()) return;
    status.saveGroup({ ...job, name: desired.name }, outcome, desired.waiting.length, attempt.calls);
    if (outcome.status === 'FAILED') options.logger.warn(`sync of group ${desired.name} failed: ${outcome.details}`);
  }

  return { enqueueGroup, apply, clear: () => queuedGroups.clear() };
}
