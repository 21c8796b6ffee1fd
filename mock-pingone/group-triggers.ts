import type { Group, GroupSyncTrigger, PropagationPlan, PropagationRule, PropagationStore, User } from './model';
import type { RuleScope } from './rule-scope';
import type { State } from './state';
import type { SyncStatus } from './sync-status';

// Which group syncs the provisioner queues when groups, memberships, users or rules change (PINGONE-GROUP-PROVISIONING).
// A group sync reconciles the whole group, so one queued sync covers any number of changes made before it runs.

export interface GroupTriggerContext {
  state: () => State;
  scope: RuleScope;
  status: SyncStatus;
  enqueueGroup(rule: PropagationRule, groupId: string, trigger: GroupSyncTrigger, name: string): void;
}

export interface GroupTriggers {
  onGroupChange(before: Group | undefined, after: Group | undefined): void;
  onMembershipChange(groupId: string, userId: string): void;
  onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void;
  onUserChange(before: User | undefined, after: User | undefined): void;
  /** A user sync learnt or lost the user's target id: its groups can now list it (users before memberships). */
  onUserSynced(ruleId: string, userId: string): void;
  /** Queues every group the rule provisions; returns how many. */
  resync(rule: PropagationRule): number;
  /** A store or plan that starts provisioning again: its rules' groups are synced, as their users are. */
  onStoreChange(before: PropagationStore, after: PropagationStore): void;
  onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void;
}

export function createGroupTriggers(context: GroupTriggerContext): GroupTriggers {
  const { scope, status, enqueueGroup } = context;
  const st = context.state;
  const liveRules = () => [...st().rules.values()].filter((r) => scope.live(r));
  const selects = (rule: PropagationRule, groupId: string) => rule.groups.some((g) => g.id === groupId);

  function sync(rule: PropagationRule, groupId: string): void {
    const group = st().groups.get(groupId);
    if (group) enqueueGroup(rule, groupId, 'sync', group.name);
  }

  function userGroups(rule: PropagationRule, userId: string): void {
    for (const [groupId, members] of st().members)
      if (members.has(userId) && selects(rule, groupId)) sync(rule, groupId);
  }

  function resync(rule: PropagationRule): number {
    for (const g of rule.groups) sync(rule, g.id);
    return rule.groups.length;
  }

  function onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void {
    if (!after || !scope.live(after)) return;
    if (!before || !scope.live(before) || before.populationExpression !== after.populationExpression) {
      resync(after);
    } else {
      const acknowledged =
        before.groupConflictAcknowledged !== after.groupConflictAcknowledged ||
        before.groupMembershipHandling !== after.groupMembershipHandling;
      for (const g of after.groups) {
        const failed = status.groupRecord(after.id, g.id)?.status === 'FAILED';
        if (!selects(before, g.id) || (acknowledged && failed)) sync(after, g.id);
      }
    }
    for (const g of before?.groups ?? []) {
      const record = status.groupRecord(after.id, g.id);
      if (!selects(after, g.id) && record?.targetId !== undefined) enqueueGroup(after, g.id, 'remove', record.name);
    }
  }

  return {
    onGroupChange(before, after) {
      for (const rule of liveRules()) {
        const record = before && status.groupRecord(rule.id, before.id);
        // Deleted in PingOne: a group the rule provisioned is deleted at the target.
        if (!after && before && record?.targetId !== undefined) enqueueGroup(rule, before.id, 'delete', before.name);
        if (after && before && before.name !== after.name && selects(rule, after.id)) sync(rule, after.id);
      }
    },
    onMembershipChange(groupId) {
      for (const rule of liveRules()) if (selects(rule, groupId)) sync(rule, groupId);
    },
    onRuleChange,
    onUserChange(before, after) {
      const id = (after ?? before)?.id;
      if (id === undefined) return;
      for (const rule of liveRules()) {
        const was = before !== undefined && scope.inScope(rule, before);
        const is = after !== undefined && scope.inScope(rule, after);
        if (was !== is) userGroups(rule, id);
      }
    },
    onUserSynced(ruleId, userId) {
      const rule = st().rules.get(ruleId);
      if (rule && scope.live(rule)) userGroups(rule, userId);
    },
    resync,
    onStoreChange(before, after) {
      if (before.status === 'ACTIVE' || after.status !== 'ACTIVE') return;
      for (const rule of liveRules()) if (rule.targetStore.id === after.id) resync(rule);
    },
    onPlanChange(before, after) {
      if (after?.status !== 'ACTIVE' || before?.status === 'ACTIVE') return;
      for (const rule of liveRules()) if (rule.plan.id === after.id) resync(rule);
    },
  };
}
