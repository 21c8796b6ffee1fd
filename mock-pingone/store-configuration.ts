import { isScimError } from '../scim/errors';
import { parseFilter } from '../scim/filter';
import { isObject } from '../scim/json';
import { p1Errors } from './errors';
import { SCIM_TARGETS } from './attribute-mapping';
import type { AuthenticationMethod, PropagationStore, ScimStoreConfiguration } from './model';

// The configuration of a propagation store of type scim (seed steps 5–6, PING-SCIM-PROVISIONER): its keys, how a
// configuration from the API is validated, and how the API shows it (secrets masked).

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

/** SCIM_URL, SCIM_VERSION and USERS_RESOURCE: where the target is. */
function parseEndpoint(input: Record<string, unknown>) {
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
  // [DOC S7]: Code42 accepts SCIM 2.0 only; the mock provisioner speaks only 2.0.
  if (version !== '2.0')
    throw p1Errors.invalidValue(c('SCIM_VERSION'), 'SCIM_VERSION must be "2.0" (the only version this mock speaks)');
  const usersResource = requiredString(input, 'USERS_RESOURCE', c('USERS_RESOURCE'));
  if (!usersResource.startsWith('/')) {
    throw p1Errors.invalidValue(c('USERS_RESOURCE'), 'USERS_RESOURCE must start with "/", e.g. /Users');
  }
  return { SCIM_URL: scimUrl, SCIM_VERSION: version, USERS_RESOURCE: usersResource };
}

/** AUTHENTICATION_METHOD and AUTHORIZATION_TYPE: how requests authenticate. */
function parseScheme(input: Record<string, unknown>) {
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
  return { AUTHENTICATION_METHOD: method, AUTHORIZATION_TYPE: authorizationType };
}

/** The method's credentials; `current` supplies secrets written back as the mask. */
function parseCredentials(
  input: Record<string, unknown>,
  method: AuthenticationMethod,
  current?: ScimStoreConfiguration,
) {
  const auth: Pick<ScimStoreConfiguration, 'OAUTH_ACCESS_TOKEN' | 'BASIC_AUTH_USER' | 'BASIC_AUTH_PASSWORD'> = {};
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

/** REMOVE_ACTION and the three toggles (current or deprecated spelling). */
function parseBehaviour(input: Record<string, unknown>) {
  const behaviour: Pick<ScimStoreConfiguration, 'REMOVE_ACTION' | 'CREATE_USERS' | 'UPDATE_USERS' | 'DISABLE_USERS'> = {
    REMOVE_ACTION: 'Disable',
    CREATE_USERS: true,
    UPDATE_USERS: true,
    DISABLE_USERS: true,
  };
  if (input.REMOVE_ACTION !== undefined) {
    if (input.REMOVE_ACTION !== 'Disable' && input.REMOVE_ACTION !== 'Delete') {
      throw p1Errors.invalidValue(c('REMOVE_ACTION'), 'REMOVE_ACTION must be "Disable" or "Delete"');
    }
    behaviour.REMOVE_ACTION = input.REMOVE_ACTION;
  }
  for (const [old, key] of Object.entries(DEPRECATED_TOGGLES)) {
    const value = optionalBoolean(input, key, c(key)) ?? optionalBoolean(input, old, c(old));
    if (value !== undefined) behaviour[key] = value;
  }
  return behaviour;
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
  if (auth.OAUTH_ACCESS_TOKEN !== undefined) configuration.OAUTH_ACCESS_TOKEN = auth.OAUTH_ACCESS_TOKEN;
  if (auth.BASIC_AUTH_USER !== undefined) configuration.BASIC_AUTH_USER = auth.BASIC_AUTH_USER;
  if (auth.BASIC_AUTH_PASSWORD !== undefined) configuration.BASIC_AUTH_PASSWORD = auth.BASIC_AUTH_PASSWORD;
  const extras: Record<string, unknown> = {};
  for (const key of PASSIVE_KEYS) if (input[key] !== undefined) extras[key] = input[key];
  return { configuration, extras };
}

/** The API view of a store: secrets masked (PingOne never echoes them), passive keys merged back. */
export function maskedConfiguration(store: PropagationStore, extras: Record<string, unknown>) {
  if (!store.configuration) return undefined;
  const out: Record<string, unknown> = { ...store.configuration, ...extras };
  for (const key of SECRET_KEYS) if (out[key] !== undefined) out[key] = MASK;
  if (out.OAUTH_CLIENT_SECRET !== undefined) out.OAUTH_CLIENT_SECRET = MASK;
  return out;
}
