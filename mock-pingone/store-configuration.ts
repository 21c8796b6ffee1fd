import { PROFILE_NAMES, type ProfileName } from '../fixtures/profiles';
import { isScimError } from '../scim/errors';
import { parseFilter } from '../scim/filter';
import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import { SCIM_TARGETS } from './attribute-mapping';
import type { AuthenticationMethod, OAuthClientAuthMethod, PropagationStore, ScimStoreConfiguration } from './model';

// The configuration of a propagation store of type scim (seed steps 5–6, PING-SCIM-PROVISIONER): its keys, how a
// configuration from the API is validated, and how the API shows it (secrets masked).

/** What the API shows instead of a secret; writing it back keeps the stored secret. */
export const MASK = '********';
const SECRET_KEYS = ['OAUTH_ACCESS_TOKEN', 'BASIC_AUTH_PASSWORD', 'OAUTH_CLIENT_SECRET', 'CUSTOM_HEADER'] as const;
/** Keys PingOne documents for SCIM stores that the mock keeps but does not act on (groups). */
const PASSIVE_KEYS = ['GROUPS_RESOURCE', 'GROUP_MEMBERSHIP_HANDLING', 'GROUP_NAME_SOURCE', 'SCHEMA_EXTENSION_URNS'];
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
  'OAUTH_TOKEN_REQUEST',
  'OAUTH_CLIENT_ID',
  'OAUTH_CLIENT_SECRET',
  'OAUTH_CLIENT_AUTH_METHOD',
  'CUSTOM_HEADER',
  'USER_FILTER',
  'UNIQUE_USER_IDENTIFIER',
  'REMOVE_ACTION',
  'CREATE_USERS',
  'UPDATE_USERS',
  'DISABLE_USERS',
  'UPDATE_METHOD',
  'PROVISION_DISABLED_USERS',
  'PROVISIONER_PROFILE',
  'GROUP_UPDATE_METHOD',
  'GROUP_REMOVE_ACTION',
  ...PASSIVE_KEYS,
  ...Object.keys(DEPRECATED_TOGGLES),
]);
/** PING-SCIM-CONNECTION, PING-SCIM-FEATURES: the four methods of a SCIM connection. */
export const AUTHENTICATION_METHODS: readonly AuthenticationMethod[] = [
  'None',
  'Basic Authentication',
  'OAuth 2 Bearer Token',
  'OAuth 2 Client Credentials',
];
/** The SCIM versions a store may speak (PING-SCIM-FEATURES: "Supports the SCIM 1.1 and 2.0 specifications"). */
export const SCIM_VERSIONS = ['1.1', '2.0'] as const;
/** AUTHORIZATION_TYPE "Custom": the Authorization header is CUSTOM_HEADER as given (PING-SCIM-CONNECTION). */
export const CUSTOM_AUTHORIZATION = 'Custom';
/** PING-CC-TUTORIAL: the Auth Type Header "OAuth Client Credentials", sent as the Bearer scheme (RFC 6750). */
export const OAUTH_CLIENT_CREDENTIALS_TYPE = 'OAuth Client Credentials';
/** Changing these is "Configure Authentication"; PingOne then runs a full resync (pingone p1_resync_configurations). */
export const AUTH_KEYS = [
  'SCIM_URL',
  'USERS_RESOURCE',
  'AUTHENTICATION_METHOD',
  'AUTHORIZATION_TYPE',
  'OAUTH_ACCESS_TOKEN',
  'BASIC_AUTH_USER',
  'BASIC_AUTH_PASSWORD',
  'OAUTH_TOKEN_REQUEST',
  'OAUTH_CLIENT_ID',
  'OAUTH_CLIENT_SECRET',
  'OAUTH_CLIENT_AUTH_METHOD',
  'CUSTOM_HEADER',
] as const;

export function requiredString(source: Record<string, unknown>, key: string, target = key): string {
  const value = source[key];
  if (value === undefined || value === null || value === '') throw p1Errors.required(target);
  if (typeof value !== 'string') throw p1Errors.invalidValue(target, `${target} must be a string`);
  return value;
}

export function optionalBoolean(source: Record<string, unknown>, key: string, target: string): boolean | undefined {
  const value = source[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw p1Errors.invalidValue(target, `${target} must be true or false`);
  return value;
}

export function optionalDescription(body: Record<string, unknown>): string | undefined {
  const d = body.description;
  if (d === undefined || d === null) return undefined;
  if (typeof d !== 'string') throw p1Errors.invalidValue('description', 'description must be a string');
  return d;
}

const c = (key: string) => `configuration.${key}`;

/** An absolute http(s) URL under `key`. */
function httpUrl(input: Record<string, unknown>, key: string, example: string): string {
  const text = requiredString(input, key, c(key));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw p1Errors.invalidValue(c(key), `${key} must be an absolute URL, e.g. ${example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw p1Errors.invalidValue(c(key), `${key} must use http or https`);
  }
  return text;
}

/** SCIM_URL, SCIM_VERSION and USERS_RESOURCE: where the target is. */
function parseEndpoint(input: Record<string, unknown>) {
  const scimUrl = httpUrl(input, 'SCIM_URL', 'https://host/scim/v2');
  const version = requiredString(input, 'SCIM_VERSION', c('SCIM_VERSION'));
  // PING-SCIM-FEATURES: 1.1 and 2.0. Code42 accepts 2.0 only (C42-PINGONE-PROVISIONING): 1.1 reproduces that mistake.
  if (!(SCIM_VERSIONS as readonly string[]).includes(version))
    throw p1Errors.invalidValue(c('SCIM_VERSION'), 'SCIM_VERSION must be "2.0" or "1.1"');
  const usersResource = requiredString(input, 'USERS_RESOURCE', c('USERS_RESOURCE'));
  if (!usersResource.startsWith('/')) {
    throw p1Errors.invalidValue(c('USERS_RESOURCE'), 'USERS_RESOURCE must start with "/", e.g. /Users');
  }
  return { SCIM_URL: scimUrl, SCIM_VERSION: version, USERS_RESOURCE: usersResource };
}

/** AUTHENTICATION_METHOD and AUTHORIZATION_TYPE: how requests authenticate. */
function parseScheme(input: Record<string, unknown>) {
  const method = requiredString(input, 'AUTHENTICATION_METHOD', c('AUTHENTICATION_METHOD')) as AuthenticationMethod;
  if (!AUTHENTICATION_METHODS.includes(method)) {
    throw p1Errors.invalidValue(
      c('AUTHENTICATION_METHOD'),
      `AUTHENTICATION_METHOD must be one of ${AUTHENTICATION_METHODS.map((m) => `"${m}"`).join(', ')}`,
    );
  }
  // [SEED step 5.6] the Auth Type Header; S5 marks it required. Defaults to the method's usual scheme when absent [INF].
  const authorizationType =
    input.AUTHORIZATION_TYPE === undefined
      ? method === 'Basic Authentication'
        ? 'Basic'
        : 'Bearer'
      : requiredString(input, 'AUTHORIZATION_TYPE', c('AUTHORIZATION_TYPE'));
  if (authorizationType !== OAUTH_CLIENT_CREDENTIALS_TYPE && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(authorizationType)) {
    throw p1Errors.invalidValue(
      c('AUTHORIZATION_TYPE'),
      'AUTHORIZATION_TYPE must be an HTTP auth scheme name such as Bearer',
    );
  }
  return { AUTHENTICATION_METHOD: method, AUTHORIZATION_TYPE: authorizationType };
}

/** The method's credentials; `current` supplies secrets written back as the mask. */
function parseCredentials(
  input: Record<string, unknown>,
  method: AuthenticationMethod,
  current?: ScimStoreConfiguration,
) {
  const auth: Partial<ScimStoreConfiguration> = {};
  const secret = (key: (typeof SECRET_KEYS)[number]): string => {
    const value = input[key] === MASK ? current?.[key] : input[key];
    if (!value) throw p1Errors.required(c(key));
    if (typeof value !== 'string') throw p1Errors.invalidValue(c(key), `${key} must be a string`);
    return value;
  };
  if (method === 'OAuth 2 Bearer Token') auth.OAUTH_ACCESS_TOKEN = secret('OAUTH_ACCESS_TOKEN');
  if (method === 'Basic Authentication') {
    auth.BASIC_AUTH_USER = requiredString(input, 'BASIC_AUTH_USER', c('BASIC_AUTH_USER'));
    auth.BASIC_AUTH_PASSWORD = secret('BASIC_AUTH_PASSWORD');
  }
  if (method === 'OAuth 2 Client Credentials') {
    // PING-SCIM-CONNECTION: "OAuth Token Request", "OAuth Client ID", "OAuth Client Secret" (RFC 6749 §4.4).
    auth.OAUTH_TOKEN_REQUEST = httpUrl(input, 'OAUTH_TOKEN_REQUEST', 'https://host/oauth/token');
    auth.OAUTH_CLIENT_ID = requiredString(input, 'OAUTH_CLIENT_ID', c('OAUTH_CLIENT_ID'));
    auth.OAUTH_CLIENT_SECRET = secret('OAUTH_CLIENT_SECRET');
    const how = input.OAUTH_CLIENT_AUTH_METHOD ?? 'client_secret_basic';
    if (how !== 'client_secret_basic' && how !== 'client_secret_post') {
      throw p1Errors.invalidValue(
        c('OAUTH_CLIENT_AUTH_METHOD'),
        'OAUTH_CLIENT_AUTH_METHOD must be "client_secret_basic" or "client_secret_post"',
      );
    }
    auth.OAUTH_CLIENT_AUTH_METHOD = how as OAuthClientAuthMethod;
  }
  // PING-SCIM-CONNECTION: Auth Type Header "Custom" adds the custom header as the Authorization header.
  if (input.AUTHORIZATION_TYPE === CUSTOM_AUTHORIZATION) auth.CUSTOM_HEADER = secret('CUSTOM_HEADER');
  return auth;
}

/** USER_FILTER and UNIQUE_USER_IDENTIFIER: how the provisioner finds a user at the target. */
function checkMatching(userFilter: string, identifier: string): void {
  // PING-SCIM-PROVISIONER: %s is replaced by the User Identifier value.
  if (!userFilter.includes('%s')) {
    throw p1Errors.invalidValue(
      c('USER_FILTER'),
      'USER_FILTER must contain %s, where the identifier value goes, e.g. username Eq "%s"',
    );
  }
  try {
    parseFilter(userFilter.split('%s').join('x'));
  } catch (error) {
    if (!isScimError(error)) throw error;
    throw p1Errors.invalidValue(c('USER_FILTER'), `USER_FILTER is not a valid SCIM filter: ${error.detail}`);
  }
  if (!Object.hasOwn(SCIM_TARGETS, identifier)) {
    throw p1Errors.invalidValue(
      c('UNIQUE_USER_IDENTIFIER'),
      `UNIQUE_USER_IDENTIFIER must be a SCIM attribute such as userName (known: ${Object.keys(SCIM_TARGETS).join(', ')})`,
    );
  }
}

type Behaviour = Pick<
  ScimStoreConfiguration,
  | 'REMOVE_ACTION'
  | 'CREATE_USERS'
  | 'UPDATE_USERS'
  | 'DISABLE_USERS'
  | 'UPDATE_METHOD'
  | 'PROVISION_DISABLED_USERS'
  | 'PROVISIONER_PROFILE'
  | 'GROUP_UPDATE_METHOD'
  | 'GROUP_REMOVE_ACTION'
>;

/** REMOVE_ACTION, the three toggles (current or deprecated spelling), the update method and disabled users. */
function parseBehaviour(input: Record<string, unknown>): Behaviour {
  const behaviour: Behaviour = {
    REMOVE_ACTION: 'Disable',
    CREATE_USERS: true,
    UPDATE_USERS: true,
    DISABLE_USERS: true,
    UPDATE_METHOD: 'PUT',
    PROVISION_DISABLED_USERS:
      optionalBoolean(input, 'PROVISION_DISABLED_USERS', c('PROVISION_DISABLED_USERS')) ?? false,
  };
  if (input.UPDATE_METHOD !== undefined) {
    if (input.UPDATE_METHOD !== 'PUT' && input.UPDATE_METHOD !== 'PATCH') {
      throw p1Errors.invalidValue(c('UPDATE_METHOD'), 'UPDATE_METHOD must be "PUT" or "PATCH"');
    }
    behaviour.UPDATE_METHOD = input.UPDATE_METHOD;
  }
  if (input.PROVISIONER_PROFILE !== undefined) {
    // [INF] the lab's key: whose SCIM client the provisioner plays (fixtures/profiles.ts).
    if (!(PROFILE_NAMES as readonly unknown[]).includes(input.PROVISIONER_PROFILE)) {
      throw p1Errors.invalidValue(
        c('PROVISIONER_PROFILE'),
        `PROVISIONER_PROFILE must be one of ${PROFILE_NAMES.map((n) => `"${n}"`).join(', ')}`,
      );
    }
    behaviour.PROVISIONER_PROFILE = input.PROVISIONER_PROFILE as ProfileName;
  }
  if (input.REMOVE_ACTION !== undefined) {
    if (input.REMOVE_ACTION !== 'Disable' && input.REMOVE_ACTION !== 'Delete') {
      throw p1Errors.invalidValue(c('REMOVE_ACTION'), 'REMOVE_ACTION must be "Disable" or "Delete"');
    }
    behaviour.REMOVE_ACTION = input.REMOVE_ACTION;
  }
  // [INF] keys of group provisioning; absent, the defaults (PATCH, Delete) apply and the store view stays as it was.
  const groupUpdate = oneOfKey(input, 'GROUP_UPDATE_METHOD', ['PATCH', 'PUT'] as const);
  if (groupUpdate) behaviour.GROUP_UPDATE_METHOD = groupUpdate;
  const groupRemove = oneOfKey(input, 'GROUP_REMOVE_ACTION', ['Delete', 'Keep'] as const);
  if (groupRemove) behaviour.GROUP_REMOVE_ACTION = groupRemove;
  for (const [old, key] of Object.entries(DEPRECATED_TOGGLES)) {
    const value = optionalBoolean(input, key, c(key)) ?? optionalBoolean(input, old, c(old));
    if (value !== undefined) behaviour[key] = value;
  }
  return behaviour;
}

/** An optional key that takes one of `allowed`; undefined when absent. */
function oneOfKey<T extends string>(input: Record<string, unknown>, key: string, allowed: readonly T[]): T | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw p1Errors.invalidValue(c(key), `${key} must be ${allowed.map((a) => `"${a}"`).join(' or ')}`);
  }
  return value as T;
}

/** Validates a SCIM store's configuration; `current` supplies secrets written back as the mask. */
export function parseScimConfiguration(
  input: unknown,
  current?: ScimStoreConfiguration,
): { configuration: ScimStoreConfiguration; extras: Record<string, unknown> } {
  if (!isObject(input)) throw p1Errors.required('configuration');
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) throw p1Errors.invalidValue(c(key), `unknown configuration key '${key}'`);
  }
  // One error at a time, in a fixed order: missing keys first, then the values' own rules.
  const endpoint = parseEndpoint(input);
  const scheme = parseScheme(input);
  const matching = {
    USER_FILTER: requiredString(input, 'USER_FILTER', c('USER_FILTER')),
    UNIQUE_USER_IDENTIFIER: requiredString(input, 'UNIQUE_USER_IDENTIFIER', c('UNIQUE_USER_IDENTIFIER')),
  };
  const auth = parseCredentials(input, scheme.AUTHENTICATION_METHOD, current);
  checkMatching(matching.USER_FILTER, matching.UNIQUE_USER_IDENTIFIER);
  const configuration: ScimStoreConfiguration = { ...endpoint, ...scheme, ...matching, ...parseBehaviour(input) };
  Object.assign(configuration, auth);
  const extras: Record<string, unknown> = {};
  for (const key of PASSIVE_KEYS) if (input[key] !== undefined) extras[key] = input[key];
  return { configuration, extras };
}

/** The API view of a store: secrets masked (PingOne never echoes them), passive keys merged back. */
export function maskedConfiguration(store: PropagationStore, extras: Record<string, unknown>) {
  if (!store.configuration) return undefined;
  const out: Record<string, unknown> = { ...store.configuration, ...extras };
  for (const key of SECRET_KEYS) if (out[key] !== undefined) out[key] = MASK;
  return out;
}
