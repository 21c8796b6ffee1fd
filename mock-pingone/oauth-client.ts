import { createHash } from 'node:crypto';
import type { Clock } from '../lab/types';
import type { OAuthClientAuthMethod } from './model';

// OAuth 2 Client Credentials for the provisioner (PING-SCIM-CONNECTION "OAuth 2 Client Credentials"; RFC 6749 §4.4):
// the token request, the token endpoint's answers (§5.1, §5.2), and a cache that serves one token per client until
// it expires or the target refuses it. The HTTP exchange itself is the outbound client's (journaled, bounded).

/** A store's client credentials: where to ask for a token, and as whom. */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** RFC 6749 §2.3.1: HTTP Basic (every server MUST support it) or the body parameters. */
  clientAuth: OAuthClientAuthMethod;
}

/** The token request as it goes on the wire: a form POST (RFC 6749 §4.4.2, Appendix B). */
export interface TokenRequest {
  headers: Record<string, string>;
  body: string;
}

/** What came back from the token endpoint (the outbound client's exchange, reduced). */
export interface TokenEndpointReply {
  status: number;
  body: unknown;
  error?: string;
}

export type TokenResult = { token: string } | { failure: TokenEndpointReply & { detail: string } };

/** RFC 6749 Appendix B: application/x-www-form-urlencoded, each name and value encoded. */
function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** RFC 6749 §2.3.1: client_id and secret are form-encoded before they are joined for Basic. */
function basicCredentials(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64');
}

export function tokenRequest(credentials: ClientCredentials): TokenRequest {
  const fields: Record<string, string> = { grant_type: 'client_credentials' };
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (credentials.clientAuth === 'client_secret_post') {
    fields.client_id = credentials.clientId;
    fields.client_secret = credentials.clientSecret;
  } else {
    headers.Authorization = `Basic ${basicCredentials(credentials.clientId, credentials.clientSecret)}`;
  }
  return { headers, body: form(fields) };
}

/** Reads a §5.1 answer (or says what is wrong with it, §5.2 errors included). */
export function readTokenReply(
  reply: TokenEndpointReply,
): { token: string; expiresInMs?: number } | { detail: string } {
  const body = (typeof reply.body === 'object' && reply.body !== null ? reply.body : {}) as Record<string, unknown>;
  if (reply.status === 0) return { detail: `the token endpoint could not be reached: ${reply.error ?? 'no answer'}` };
  if (reply.status !== 200) {
    const code = typeof body.error === 'string' ? ` ${body.error}` : '';
    const text = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
    return { detail: `the token endpoint answered HTTP ${reply.status}${code}${text}` };
  }
  if (typeof body.access_token !== 'string' || body.access_token === '')
    return { detail: 'the token endpoint answered 200 without an access_token (RFC 6749 §5.1)' };
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer')
    return { detail: `the token endpoint issued a token_type ${JSON.stringify(body.token_type)}, not Bearer` };
  const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
  return { token: body.access_token, ...(seconds !== undefined && { expiresInMs: seconds * 1000 }) };
}

interface Cached {
  token: string;
  /** Virtual time (ms) from which the token is fetched again; undefined when the endpoint gave no lifetime. */
  refreshAtMs?: number;
}

export interface TokenCache {
  /** A token for these credentials: the cached one while it lasts, else a new one from the token endpoint. */
  get(credentials: ClientCredentials, signal?: AbortSignal): Promise<TokenResult>;
  /** Forgets the token the target refused (a 401), so that the next `get` fetches a new one. */
  invalidate(credentials: ClientCredentials, token: string): void;
  /** How many tokens were fetched (for tests and the journal's reader). */
  fetched(): number;
}

/** A token is fetched again this long before it expires (a tenth of its life at most) [INF]. */
const EARLY_REFRESH_MS = 30_000;

function keyOf(c: ClientCredentials): string {
  return createHash('sha256')
    .update(JSON.stringify([c.tokenUrl, c.clientId, c.clientSecret, c.clientAuth]))
    .digest('hex');
}

/** Tokens per client, on the virtual clock (lab/clock.ts): advancing it past a token's life makes it refresh. */
export function createTokenCache(
  clock: Clock,
  exchange: (url: string, request: TokenRequest, signal?: AbortSignal) => Promise<TokenEndpointReply>,
): TokenCache {
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<TokenResult>>();
  let count = 0;

  async function fetchToken(key: string, credentials: ClientCredentials, signal?: AbortSignal): Promise<TokenResult> {
    count++;
    const reply = await exchange(credentials.tokenUrl, tokenRequest(credentials), signal);
    const read = readTokenReply(reply);
    if ('detail' in read) return { failure: { ...reply, detail: read.detail } };
    const now = clock.now().getTime();
    const early = read.expiresInMs === undefined ? 0 : Math.min(EARLY_REFRESH_MS, read.expiresInMs / 10);
    cache.set(key, {
      token: read.token,
      ...(read.expiresInMs !== undefined && { refreshAtMs: now + read.expiresInMs - early }),
    });
    return { token: read.token };
  }

  return {
    async get(credentials, signal) {
      const key = keyOf(credentials);
      const cached = cache.get(key);
      if (cached && (cached.refreshAtMs === undefined || clock.now().getTime() < cached.refreshAtMs))
        return { token: cached.token };
      // Jobs run in parallel: one token request per client at a time, shared by every job that waits for it.
      let pending = inFlight.get(key);
      if (!pending) {
        pending = fetchToken(key, credentials, signal).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
    invalidate(credentials, token) {
      const key = keyOf(credentials);
      if (cache.get(key)?.token === token) cache.delete(key);
    },
    fetched: () => count,
  };
}
