import { TLS_ERROR_CODES } from './outbound-client';
import type { ScimResponse } from './outbound-client';

// Target failures in the words an admin understands (issue 4: Test Connection and sync status).

export type FailureCategory = 'dns' | 'unreachable' | 'timeout' | 'tls' | 'credentials' | 'not-scim' | 'http';

export interface Failure {
  category: FailureCategory;
  message: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The SCIM Error `detail` of a response (RFC 7644 §3.12), or a short excerpt of whatever came back. */
export function targetDetail(response: ScimResponse): string {
  const body = response.body as { detail?: unknown } | undefined;
  if (body && typeof body.detail === 'string') return body.detail;
  const text = response.text.trim().replace(/\s+/g, ' ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A response that is not a success, described for an admin. `url` is where the request went. */
export function describeFailure(response: ScimResponse, url: string): Failure {
  const host = hostOf(url);
  if (response.tokenFailure !== undefined) {
    return {
      category: response.status === 0 ? 'unreachable' : 'credentials',
      message: `No OAuth 2 access token: ${response.tokenFailure}. Check the OAuth Token Request URL, the OAuth Client ID and the OAuth Client Secret.`,
    };
  }
  if (response.status === 0) {
    const code = response.errorCode ?? '';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return {
        category: 'dns',
        message: `The host name of ${host} could not be resolved (DNS). Check the SCIM base URL.`,
      };
    }
    if (code === 'ECONNREFUSED') {
      return {
        category: 'unreachable',
        message: `Could not connect to ${host}: the connection was refused. Check the SCIM base URL and that the server is running.`,
      };
    }
    if (code === 'ETIMEDOUT')
      return { category: 'timeout', message: `${host} did not answer in time (${response.error}).` };
    if (TLS_ERROR_CODES.has(code)) return { category: 'tls', message: tlsMessage(code, host, response.error ?? '') };
    return {
      category: 'unreachable',
      message: `The connection to ${host} failed before an answer arrived: ${response.error ?? code}.`,
    };
  }
  if (response.status === 401 || response.status === 403) {
    return {
      category: 'credentials',
      message: `The target refused the credentials (HTTP ${response.status}). Check the OAuth Access Token and the Auth Type Header.${suffix(response)}`,
    };
  }
  if (response.status === 404) {
    return {
      category: 'not-scim',
      message: `${url} answered 404: this is not a SCIM Users endpoint. Check the SCIM base URL and the Users Resource.`,
    };
  }
  return { category: 'http', message: `The target answered HTTP ${response.status}.${suffix(response)}` };
}

function suffix(response: ScimResponse): string {
  const detail = targetDetail(response);
  return detail ? ` The target said: ${detail}` : '';
}

function tlsMessage(code: string, host: string, error: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `TLS: ${host} presents a self-signed certificate that is not trusted. Give the mock its CA (--ca) or use --insecure.`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: the certificate of ${host} is not valid for that host name (${error}).`;
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return `TLS: the certificate of ${host} is outside its validity period (${code}).`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `TLS: the handshake with ${host} failed; is the SCIM base URL really https? (${error})`;
    default:
      return `TLS: the certificate of ${host} is not trusted (${code}). Give the mock its CA (--ca) or use --insecure.`;
  }
}
