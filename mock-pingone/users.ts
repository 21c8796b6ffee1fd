import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import type { User, UserFields } from './model';

// PingOne user validation (S5 field names). Every error names the field in details[].target.

const STRING_FIELDS = [
  'email',
  'primaryPhone',
  'mobilePhone',
  'externalId',
  'nickname',
  'title',
  'type',
  'preferredLanguage',
  'locale',
  'timezone',
] as const;
const NAME_FIELDS = ['given', 'family', 'middle', 'formatted', 'honorificPrefix', 'honorificSuffix'] as const;
const ADDRESS_FIELDS = ['streetAddress', 'locality', 'region', 'postalCode', 'countryCode'] as const;

/** Read-only attributes the API returns; accepted (and ignored) in writes so that GET → PUT round-trips. */
const READ_ONLY = new Set([
  'id',
  'environment',
  'createdAt',
  'updatedAt',
  '_links',
  '_embedded',
  'lifecycle',
  'account',
  'identityProvider',
  'mfaEnabled',
  'verifyStatus',
  'memberOfGroupIDs',
  'memberOfGroupNames',
]);
const WRITABLE = new Set(['username', 'name', 'address', 'enabled', 'population', ...STRING_FIELDS]);

const MAX_USERNAME = 128;
const MAX_STRING = 256;

/** What a write asks for: a value, or null to remove the attribute (PATCH), per top-level and nested key. */
export type UserInput = {
  username?: string;
  enabled?: boolean;
  population?: { id: string };
  name?: Record<string, string | null> | null;
  address?: Record<string, string | null> | null;
} & { [K in (typeof STRING_FIELDS)[number]]?: string | null };

function optionalString(value: unknown, target: string, max = MAX_STRING): string | null {
  // An empty string or null clears the attribute (PingOne stores no empty values).
  if (value === null || value === '') return null;
  if (typeof value !== 'string') throw p1Errors.invalidValue(target, `${target} must be a string`);
  if (value.length > max) throw p1Errors.invalidValue(target, `${target} must be at most ${max} characters`);
  return value;
}

function nested(
  value: unknown,
  target: 'name' | 'address',
  keys: readonly string[],
): Record<string, string | null> | null {
  if (value === null) return null;
  if (!isObject(value)) throw p1Errors.invalidValue(target, `${target} must be an object`);
  const out: Record<string, string | null> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!keys.includes(key)) {
      throw p1Errors.invalidValue(
        `${target}.${key}`,
        `unknown attribute '${target}.${key}' (allowed: ${keys.join(', ')})`,
      );
    }
    out[key] = optionalString(item, `${target}.${key}`);
  }
  // S5: address.countryCode is a two-letter country code (ISO 3166-1 alpha-2).
  if (target === 'address' && typeof out.countryCode === 'string' && !/^[A-Za-z]{2}$/.test(out.countryCode)) {
    throw p1Errors.invalidValue(
      'address.countryCode',
      'address.countryCode must be a two-letter country code, e.g. "US"',
    );
  }
  return out;
}

/**
 * Validates a user write body. `create` and `replace` need `username`; `patch` takes any subset.
 * Unknown attributes are refused (400 naming them); read-only ones are ignored.
 */
export function parseUserInput(body: unknown, mode: 'create' | 'replace' | 'patch'): UserInput {
  if (!isObject(body)) throw p1Errors.malformed('The request body must be a JSON object.');
  const input: UserInput = {};
  for (const [key, value] of Object.entries(body)) {
    if (READ_ONLY.has(key)) continue;
    if (!WRITABLE.has(key)) throw p1Errors.invalidValue(key, `unknown attribute '${key}'`);
    switch (key) {
      case 'username': {
        if (typeof value !== 'string' || value.trim() === '') {
          throw p1Errors.invalidValue('username', 'username must be a non-empty string');
        }
        if (value.length > MAX_USERNAME) {
          throw p1Errors.invalidValue('username', `username must be at most ${MAX_USERNAME} characters`);
        }
        input.username = value;
        break;
      }
      case 'enabled':
        if (typeof value !== 'boolean') throw p1Errors.invalidValue('enabled', 'enabled must be true or false');
        input.enabled = value;
        break;
      case 'population':
        if (!isObject(value) || typeof value.id !== 'string' || value.id === '') {
          throw p1Errors.invalidValue('population.id', 'population must be {"id": "<population id>"}');
        }
        input.population = { id: value.id };
        break;
      case 'name':
        input.name = nested(value, 'name', NAME_FIELDS);
        break;
      case 'address':
        input.address = nested(value, 'address', ADDRESS_FIELDS);
        break;
      case 'email': {
        const email = optionalString(value, 'email');
        if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) {
          throw p1Errors.invalidValue('email', 'email must be a well-formed email address');
        }
        input.email = email;
        break;
      }
      default:
        input[key as (typeof STRING_FIELDS)[number]] = optionalString(value, key);
    }
  }
  if (mode !== 'patch' && input.username === undefined) throw p1Errors.required('username');
  return input;
}

function compact(values: Record<string, string | null> | undefined | null): Record<string, string> | undefined {
  if (!values) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/**
 * The user fields after a write. `replace` (PUT) keeps only what the body gives, as PingOne's PUT does;
 * `patch` changes only the given attributes (null removes one). Population and enabled keep their
 * values unless given.
 */
export function applyUserInput(
  current: UserFields | undefined,
  input: UserInput,
  mode: 'create' | 'replace' | 'patch',
  defaults: { populationId: string },
): UserFields {
  const base: Partial<UserFields> = mode === 'patch' && current ? structuredClone(current) : {};
  const next: Record<string, unknown> = { ...base };
  for (const key of STRING_FIELDS) {
    if (input[key] === undefined) continue;
    if (input[key] === null) delete next[key];
    else next[key] = input[key];
  }
  for (const key of ['name', 'address'] as const) {
    if (input[key] === undefined) continue;
    const merged = mode === 'patch' && input[key] !== null ? { ...(base[key] ?? {}), ...input[key] } : input[key];
    const value = compact(merged);
    if (value) next[key] = value;
    else delete next[key];
  }
  if (input.username !== undefined) next.username = input.username;
  next.enabled = input.enabled ?? current?.enabled ?? true;
  next.population = input.population ?? current?.population ?? { id: defaults.populationId };
  return next as unknown as UserFields;
}

/** The API representation of a user (S5 read shape). */
export function userView(user: User, envId: string, base: string) {
  return {
    _links: {
      self: { href: `${base}/environments/${envId}/users/${user.id}` },
      population: { href: `${base}/environments/${envId}/populations/${user.population.id}` },
    },
    id: user.id,
    environment: { id: envId },
    account: { canAuthenticate: user.enabled, status: 'OK' },
    createdAt: user.createdAt,
    email: user.email,
    enabled: user.enabled,
    identityProvider: { type: 'PING_ONE' },
    lifecycle: { status: 'ACCOUNT_OK' },
    mfaEnabled: false,
    name: user.name,
    address: user.address,
    primaryPhone: user.primaryPhone,
    mobilePhone: user.mobilePhone,
    externalId: user.externalId,
    nickname: user.nickname,
    title: user.title,
    type: user.type,
    preferredLanguage: user.preferredLanguage,
    locale: user.locale,
    timezone: user.timezone,
    population: { id: user.population.id },
    updatedAt: user.updatedAt,
    username: user.username,
    verifyStatus: 'NOT_INITIATED',
  };
}
