import { randomUUID } from 'node:crypto';
import { isScimError } from '../scim/errors';
import { parseFilter } from '../scim/filter';
import type { Clock } from '../lab/types';
import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import { SCIM_TARGETS, SOURCE_ATTRIBUTES, TARGET_ALIASES } from './mapping';
import type {
  AuthenticationMethod,
  Erratum,
  PropagationMapping,
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  ScimStoreConfiguration,
} from './model';
import type { State } from './state';
import type { Propagation } from './types';

export type { Propagation } from './types';
import { compileUserFilter, populationsExpression } from './user-filter';

// Identity propagation (S5): stores, plans, rules and mappings, with PingOne's names and shapes.

export interface PropagationHooks {
  onRuleChange(before: PropagationRule | undefined, after: PropagationRule | undefined): void;
  onStoreChange(before: PropagationStore, after: PropagationStore): void;
  onPlanChange(before: PropagationPlan | undefined, after: PropagationPlan | undefined): void;
}

/** What the API shows instead of a secret; writing it back keeps the stored secret. */
export const MASK = '********';
const SECRET_KEYS = ['OAUTH_ACCESS_TOKEN', 'BASIC_AUTH_PASSWORD'] as const;
/** Keys PingOne documents for SCIM stores that the mock keeps but does not act on (groups, client credentials). */
const PASSIVE_KEYS = [
  'GROUPS_RESOURCE',
  'GROUP_MEMBERSHIP_HANDLING',
  'GROUP_NAME_SOURCE',
  'SCHEMA_EXTENSION_URNS',
  'OAUTH_CLIENT_ID',
  'OAUTH_CLIENT_SECRET',
  'OAUTH_TOKEN_REQUEST',
];
/** Deprecated spellings of the toggles (S5), read when the current key is absent. */
const DEPRECATED_TOGGLES: Record<string, 'CREATE_USERS' | 'UPDATE_USERS' | 'DISABLE_USERS'> = {
  createNewUsers: 'CREATE_USERS',
  updateNewUsers: 'UPDATE_USERS',
  disableNewUsers: 'DISABLE_USERS',
};
const KNOWN_KEYS = new Set<string>([
  'SCIM_URL',
  'SCIM_VERSION',
  'USERS_RESOURCE',
  'AUTHENTICATION_METHOD',
  'AUTHORIZATION_TYPE',
  'OAUTH_ACCESS_TOKEN',
  'BASIC_AUTH_USER',
  'BASIC_AUTH_PASSWORD',
  'USER_FILTER',
  'UNIQUE_USER_IDENTIFIER',
  'REMOVE_ACTION',
  'CREATE_USERS',
  'UPDATE_USERS',
  'DISABLE_USERS',
  ...PASSIVE_KEYS,
  ...Object.keys(DEPRECATED_TOGGLES),
]);
const METHODS: readonly AuthenticationMethod[] = ['None', 'Basic Authentication', 'OAuth 2 Bearer Token'];
/** Changing these is "Configure Authentication"; PingOne then runs a full resync (pingone p1_resync_configurations). */
export const AUTH_KEYS = [
  'SCIM_URL',
  'USERS_RESOURCE',
  'AUTHENTICATION_METHOD',
  'AUTHORIZATION_TYPE',
  'OAUTH_ACCESS_TOKEN',
  'BASIC_AUTH_USER',
  'BASIC_AUTH_PASSWORD',
] as const;

function requiredString(source: Record<string, unknown>, key: string, target = key): string {
  const value = source[key];
  if (value === undefined || value === null || value === '') throw p1Errors.required(target);
  if (typeof value !== 'string') throw p1Errors.invalidValue(target, `${target} must be a string`);
  return value;
}

function optionalBoolean(source: Record<string, unknown>, key: string, target: string): boolean | undefined {
  const value = source[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw p1Errors.invalidValue(target, `${target} must be true or false`);
  return value;
}

function optionalDescription(body: Record<string, unknown>): string | undefined {
  const d = body.description;
  if (d === undefined || d === null) return undefined;
  if (typeof d !== 'string') throw p1Errors.invalidValue('description', 'description must be a string');
  return d;
}

/** Validates a SCIM store's configuration; `current` supplies secrets written back as the mask. */
export function parseScimConfiguration(
  input: unknown,
  current?: ScimStoreConfiguration,
): { configuration: ScimStoreConfiguration; extras: Record<string, unknown> } {
  if (!isObject(input)) throw p1Errors.required('configuration');
  const c = (key: string) => `configuration.${key}`;
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) throw p1Errors.invalidValue(c(key), `unknown configuration key '${key}'`);
  }
  const secretOf = (key: (typeof SECRET_KEYS)[number]) =>
    input[key] === MASK ? current?.[key] : (input[key] as string | undefined);

  const scimUrl = requiredString(input, 'SCIM_URL', c('SCIM_URL'));
  let url: URL;
  try {
    url = new URL(scimUrl);
  } catch {
    throw p1Errors.invalidValue(c('SCIM_URL'), 'SCIM_URL must be an absolute URL, e.g. https://host/scim/v2');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw p1Errors.invalidValue(c('SCIM_URL'), 'SCIM_URL must use http or https');
  }
  const version = requiredString(input, 'SCIM_VERSION', c('SCIM_VERSION'));
  // behavior-notes §1 [DOC S7]: Code42 accepts SCIM 2.0 only; the mock provisioner speaks only 2.0.
  if (version !== '2.0')
    throw p1Errors.invalidValue(c('SCIM_VERSION'), 'SCIM_VERSION must be "2.0" (the only version this mock speaks)');
  const usersResource = requiredString(input, 'USERS_RESOURCE', c('USERS_RESOURCE'));
  if (!usersResource.startsWith('/')) {
    throw p1Errors.invalidValue(c('USERS_RESOURCE'), 'USERS_RESOURCE must start with "/", e.g. /Users');
  }
  const method = requiredString(input, 'AUTHENTICATION_METHOD', c('AUTHENTICATION_METHOD')) as AuthenticationMethod;
  if (!METHODS.includes(method)) {
    throw p1Errors.invalidValue(
      c('AUTHENTICATION_METHOD'),
      `AUTHENTICATION_METHOD must be one of ${METHODS.map((m) => `"${m}"`).join(', ')} (OAuth 2 Client Credentials is not supported by the mock)`,
    );
  }
  // [SEED step 5.6] the Auth Type Header; S5 marks it required. Defaults to the method's usual scheme when absent [INF].
  const authorizationType =
    input.AUTHORIZATION_TYPE === undefined
      ? method === 'Basic Authentication'
        ? 'Basic'
        : 'Bearer'
      : requiredString(input, 'AUTHORIZATION_TYPE', c('AUTHORIZATION_TYPE'));
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(authorizationType)) {
    throw p1Errors.invalidValue(
      c('AUTHORIZATION_TYPE'),
      'AUTHORIZATION_TYPE must be an HTTP auth scheme name such as Bearer',
    );
  }
  const configuration: ScimStoreConfiguration = {
    SCIM_URL: scimUrl,
    SCIM_VERSION: version,
    USERS_RESOURCE: usersResource,
    AUTHENTICATION_METHOD: method,
    AUTHORIZATION_TYPE: authorizationType,
    USER_FILTER: requiredString(input, 'USER_FILTER', c('USER_FILTER')),
    UNIQUE_USER_IDENTIFIER: requiredString(input, 'UNIQUE_USER_IDENTIFIER', c('UNIQUE_USER_IDENTIFIER')),
    REMOVE_ACTION: 'Disable',
    CREATE_USERS: true,
    UPDATE_USERS: true,
    DISABLE_USERS: true,
  };
  if (method === 'OAuth 2 Bearer Token') {
    const token = secretOf('OAUTH_ACCESS_TOKEN');
    if (!token) throw p1Errors.required(c('OAUTH_ACCESS_TOKEN'));
    if (typeof token !== 'string')
      throw p1Errors.invalidValue(c('OAUTH_ACCESS_TOKEN'), 'OAUTH_ACCESS_TOKEN must be a string');
    configuration.OAUTH_ACCESS_TOKEN = token;
  }
  if (method === 'Basic Authentication') {
    configuration.BASIC_AUTH_USER = requiredString(input, 'BASIC_AUTH_USER', c('BASIC_AUTH_USER'));
    const password = secretOf('BASIC_AUTH_PASSWORD');
    if (!password) throw p1Errors.required(c('BASIC_AUTH_PASSWORD'));
    if (typeof password !== 'string')
      throw p1Errors.invalidValue(c('BASIC_AUTH_PASSWORD'), 'BASIC_AUTH_PASSWORD must be a string');
    configuration.BASIC_AUTH_PASSWORD = password;
  }
  // behavior-notes §3: %s is replaced by the User Identifier value.
  if (!configuration.USER_FILTER.includes('%s')) {
    throw p1Errors.invalidValue(
      c('USER_FILTER'),
      'USER_FILTER must contain %s, where the identifier value goes, e.g. username Eq "%s"',
    );
  }
  try {
    parseFilter(configuration.USER_FILTER.split('%s').join('x'));
  } catch (error) {
    if (!isScimError(error)) throw error;
    throw p1Errors.invalidValue(c('USER_FILTER'), `USER_FILTER is not a valid SCIM filter: ${error.detail}`);
  }
  if (!Object.hasOwn(SCIM_TARGETS, configuration.UNIQUE_USER_IDENTIFIER)) {
    throw p1Errors.invalidValue(
      c('UNIQUE_USER_IDENTIFIER'),
      `UNIQUE_USER_IDENTIFIER must be a SCIM attribute such as userName (known: ${Object.keys(SCIM_TARGETS).join(', ')})`,
    );
  }
  if (input.REMOVE_ACTION !== undefined) {
    if (input.REMOVE_ACTION !== 'Disable' && input.REMOVE_ACTION !== 'Delete') {
      throw p1Errors.invalidValue(c('REMOVE_ACTION'), 'REMOVE_ACTION must be "Disable" or "Delete"');
    }
    configuration.REMOVE_ACTION = input.REMOVE_ACTION;
  }
  for (const [old, key] of Object.entries(DEPRECATED_TOGGLES)) {
    const value = optionalBoolean(input, key, c(key)) ?? optionalBoolean(input, old, c(old));
    if (value !== undefined) configuration[key] = value;
  }
  const extras: Record<string, unknown> = {};
  for (const key of PASSIVE_KEYS) if (input[key] !== undefined) extras[key] = input[key];
  return { configuration, extras };
}

export function createPropagation(ref: { state: State }, clock: Clock, hooks: PropagationHooks): Propagation {
  const now = () => clock.now().toISOString();
  const st = () => ref.state;

  function store(id: string): PropagationStore {
    const found = st().stores.get(id);
    if (!found) throw p1Errors.notFound('propagation store', id);
    return found;
  }
  function plan(id: string): PropagationPlan {
    const found = st().plans.get(id);
    if (!found) throw p1Errors.notFound('propagation plan', id);
    return found;
  }
  function rule(id: string): PropagationRule {
    const found = st().rules.get(id);
    if (!found) throw p1Errors.notFound('propagation rule', id);
    return found;
  }
  function mapping(id: string): PropagationMapping {
    const found = st().mappings.get(id);
    if (!found) throw p1Errors.notFound('propagation mapping', id);
    return found;
  }
  const rulesUsing = (storeId: string) =>
    [...st().rules.values()].filter((r) => r.sourceStore.id === storeId || r.targetStore.id === storeId);

  function parseStore(body: unknown, current?: PropagationStore) {
    if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
    const name = requiredString(body, 'name');
    for (const other of st().stores.values()) {
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
      rulesUsing(current.id).length > 0
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

  function parseRule(body: unknown, planId: string, current?: PropagationRule) {
    if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
    const name = requiredString(body, 'name');
    const storeRef = (key: 'sourceStore' | 'targetStore', type: 'directory' | 'scim') => {
      const value = body[key];
      if (!isObject(value) || typeof value.id !== 'string') throw p1Errors.required(`${key}.id`);
      const found = st().stores.get(value.id);
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
        if (!st().populations.has(p.id))
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
    };
  }

  function parseMapping(body: unknown, ruleId: string, current?: PropagationMapping) {
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
      // behavior-notes §4: a seed erratum is corrected and reported, not reproduced.
      errata.push(alias.erratum);
      targetAttribute = alias.name;
    }
    if (!Object.hasOwn(SCIM_TARGETS, targetAttribute)) {
      throw p1Errors.invalidValue(
        'targetAttribute',
        `unknown SCIM attribute '${targetAttribute}' (known: ${Object.keys(SCIM_TARGETS).join(', ')})`,
      );
    }
    for (const other of st().mappings.values()) {
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

  return {
    stores: {
      list: () => [...st().stores.values()],
      get: store,
      extras: (id: string) => st().storeExtras.get(id) ?? {},
      create(body: unknown): PropagationStore {
        const input = parseStore(body);
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
      replace(id: string, body: unknown): PropagationStore {
        const current = store(id);
        const input = parseStore(body, current);
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
      remove(id: string): void {
        store(id);
        // S5: a store "must not be deleted when referred to by a rule instance".
        const users = rulesUsing(id);
        if (users.length > 0) {
          throw p1Errors.invalidRequest(
            `The store is used by propagation rule(s) ${users.map((r) => r.id).join(', ')}; delete them first.`,
          );
        }
        st().stores.delete(id);
        st().storeExtras.delete(id);
      },
    },

    plans: {
      list: () => [...st().plans.values()],
      get: plan,
      create(body: unknown): PropagationPlan {
        if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
        const name = requiredString(body, 'name');
        // S5: "At this time, a customer can define one plan per environment."
        if (st().plans.size > 0)
          throw p1Errors.invalidRequest('An environment can have only one propagation plan.', 'name');
        const status = body.status ?? 'INACTIVE';
        if (status !== 'ACTIVE' && status !== 'INACTIVE')
          throw p1Errors.invalidValue('status', 'status must be ACTIVE or INACTIVE');
        const stamp = now();
        const created: PropagationPlan = { id: randomUUID(), name, status, createdAt: stamp, updatedAt: stamp };
        st().plans.set(created.id, created);
        hooks.onPlanChange(undefined, structuredClone(created));
        return created;
      },
      replace(id: string, body: unknown): PropagationPlan {
        const current = plan(id);
        if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
        const name = requiredString(body, 'name');
        const status = body.status ?? current.status;
        if (status !== 'ACTIVE' && status !== 'INACTIVE')
          throw p1Errors.invalidValue('status', 'status must be ACTIVE or INACTIVE');
        const before = structuredClone(current);
        Object.assign(current, { name, status, updatedAt: now() });
        hooks.onPlanChange(before, structuredClone(current));
        return current;
      },
      remove(id: string): void {
        const current = plan(id);
        // S5: "Deleting a plan instance must also delete all associated rule and mapping instances."
        for (const r of [...st().rules.values()]) if (r.plan.id === id) removeRule(r.id);
        st().plans.delete(id);
        hooks.onPlanChange(structuredClone(current), undefined);
      },
    },

    rules: {
      list: (planId?: string) => [...st().rules.values()].filter((r) => planId === undefined || r.plan.id === planId),
      get: rule,
      create(planId: string, body: unknown): PropagationRule {
        plan(planId);
        const input = parseRule(body, planId);
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
          createdAt: stamp,
          updatedAt: stamp,
        };
        st().rules.set(created.id, created);
        hooks.onRuleChange(undefined, structuredClone(created));
        return created;
      },
      replace(id: string, body: unknown): PropagationRule {
        const current = rule(id);
        const input = parseRule(body, current.plan.id, current);
        const before = structuredClone(current);
        const next: PropagationRule = { ...current, ...input, updatedAt: now() };
        if (input.description === undefined) delete next.description;
        st().rules.set(id, next);
        hooks.onRuleChange(before, structuredClone(next));
        return next;
      },
      remove: (id: string) => removeRule(id),
    },

    mappings: {
      list: (ruleId: string) => {
        rule(ruleId);
        return [...st().mappings.values()].filter((m) => m.rule.id === ruleId);
      },
      get: mapping,
      create(ruleId: string, body: unknown): PropagationMapping {
        rule(ruleId);
        const input = parseMapping(body, ruleId);
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
      replace(id: string, body: unknown): PropagationMapping {
        const current = mapping(id);
        const input = parseMapping(body, current.rule.id, current);
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
      remove(id: string): void {
        mapping(id);
        st().mappings.delete(id);
      },
    },
  };

  function removeRule(id: string): void {
    const current = rule(id);
    for (const m of [...st().mappings.values()]) if (m.rule.id === id) st().mappings.delete(m.id);
    st().rules.delete(id);
    hooks.onRuleChange(structuredClone(current), undefined);
  }
}

/** The API view of a store: secrets masked (PingOne never echoes them), passive keys merged back. */
export function maskedConfiguration(store: PropagationStore, extras: Record<string, unknown>) {
  if (!store.configuration) return undefined;
  const out: Record<string, unknown> = { ...store.configuration, ...extras };
  for (const key of SECRET_KEYS) if (out[key] !== undefined) out[key] = MASK;
  if (out.OAUTH_CLIENT_SECRET !== undefined) out.OAUTH_CLIENT_SECRET = MASK;
  return out;
}
