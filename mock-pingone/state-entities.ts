import { PROFILE_NAMES } from '../fixtures/profiles';
import { scimErrors } from '../scim/errors';
import { AUTHENTICATION_METHODS } from './store-configuration';
import type {
  Group,
  Population,
  PropagationMapping,
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  ScimStoreConfiguration,
} from './model';

// The entities of a saved state document, checked field by field before they are trusted (admin PUT /state,
// `--state FILE`). Errors name the field, e.g. `state: 'rules[0].plan.id' must be a string`. Fields the mock
// does not know are kept as they are, so a document survives an import and export unchanged.

type Json = Record<string, unknown>;

export const badState = (detail: string) => scimErrors.invalidValue(`state: ${detail}`);
export const isJsonObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, where: string): Json {
  if (!isJsonObject(value)) throw badState(`'${where}' must be an object`);
  return value;
}

function text(o: Json, name: string, where: string): string {
  if (typeof o[name] !== 'string') throw badState(`'${where}.${name}' must be a string`);
  return o[name] as string;
}

function optionalText(o: Json, name: string, where: string): void {
  if (o[name] !== undefined) text(o, name, where);
}

function flag(o: Json, name: string, where: string): boolean {
  if (typeof o[name] !== 'boolean') throw badState(`'${where}.${name}' must be true or false`);
  return o[name] as boolean;
}

export function oneOf<T extends string>(o: Json, name: string, where: string, allowed: readonly T[]): T {
  if (!allowed.includes(o[name] as T)) throw badState(`'${where}.${name}' must be one of ${allowed.join(', ')}`);
  return o[name] as T;
}

/** `{id: string}`, a reference to another entity. */
function ref(o: Json, name: string, where: string): void {
  text(object(o[name], `${where}.${name}`), 'id', `${where}.${name}`);
}

function stamped(o: Json, where: string): void {
  text(o, 'id', where);
  text(o, 'createdAt', where);
  text(o, 'updatedAt', where);
}

const STATUSES = ['ACTIVE', 'INACTIVE'] as const;

export function populationOf(value: unknown, where: string): Population {
  const o = object(value, where);
  stamped(o, where);
  text(o, 'name', where);
  optionalText(o, 'description', where);
  flag(o, 'default', where);
  return o as unknown as Population;
}

/** A store as saved: the entity plus its `extras` (configuration keys kept but not acted on). */
export function storeOf(value: unknown, where: string): { store: PropagationStore; extras: Json } {
  const { extras = {}, ...o } = object(value, where);
  stamped(o, where);
  text(o, 'name', where);
  optionalText(o, 'description', where);
  oneOf(o, 'type', where, ['scim', 'directory']);
  oneOf(o, 'status', where, STATUSES);
  flag(o, 'managed', where);
  if (o.configuration !== undefined) configurationOf(o.configuration, `${where}.configuration`);
  return { store: o as unknown as PropagationStore, extras: object(extras, `${where}.extras`) };
}

const OPTIONAL_TEXT_KEYS = [
  'OAUTH_ACCESS_TOKEN',
  'BASIC_AUTH_USER',
  'BASIC_AUTH_PASSWORD',
  'OAUTH_TOKEN_REQUEST',
  'OAUTH_CLIENT_ID',
  'OAUTH_CLIENT_SECRET',
  'CUSTOM_HEADER',
];

function configurationOf(value: unknown, where: string): ScimStoreConfiguration {
  const o = object(value, where);
  for (const name of ['SCIM_URL', 'SCIM_VERSION', 'USERS_RESOURCE', 'AUTHORIZATION_TYPE', 'USER_FILTER'])
    text(o, name, where);
  text(o, 'UNIQUE_USER_IDENTIFIER', where);
  oneOf(o, 'AUTHENTICATION_METHOD', where, [...AUTHENTICATION_METHODS]);
  oneOf(o, 'REMOVE_ACTION', where, ['Disable', 'Delete']);
  // States saved before issue 16 lack these two: their stores behaved as the defaults.
  o.UPDATE_METHOD ??= 'PUT';
  o.PROVISION_DISABLED_USERS ??= false;
  oneOf(o, 'UPDATE_METHOD', where, ['PUT', 'PATCH']);
  for (const name of ['CREATE_USERS', 'UPDATE_USERS', 'DISABLE_USERS', 'PROVISION_DISABLED_USERS'])
    flag(o, name, where);
  for (const name of OPTIONAL_TEXT_KEYS) optionalText(o, name, where);
  if (o.PROVISIONER_PROFILE !== undefined) oneOf(o, 'PROVISIONER_PROFILE', where, PROFILE_NAMES);
  if (o.GROUP_UPDATE_METHOD !== undefined) oneOf(o, 'GROUP_UPDATE_METHOD', where, ['PATCH', 'PUT']);
  if (o.GROUP_REMOVE_ACTION !== undefined) oneOf(o, 'GROUP_REMOVE_ACTION', where, ['Delete', 'Keep']);
  if (o.OAUTH_CLIENT_AUTH_METHOD !== undefined)
    oneOf(o, 'OAUTH_CLIENT_AUTH_METHOD', where, ['client_secret_basic', 'client_secret_post']);
  return o as unknown as ScimStoreConfiguration;
}

export function planOf(value: unknown, where: string): PropagationPlan {
  const o = object(value, where);
  stamped(o, where);
  text(o, 'name', where);
  oneOf(o, 'status', where, STATUSES);
  return o as unknown as PropagationPlan;
}

export function ruleOf(value: unknown, where: string): PropagationRule {
  const o = object(value, where);
  stamped(o, where);
  text(o, 'name', where);
  optionalText(o, 'description', where);
  flag(o, 'active', where);
  ref(o, 'plan', where);
  ref(o, 'sourceStore', where);
  ref(o, 'targetStore', where);
  text(o, 'populationExpression', where);
  // States saved before issue 15 have no group provisioning: no groups selected, nothing acknowledged.
  o.groups ??= [];
  o.groupMembershipHandling ??= 'MERGE';
  o.groupConflictAcknowledged ??= false;
  if (!Array.isArray(o.groups)) throw badState(`'${where}.groups' must be an array`);
  o.groups.forEach((_, i) => ref(o.groups as unknown as Json, String(i), `${where}.groups`));
  oneOf(o, 'groupMembershipHandling', where, ['MERGE', 'OVERWRITE']);
  flag(o, 'groupConflictAcknowledged', where);
  return o as unknown as PropagationRule;
}

export function groupOf(value: unknown, where: string): Group {
  const o = object(value, where);
  stamped(o, where);
  text(o, 'name', where);
  optionalText(o, 'description', where);
  optionalText(o, 'externalId', where);
  if (o.population !== undefined) ref(o, 'population', where);
  o.sourceType ??= 'INTERNAL';
  oneOf(o, 'sourceType', where, ['INTERNAL', 'EXTERNAL']);
  if (o.customData !== undefined) object(o.customData, `${where}.customData`);
  return o as unknown as Group;
}

export function mappingOf(value: unknown, where: string): PropagationMapping {
  const o = object(value, where);
  stamped(o, where);
  ref(o, 'rule', where);
  text(o, 'sourceAttribute', where);
  text(o, 'targetAttribute', where);
  oneOf(o, 'attributeMappingType', where, ['userAttributeMapping']);
  if (o.errata !== undefined && !Array.isArray(o.errata)) throw badState(`'${where}.errata' must be an array`);
  return o as unknown as PropagationMapping;
}
