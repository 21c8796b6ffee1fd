import type { Deviations } from './deviations';
import type { PropagationPlan, PropagationRule, PropagationStore, SyncTrigger, User } from './model';
import { AUTH_KEYS } from './store-configuration';
import type { RuleScope } from './rule-scope';
import type { State } from './state';
import type { SyncStatus } from './sync-status';
import type { Provisioner } from './types';

// Which changes the provisioner queues when a user or the propagation configuration changes (PING-SCIM-PROVISIONER in docs/sources.md).

export interface TriggerContext {
  state: () => State;
  scope: RuleScope;
  status: SyncStatus;
  deviations: Deviations;
  enqueue(rule: PropagationRule, user: User, trigger: SyncTrigger, attrsChanged?: boolean): void;
}

export type SyncTriggers = Pick<
  Provisioner,
  'onUserChange' | 'onRuleChange' | 'onStoreChange' | 'onPlanChange' | 'resync'
>;

export function createSyncTriggers(context: TriggerContext): SyncTriggers {
  const { scope, status, deviations, enqueue } = context;
  const st = context.state;
  const { inScope, live } = scope;

  function onUserChange(before: User | undefined, after: User | undefined): void {
    for (const rule of st().rules.values()) {
      if (!live(rule)) continue; // S5: inactive rules propagate nothing.
      const was = before !== undefined && inScope(rule, before);
      const is = after !== undefined && inScope(rule, after);
      if (is && after) {
        const attrsChanged =
          !before || JSON.stringify(scope.flatFor(rule.id, before)) !== JSON.stringify(scope.flatFor(rule.id, after));
        let trigger: SyncTrigger = 'update';
        if (!was) trigger = 'create';
        else if (before && before.enabled !== after.enabled) trigger = after.enabled ? 'enable' : 'disable';
        else if (!attrsChanged) continue; // nothing the target would see changed
        enqueue(rule, after, trigger, attrsChanged);
      } else if (was && before) {
        // [DOC S2, S3]: deleted, left the population, or no longer matching → Remove Action.
        enqueue(rule, before, 'remove');
      }
    }
  }

  function resync(rule: PropagationRule): number {
    let n = 0;
    for (const user of st().users.values()) {
      // Deviation resync-changed-only: users whose last sync succeeded are skipped.
      if (deviations.has('resync-changed-only') && status.record(rule.id, user.id)?.status === 'SUCCESS') continue;
      if (inScope(rule, user)) {
        enqueue(rule, user, 'resync', true);
        n++;
      }
    }
    return n;
  }

  function onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void {
    if (!after) {
      if (before) status.forgetRule(before.id);
      return;
    }
    // [INF] Turning a connection on provisions the users already in scope (as PingOne's initial sync does).
    if (live(after) && !(before && live(before))) {
      resync(after);
      return;
    }
    if (live(after) && before && before.populationExpression !== after.populationExpression) {
      for (const user of st().users.values()) {
        const was = inScope(before, user);
        const is = inScope(after, user);
        if (is && !was) enqueue(after, user, 'create', true);
        if (was && !is) enqueue(after, user, 'remove');
      }
    }
  }

  function onStoreChange(before: PropagationStore, after: PropagationStore): void {
    const authChanged = AUTH_KEYS.some((k) => before.configuration?.[k] !== after.configuration?.[k]);
    const reactivated = before.status !== 'ACTIVE' && after.status === 'ACTIVE';
    if (!authChanged && !reactivated) return;
    // pingone p1_resync_configurations: changing "Configure Authentication" triggers a full resync.
    for (const rule of st().rules.values()) if (rule.targetStore.id === after.id && live(rule)) resync(rule);
  }

  function onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void {
    if (after?.status !== 'ACTIVE' || before?.status === 'ACTIVE') return;
    for (const rule of st().rules.values()) if (rule.plan.id === after.id && live(rule)) resync(rule);
  }

  return { onUserChange, onRuleChange, onStoreChange, onPlanChange, resync };
}
