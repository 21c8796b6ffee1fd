import type {
  Environment,
  Group,
  Population,
  PropagationMapping,
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  User,
} from './model';

/** Everything the management API holds, as plain data (exportable as JSON). */
export interface State {
  environment: Environment;
  populations: Map<string, Population>;
  users: Map<string, User>;
  /** Lower-cased username → user id: usernames are unique per environment, without regard to case. */
  usernames: Map<string, string>;
  stores: Map<string, PropagationStore>;
  /** Configuration keys PingOne documents that the mock stores but does not act on, per store. */
  storeExtras: Map<string, Record<string, unknown>>;
  plans: Map<string, PropagationPlan>;
  rules: Map<string, PropagationRule>;
  mappings: Map<string, PropagationMapping>;
  groups: Map<string, Group>;
  /** Group id → the ids of its direct members (S5 "Group Membership"). */
  members: Map<string, Set<string>>;
}

export function emptyState(environment: Environment): State {
  return {
    environment,
    populations: new Map(),
    users: new Map(),
    usernames: new Map(),
    stores: new Map(),
    storeExtras: new Map(),
    plans: new Map(),
    rules: new Map(),
    mappings: new Map(),
    groups: new Map(),
    members: new Map(),
  };
}
