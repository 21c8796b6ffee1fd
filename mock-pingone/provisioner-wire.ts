import { PROFILES, type Profile } from '../fixtures/profiles';
import type { Deviations } from './deviations';
import type { ScimStoreConfiguration } from './model';
import type { Connection } from './outbound-client';
import { CUSTOM_AUTHORIZATION, OAUTH_CLIENT_CREDENTIALS_TYPE } from './store-configuration';

// What the provisioner puts on the wire besides bodies: the lookup filter, the auth header.

/** RFC 7644 §3.4.2.2 compValue is a JSON string: `"`, `\` and control characters must be escaped. */
export function escapeFilterValue(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * the Ping entries of docs/sources.md: the User Filter Expression is sent exactly as configured (`username Eq`
 * keeps its case), with every `%s` replaced by the identifier value escaped as a JSON string.
 */
export function userFilter(template: string, value: string, deviations?: Deviations): string {
  let filter = template;
  if (deviations?.has('recased-filter')) {
    // Deviation: a provisioner that "normalises" the configured filter instead of sending it verbatim.
    filter = filter.replace(/\busername\b/gi, 'userName').replace(/\b(eq|ne|co|sw|ew)\b/gi, (op) => op.toLowerCase());
  }
  const inserted = deviations?.has('unescaped-filter') ? value : escapeFilterValue(value);
  return filter.split('%s').join(inserted);
}

/** The query string of a lookup: the filter, URL-encoded. */
export function userFilterQuery(template: string, value: string, deviations?: Deviations): string {
  return `filter=${encodeURIComponent(userFilter(template, value, deviations))}`;
}

/** The connection a store's configuration describes (SEED-5, SEED-6 (docs/sources.md)). */
export function connectionFor(
  config: ScimStoreConfiguration,
  contentType: string,
  deviations?: Deviations,
): Connection {
  const configured = config.AUTHORIZATION_TYPE === OAUTH_CLIENT_CREDENTIALS_TYPE ? 'Bearer' : config.AUTHORIZATION_TYPE;
  const scheme = deviations?.has('wrong-auth-scheme') ? 'Token' : configured;
  // SCIM 1.1 predates application/scim+json (RFC 7644 §8.1): a 1.1 client sends application/json.
  const type = config.SCIM_VERSION === '1.1' ? 'application/json' : contentType;
  const baseUrl = config.SCIM_URL.replace(/\/+$/, '');
  // PING-SCIM-CONNECTION: with Auth Type Header "Custom", the custom header is the Authorization header, as given.
  if (config.AUTHORIZATION_TYPE === CUSTOM_AUTHORIZATION && config.CUSTOM_HEADER !== undefined)
    return { baseUrl, authorization: config.CUSTOM_HEADER, contentType: type };
  if (config.AUTHENTICATION_METHOD === 'OAuth 2 Client Credentials') {
    // RFC 6749 §4.4: the token comes from the token endpoint; the outbound client caches and refreshes it.
    const clientCredentials = {
      tokenUrl: config.OAUTH_TOKEN_REQUEST ?? '',
      clientId: config.OAUTH_CLIENT_ID ?? '',
      clientSecret: config.OAUTH_CLIENT_SECRET ?? '',
      clientAuth: config.OAUTH_CLIENT_AUTH_METHOD ?? 'client_secret_basic',
      scheme,
    };
    return { baseUrl, clientCredentials, contentType: type };
  }
  let authorization: string | undefined;
  if (config.AUTHENTICATION_METHOD === 'OAuth 2 Bearer Token') {
    // [SEED step 5.6] "Auth Type Header: Bearer", so requests carry `Authorization: Bearer <token>`.
    authorization = `${scheme} ${config.OAUTH_ACCESS_TOKEN ?? ''}`;
  } else if (config.AUTHENTICATION_METHOD === 'Basic Authentication') {
    // RFC 7617: base64(user ":" password).
    const credentials = Buffer.from(`${config.BASIC_AUTH_USER ?? ''}:${config.BASIC_AUTH_PASSWORD ?? ''}`).toString(
      'base64',
    );
    authorization = `${scheme} ${credentials}`;
  }
  return { baseUrl, ...(authorization !== undefined && { authorization }), contentType: type };
}

/** The profile the store's provisioner plays (fixtures/profiles.ts); PingOne when the store names none. */
export function profileOf(config: ScimStoreConfiguration): Profile {
  return PROFILES[config.PROVISIONER_PROFILE ?? 'pingone'];
}

/**
 * The store's configuration as the profile's client applies it: the profile's lookup filter, update method and
 * deprovisioning action replace the store's keys where the profile fixes them (a `null` rule keeps the store's key).
 */
export function asProfile(config: ScimStoreConfiguration): ScimStoreConfiguration {
  const profile = profileOf(config);
  return {
    ...config,
    USER_FILTER: profile.lookupFilter.value ?? config.USER_FILTER,
    UPDATE_METHOD: profile.updateMethod.value ?? config.UPDATE_METHOD,
    REMOVE_ACTION: profile.deprovision.value ?? config.REMOVE_ACTION,
  };
}
