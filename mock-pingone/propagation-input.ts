import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import { SCIM_TARGETS, SOURCE_ATTRIBUTES, TARGET_ALIASES } from './attribute-mapping';
import type { Erratum, GroupMembershipHandling, PropagationMapping, PropagationRule, PropagationStore } from './model';
import type { State } from './state';
import { optionalBoolean, optionalDescription, parseScimConfiguration, requiredString } from './store-configuration';
import { compileUserFilter, populationsExpression } from './user-filter';

// The request bodies of identity propagation (S5), validated against the current state. Errors name the field.

/** The rules that use a store, as source or target. */
export const rulesUsing = (state: State, storeId: string) =>
  [...state.rules.values()].filter((r) => r.sourceStore.id === storeId || r.targetStore.id === storeId);

export function parseStore(state: State, body: unknown, current?: PropagationStore) {
  if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
  const name = requiredString(body, 'name');
  for (const other of state.stores.values()) {
    if (other.id !== current?.id && other.name.toLowerCase() === name.toLowerCase()) {
      throw p1Errors.uniqueness('name', `a propagation store named '${name}' already exists`);
    }
  }
  const type = String(requiredString(body, 'type')).toLowerCase();
  if (type !== 'scim' && type !== 'directory') {
    throw p1Errors.invalidValue('type', `type '${String(body.type)}' is not supported by the mock (scim, directory)`);
  }
  if (current && current.type !== type) throw p1Errors.invalidValue('type', 'the type of a store cannot be changed');
  const status = body.status ?? 'ACTIVE';
  if (status !== 'ACTIVE' && status !== 'INACTIVE')
    throw p1Errors.invalidValue('status', 'status must be ACTIVE or INACTIVE');
  const managed = optionalBoolean(body, 'managed', 'managed') ?? false;
  const parsed = type === 'scim' ? parseScimConfiguration(body.configuration, current?.configuration) : undefined;
  // [DOC S3] "The User Identifier cannot be changed once a connection exists."
  if (
    current?.configuration &&
    parsed &&
    parsed.configuration.UNIQUE_USER_IDENTIFIER !== current.configuration.UNIQUE_USER_IDENTIFIER &&
    rulesUsing(state, current.id).length > 0
  ) {
    throw p1Errors.invalidRequest(
      'The User Identifier cannot be changed once a provisioning rule uses the store.',
      'configuration.UNIQUE_USER_IDENTIFIER',
    );
  }
  return {
    name,
    type: type as 'scim' | 'directory',
    status: status as 'ACTIVE' | 'INACTIVE',
    managed,
    parsed,
    description: optionalDescription(body),
  };
}

export function parseRule(state: State, body: unknown, planId: string, groupLimit: number, current?: PropagationRule) {
  if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
  const name = requiredString(body, 'name');
  const storeRef = (key: 'sourceStore' | 'targetStore', type: 'directory' | 'scim') => {
    const value = body[key];
    if (!isObject(value) || typeof value.id !== 'string') throw p1Errors.required(`${key}.id`);
    const found = state.stores.get(value.id);
    if (!found) throw p1Errors.invalidValue(`${key}.id`, `propagation store '${value.id}' does not exist`);
    if (found.type !== type) throw p1Errors.invalidValue(`${key}.id`, `${key} must be a store of type ${type}`);
    return { id: found.id };
  };
  const sourceStore = storeRef('sourceStore', 'directory');
  const targetStore = storeRef('targetStore', 'scim');
  let expression: string;
  if (body.populationExpression !== undefined && body.populationExpression !== null) {
    expression = requiredString(body, 'populationExpression');
    compileUserFilter(expression, 'populationExpression');
  } else if (Array.isArray(body.populations)) {
    // S5: `populations[].id` is the deprecated way to choose populations.
    const ids = body.populations.map((p, i) => {
      if (!isObject(p) || typeof p.id !== 'string')
        throw p1Errors.invalidValue(`populations[${i}].id`, 'must be a population id');
      if (!state.populations.has(p.id))
        throw p1Errors.invalidValue(`populations[${i}].id`, `population '${p.id}' does not exist`);
      return p.id;
    });
    if (ids.length === 0) throw p1Errors.required('populationExpression');
    expression = populationsExpression(ids);
  } else {
    throw p1Errors.required('populationExpression');
  }
  const active = optionalBoolean(body, 'active', 'active') ?? current?.active ?? false;
  return {
    name,
    description: optionalDescription(body),
    sourceStore,
    targetStore,
    populationExpression: expression,
    active,
    plan: { id: planId },
    ...parseRuleGroups(state, body, groupLimit, current),
  };
}

/** The recommended limit of groups per rule (PINGONE-GROUP-PROVISIONING); the mock refuses more [INF]. */
export const RECOMMENDED_GROUPS_PER_RULE = 1000;

/**
 * A rule's group provisioning: `groups[].id` (S5), internal groups only, at most `limit`; and the merge or overwrite
 * acknowledgement [INF names]. Omitted on a PUT, each keeps its current value.
 */
function parseRuleGroups(state: State, body: Record<string, unknown>, limit: number, current?: PropagationRule) {
  let groups = current?.groups ?? [];
  if (body.groups !== undefined && body.groups !== null) {
    if (!Array.isArray(body.groups)) throw p1Errors.invalidValue('groups', 'groups must be an array of {"id": …}');
    const seen = new Set<string>();
    groups = body.groups.map((g, i) => {
      if (!isObject(g) || typeof g.id !== 'string')
        throw p1Errors.invalidValue(`groups[${i}].id`, 'must be a group id');
      const group = state.groups.get(g.id);
      if (!group) throw p1Errors.invalidValue(`groups[${i}].id`, `group '${g.id}' does not exist`);
      if (group.sourceType !== 'INTERNAL') {
        throw p1Errors.invalidValue(
          `groups[${i}].id`,
          `group '${group.name}' is external: only internal groups are provisioned`,
        );
      }
      if (seen.has(g.id)) throw p1Errors.invalidValue(`groups[${i}].id`, `group '${g.id}' is listed twice`);
      seen.add(g.id);
      return { id: g.id };
    });
    if (groups.length > limit) {
      throw p1Errors.invalidValue(
        'groups',
        `a rule provisions at most ${limit} groups (the recommended limit); ${groups.length} were given`,
      );
    }
  }
  const handling = body.groupMembershipHandling ?? current?.groupMembershipHandling ?? 'MERGE';
  if (handling !== 'MERGE' && handling !== 'OVERWRITE') {
    throw p1Errors.invalidValue('groupMembershipHandling', 'groupMembershipHandling must be MERGE or OVERWRITE');
  }
  const acknowledged =
    optionalBoolean(body, 'groupConflictAcknowledged', 'groupConflictAcknowledged') ??
    current?.groupConflictAcknowledged ??
    false;
  return {
    groups,
    groupMembershipHandling: handling as GroupMembershipHandling,
    groupConflictAcknowledged: acknowledged,
  };
}

export function parseMapping(state: State, body: unknown, ruleId: string, current?: PropagationMapping) {
  if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
  if (body.expression !== undefined) {
    throw p1Errors.invalidValue(
      'expression',
      'PingOne Expression Language mappings are not supported by the mock; use sourceAttribute',
    );
  }
  const sourceAttribute = requiredString(body, 'sourceAttribute');
  if (!(SOURCE_ATTRIBUTES as readonly string[]).includes(sourceAttribute)) {
    throw p1Errors.invalidValue(
      'sourceAttribute',
      `unknown PingOne attribute '${sourceAttribute}' (known: ${SOURCE_ATTRIBUTES.join(', ')})`,
    );
  }
  let targetAttribute = requiredString(body, 'targetAttribute');
  const errata: Erratum[] = [];
  const alias = TARGET_ALIASES[targetAttribute];
  if (alias) {
    // A seed erratum is corrected and reported, not reproduced.
    errata.push(alias.erratum);
    targetAttribute = alias.name;
  }
  if (!Object.hasOwn(SCIM_TARGETS, targetAttribute)) {
    throw p1Errors.invalidValue(
      'targetAttribute',
      `unknown SCIM attribute '${targetAttribute}' (known: ${Object.keys(SCIM_TARGETS).join(', ')})`,
    );
  }
  for (const other of state.mappings.values()) {
    if (other.rule.id === ruleId && other.id !== current?.id && other.targetAttribute === targetAttribute) {
      throw p1Errors.uniqueness('targetAttribute', `the rule already maps a value to '${targetAttribute}'`);
    }
  }
  const type = body.attributeMappingType ?? 'userAttributeMapping';
  if (type !== 'userAttributeMapping') {
    throw p1Errors.invalidValue(
      'attributeMappingType',
      'attributeMappingType must be userAttributeMapping (groups are not supported by the mock)',
    );
  }
  return { sourceAttribute, targetAttribute, errata };
}
