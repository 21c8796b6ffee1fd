import { randomUUID } from 'node:crypto';
import type { Clock } from '../lab/types';
import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import type { PropagationMapping, PropagationPlan, PropagationRule, PropagationStore } from './model';
import { parseMapping, parseRule, parseStore, RECOMMENDED_GROUPS_PER_RULE, rulesUsing } from './propagation-input';
import type { State } from './state';
import { requiredString } from './store-configuration';
import type { Propagation } from './types';

// Identity propagation (S5): stores, plans, rules and mappings, with PingOne's names and shapes. Bodies are
// validated in propagation-input.ts, store configurations in store-configuration.ts; every change to a store,
// plan or rule is reported to the hooks (the provisioner) after it is applied.

export type { Propagation } from './types';
export { AUTH_KEYS, MASK, maskedConfiguration, parseScimConfiguration } from './store-configuration';

export interface PropagationHooks {
  onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void;
  onStoreChange(before: PropagationStore, after: PropagationStore): void;
  onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void;
}

/** What each part shares: the state, the time, the hooks and the lookups that answer 404. */
interface Parts {
  st: () => State;
  /** The most groups a rule may provision. */
  groupLimit: number;
  now: () => string;
  hooks: PropagationHooks;
  store(id: string): PropagationStore;
  plan(id: string): PropagationPlan;
  rule(id: string): PropagationRule;
  mapping(id: string): PropagationMapping;
  removeRule(id: string): void;
}

export function createPropagation(
  ref: { state: State },
  clock: Clock,
  hooks: PropagationHooks,
  groupLimit = RECOMMENDED_GROUPS_PER_RULE,
): Propagation {
  const st = () => ref.state;
  const found =
    <T>(map: () => Map<string, T>, what: string) =>
    (id: string): T => {
      const value = map().get(id);
      if (!value) throw p1Errors.notFound(what, id);
      return value;
    };
  const parts: Parts = {
    st,
    groupLimit,
    now: () => clock.now().toISOString(),
    hooks,
    store: found(() => st().stores, 'propagation store'),
    plan: found(() => st().plans, 'propagation plan'),
    rule: found(() => st().rules, 'propagation rule'),
    mapping: found(() => st().mappings, 'propagation mapping'),
    removeRule(id) {
      const current = parts.rule(id);
      for (const m of [...st().mappings.values()]) if (m.rule.id === id) st().mappings.delete(m.id);
      st().rules.delete(id);
      hooks.onRuleChange(structuredClone(current), undefined);
    },
  };
  return { stores: stores(parts), plans: plans(parts), rules: rules(parts), mappings: mappings(parts) };
}

function stores({ st, now, hooks, store }: Parts): Propagation['stores'] {
  return {
    list: () => [...st().stores.values()],
    get: store,
    extras: (id) => st().storeExtras.get(id) ?? {},
    create(body) {
      const input = parseStore(st(), body);
      const stamp = now();
      const created: PropagationStore = {
        id: randomUUID(),
        type: input.type,
        name: input.name,
        ...(input.description !== undefined && { description: input.description }),
        status: input.status,
        managed: input.managed,
        ...(input.parsed && { configuration: input.parsed.configuration }),
        createdAt: stamp,
        updatedAt: stamp,
      };
      st().stores.set(created.id, created);
      if (input.parsed) st().storeExtras.set(created.id, input.parsed.extras);
      return created;
    },
    replace(id, body) {
      const current = store(id);
      const input = parseStore(st(), body, current);
      const before = structuredClone(current);
      const next: PropagationStore = {
        ...current,
        name: input.name,
        status: input.status,
        managed: input.managed,
        ...(input.parsed && { configuration: input.parsed.configuration }),
        updatedAt: now(),
      };
      if (input.description === undefined) delete next.description;
      else next.description = input.description;
      st().stores.set(id, next);
      if (input.parsed) st().storeExtras.set(id, input.parsed.extras);
      hooks.onStoreChange(before, structuredClone(next));
      return next;
    },
    remove(id) {
      store(id);
      // S5: a store "must not be deleted when referred to by a rule instance".
      const users = rulesUsing(st(), id);
      if (users.length > 0) {
        throw p1Errors.invalidRequest(
          `The store is used by propagation rule(s) ${users.map((r) => r.id).join(', ')}; delete them first.`,
        );
      }
      st().stores.delete(id);
      st().storeExtras.delete(id);
    },
  };
}

function planStatus(value: unknown): 'ACTIVE' | 'INACTIVE' {
  if (value !== 'ACTIVE' && value !== 'INACTIVE')
    throw p1Errors.invalidValue('status', 'status must be ACTIVE or INACTIVE');
  return value;
}

function plans({ st, now, hooks, plan, removeRule }: Parts): Propagation['plans'] {
  return {
    list: () => [...st().plans.values()],
    get: plan,
    create(body) {
      if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
      const name = requiredString(body, 'name');
      // S5: "At this time, a customer can define one plan per environment."
      if (st().plans.size > 0)
        throw p1Errors.invalidRequest('An environment can have only one propagation plan.', 'name');
      const status = planStatus(body.status ?? 'INACTIVE');
      const stamp = now();
      const created: PropagationPlan = { id: randomUUID(), name, status, createdAt: stamp, updatedAt: stamp };
      st().plans.set(created.id, created);
      hooks.onPlanChange(undefined, structuredClone(created));
      return created;
    },
    replace(id, body) {
      const current = plan(id);
      if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
      const name = requiredString(body, 'name');
      const status = planStatus(body.status ?? current.status);
      const before = structuredClone(current);
      Object.assign(current, { name, status, updatedAt: now() });
      hooks.onPlanChange(before, structuredClone(current));
      return current;
    },
    remove(id) {
      const current = plan(id);
      // S5: "Deleting a plan instance must also delete all associated rule and mapping instances."
      for (const r of [...st().rules.values()]) if (r.plan.id === id) removeRule(r.id);
      st().plans.delete(id);
      hooks.onPlanChange(structuredClone(current), undefined);
    },
  };
}

function rules({ st, now, hooks, plan, rule, removeRule, groupLimit }: Parts): Propagation['rules'] {
  return {
    list: (planId) => [...st().rules.values()].filter((r) => planId === undefined || r.plan.id === planId),
    get: rule,
    create(planId, body) {
      plan(planId);
      const input = parseRule(st(), body, planId, groupLimit);
      const stamp = now();
      const created: PropagationRule = {
        id: randomUUID(),
        plan: input.plan,
        name: input.name,
        ...(input.description !== undefined && { description: input.description }),
        active: input.active,
        sourceStore: input.sourceStore,
        targetStore: input.targetStore,
        populationExpression: input.populationExpression,
        groups: input.groups,
        groupMembershipHandling: input.groupMembershipHandling,
        groupConflictAcknowledged: input.groupConflictAcknowledged,
        createdAt: stamp,
        updatedAt: stamp,
      };
      st().rules.set(created.id, created);
      hooks.onRuleChange(undefined, structuredClone(created));
      return created;
    },
    replace(id, body) {
      const current = rule(id);
      const input = parseRule(st(), body, current.plan.id, groupLimit, current);
      const before = structuredClone(current);
      const next: PropagationRule = { ...current, ...input, updatedAt: now() };
      if (input.description === undefined) delete next.description;
      st().rules.set(id, next);
      hooks.onRuleChange(before, structuredClone(next));
      return next;
    },
    remove: (id) => removeRule(id),
  };
}

function mappings({ st, now, rule, mapping }: Parts): Propagation['mappings'] {
  return {
    list(ruleId) {
      rule(ruleId);
      return [...st().mappings.values()].filter((m) => m.rule.id === ruleId);
    },
    get: mapping,
    create(ruleId, body) {
      rule(ruleId);
      const input = parseMapping(st(), body, ruleId);
      const stamp = now();
      const created: PropagationMapping = {
        id: randomUUID(),
        rule: { id: ruleId },
        sourceAttribute: input.sourceAttribute,
        targetAttribute: input.targetAttribute,
        attributeMappingType: 'userAttributeMapping',
        ...(input.errata.length > 0 && { errata: input.errata }),
        createdAt: stamp,
        updatedAt: stamp,
      };
      st().mappings.set(created.id, created);
      return created;
    },
    replace(id, body) {
      const current = mapping(id);
      const input = parseMapping(st(), body, current.rule.id, current);
      const next: PropagationMapping = {
        ...current,
        sourceAttribute: input.sourceAttribute,
        targetAttribute: input.targetAttribute,
        updatedAt: now(),
      };
      if (input.errata.length > 0) next.errata = input.errata;
      else delete next.errata;
      st().mappings.set(id, next);
      return next;
    },
    remove(id) {
      mapping(id);
      st().mappings.delete(id);
    },
  };
}
