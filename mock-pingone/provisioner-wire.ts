import type { Deviations } from './deviations';
import type { ScimStoreConfiguration } from './model';
import type { Connection } from './outbound-client';

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
  const scheme = deviations?.has('wrong-auth-scheme') ? 'Token' : config.AUTHORIZATION_TYPE;
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
  return {
    baseUrl: config.SCIM_URL.replace(/\/+$/, ''),
    ...(authorization !== undefined && { authorization }),
    contentType,
  };
}
