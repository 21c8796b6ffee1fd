import type { Deviations } from './deviations';
import { mapUser } from './attribute-mapping';
import type { FlatUser } from './attribute-mapping';
import type { PropagationRule, User } from './model';
import type { State } from './state';
import { compileUserFilter } from './user-filter';
import type { UserPredicate } from './user-filter';

// Which users a rule provisions, whether it provisions at all, and the values it sends (S5 Rules).

export interface RuleScope {
  /** The user matches the rule's population expression. */
  inScope(rule: PropagationRule, user: User): boolean;
  /** A rule provisions when it is active, its plan is ACTIVE and its target is an ACTIVE scim store (S5). */
  live(rule: PropagationRule): boolean;
  /** The target attributes the rule sends for this user. */
  flatFor(ruleId: string, user: User): FlatUser;
  /** Forgets the compiled population expressions. */
  clear(): void;
}

export function createRuleScope(state: () => State, deviations: Deviations): RuleScope {
  const predicates = new Map<string, UserPredicate>();
  const dropped = new Set(deviations.values('drop-attribute'));

  // S5: the API does not add the console's default mappings to a rule it creates; a rule sends what is mapped, and a
  // rule without mappings sends nothing (its syncs fail for want of the User Identifier). The seeded rule has its own.
  const mappingsOf = (ruleId: string) => [...state().mappings.values()].filter((m) => m.rule.id === ruleId);

  return {
    inScope(rule, user) {
      let predicate = predicates.get(rule.populationExpression);
      if (!predicate) {
        predicate = compileUserFilter(rule.populationExpression, 'populationExpression');
        predicates.set(rule.populationExpression, predicate);
      }
      return predicate(user);
    },
    live(rule) {
      const plan = state().plans.get(rule.plan.id);
      const store = state().stores.get(rule.targetStore.id);
      return (
        rule.active &&
        plan?.status === 'ACTIVE' &&
        store?.type === 'scim' &&
        store.status === 'ACTIVE' &&
        !!store.configuration
      );
    },
    flatFor(ruleId, user) {
      const flat = mapUser(user, mappingsOf(ruleId));
      for (const name of dropped) delete flat[name];
      return flat;
    },
    clear: () => predicates.clear(),
  };
}
