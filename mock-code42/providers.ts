import { randomBytes, randomUUID } from 'node:crypto';
import type { AcceptedCredentials } from '../scim/auth';
import { scimErrors } from '../scim/errors';

/** "Add SCIM provider" in the Code42 console (seed, the Code42 entries of docs/sources.md): each provider gets its own token. */
export interface Provider {
  id: string;
  name: string;
  token: string;
  createdAt: string;
  revokedAt?: string;
  /**
   * OAuth 2 client credentials (RFC 6749 §4.4), given when the provider is added with `clientCredentials`: the
   * mock's token endpoint (oauth.ts) issues access tokens for them [INF: Code42 documents only its OAuth token].
   */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of the access tokens issued to this client, in seconds. */
  tokenLifetimeSeconds?: number;
  /** HTTP Basic credentials (RFC 7617), given when the provider is added with `basic` [INF, lab-only]. */
  basicUser?: string;
  basicPassword?: string;
}

/** What `/__admin/providers` may ask for besides the name. */
export interface ProviderRequest {
  name: string;
  clientCredentials?: boolean;
  tokenLifetimeSeconds?: number;
  basic?: boolean;
}

/** An access token issued at the token endpoint: short-lived, not exported with the state. */
export interface IssuedToken {
  token: string;
  providerId: string;
  expiresAtMs: number;
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
const REDACTED_AFTER_EXPIRY_MS = 86_400_000;

export function newToken(): string {
  return randomBytes(24).toString('hex'); // hex: a generated token never starts with '-', which argv parsers read as an option
}

/** The SCIM providers of one Code42 tenant and their tokens. */
export interface Providers {
  add(name: string, token?: string, extras?: Omit<ProviderRequest, 'name'>): Provider;
  /** Copies, for export and for the admin surface. */
  list(): Provider[];
  get(id: string): Provider | undefined;
  /** Revoking keeps the record (for the journal's sake) but its token stops working, and so do its issued tokens. */
  revoke(id: string): Provider | undefined;
  /** The tokens that authenticate now (issued access tokens included until they expire). */
  activeTokens(): readonly string[];
  /** The Basic credentials that authenticate now, each `user:password`. */
  basicCredentials(): readonly string[];
  /** What the SCIM routes accept: the active tokens (issued ones included) and the Basic credentials. */
  scimCredentials(): AcceptedCredentials;
  /** Every secret ever issued, revoked ones too (the journal redacts them all). The same array until a change. */
  allTokens(): readonly string[];
  /** The provider of a token, an issued access token or Basic `user:password`. */
  byToken(token: string): Provider | undefined;
  /** The active provider with this OAuth client id. */
  byClientId(clientId: string): Provider | undefined;
  /** Issues an access token to the provider (oauth.ts), valid for its lifetime on the mock's clock. */
  issue(provider: Provider): IssuedToken;
  import(list: Provider[]): void;
}

/** Reads a `POST /__admin/providers` body; refuses it, naming the field, when it is wrong. */
export function parseProviderRequest(body: unknown): ProviderRequest {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { name, clientCredentials, tokenLifetimeSeconds, basic } = input;
  if (typeof name !== 'string' || !name.trim() || name.length > 200)
    throw scimErrors.invalidValue(`providers: 'name' must be a non-empty string of at most 200 characters`);
  for (const [key, value] of Object.entries({ clientCredentials, basic }))
    if (value !== undefined && typeof value !== 'boolean')
      throw scimErrors.invalidValue(`providers: '${key}' must be true or false`);
  if (
    tokenLifetimeSeconds !== undefined &&
    (!Number.isInteger(tokenLifetimeSeconds) ||
      (tokenLifetimeSeconds as number) < 1 ||
      (tokenLifetimeSeconds as number) > 86_400)
  )
    throw scimErrors.invalidValue(`providers: 'tokenLifetimeSeconds' must be an integer from 1 to 86400`);
  if (tokenLifetimeSeconds !== undefined && clientCredentials !== true)
    throw scimErrors.invalidValue(`providers: 'tokenLifetimeSeconds' needs 'clientCredentials': true`);
  return {
    name: name.trim(),
    ...(clientCredentials === true && { clientCredentials: true }),
    ...(tokenLifetimeSeconds !== undefined && { tokenLifetimeSeconds: tokenLifetimeSeconds as number }),
    ...(basic === true && { basic: true }),
  };
}

/** What `POST /__admin/providers` answers: the credentials, shown this once, and where to use them. */
export function providerCreatedView(provider: Provider, baseUrl: string): Record<string, unknown> {
  return {
    id: provider.id,
    name: provider.name,
    baseUrl,
    token: provider.token,
    ...(provider.clientId !== undefined && {
      tokenUrl: new URL('/oauth/token', baseUrl).href,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      tokenLifetimeSeconds: provider.tokenLifetimeSeconds,
    }),
    ...(provider.basicUser !== undefined && { basicUser: provider.basicUser, basicPassword: provider.basicPassword }),
  };
}

/** What `GET /__admin/providers` lists: no secret, and which schemes each provider may use. */
export function providerListView(provider: Provider): Record<string, unknown> {
  const { token: _t, clientSecret: _s, basicPassword: _p, ...rest } = provider;
  return rest;
}

// eslint-disable-next-line max-lines-per-function -- one closure over the providers and their issued tokens; each method is a line or a few
export function createProviders(now: () => Date): Providers {
  let providers: Provider[] = [];
  let issued: IssuedToken[] = [];
  // Read on every request (authentication) and every journal entry (redaction): built once per change, not per call.
  let lists: { all: readonly string[]; active: readonly string[]; basic: readonly string[] } | undefined;
  let nextExpiryMs = Infinity;
  const changed = () => {
    lists = undefined;
  };
  const live = () => providers.filter((p) => !p.revokedAt);
  const tokenLists = () => {
    const nowMs = now().getTime();
    if (lists && nowMs < nextExpiryMs) return lists;
    // An expired token stops authenticating at once; it stays redacted in the journal for a day, then is forgotten.
    issued = issued.filter((t) => t.expiresAtMs + REDACTED_AFTER_EXPIRY_MS > nowMs);
    const liveIds = new Set(live().map((p) => p.id));
    const current = issued.filter((t) => t.expiresAtMs > nowMs && liveIds.has(t.providerId));
    nextExpiryMs = current.reduce((min, t) => Math.min(min, t.expiresAtMs), Infinity);
    lists = {
      all: providers
        .flatMap((p) => [p.token, p.clientSecret, p.basicPassword])
        .concat(issued.map((t) => t.token))
        .filter((s): s is string => s !== undefined),
      active: live()
        .map((p) => p.token)
        .concat(current.map((t) => t.token)),
      basic: live()
        .filter((p) => p.basicUser !== undefined)
        .map((p) => `${p.basicUser}:${p.basicPassword}`),
    };
    return lists;
  };
  const accepted: AcceptedCredentials = { bearer: () => tokenLists().active, basic: () => tokenLists().basic };
  return {
    add(name, token = newToken(), extras = {}) {
      const provider: Provider = { id: randomUUID(), name, token, createdAt: now().toISOString() };
      if (extras.clientCredentials) {
        provider.clientId = randomUUID();
        provider.clientSecret = newToken();
        provider.tokenLifetimeSeconds = extras.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
      }
      if (extras.basic) {
        provider.basicUser = `scim-${randomBytes(4).toString('hex')}`;
        provider.basicPassword = newToken();
      }
      providers.push(provider);
      changed();
      return provider;
    },
    list: () => providers.map((p) => ({ ...p })),
    get: (id) => providers.find((p) => p.id === id),
    revoke(id) {
      const provider = providers.find((p) => p.id === id && !p.revokedAt);
      if (provider) provider.revokedAt = now().toISOString();
      changed();
      return provider;
    },
    activeTokens: () => tokenLists().active,
    basicCredentials: () => tokenLists().basic,
    scimCredentials: () => accepted,
    allTokens: () => tokenLists().all,
    byToken(token) {
      const nowMs = now().getTime();
      const providerId = issued.find((t) => t.token === token && t.expiresAtMs > nowMs)?.providerId;
      return live().find(
        (p) => p.token === token || p.id === providerId || `${p.basicUser}:${p.basicPassword}` === token,
      );
    },
    byClientId: (clientId) => live().find((p) => p.clientId !== undefined && p.clientId === clientId),
    issue(provider) {
      const lifetimeMs = (provider.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000;
      const token: IssuedToken = {
        token: newToken(),
        providerId: provider.id,
        expiresAtMs: now().getTime() + lifetimeMs,
      };
      issued.push(token);
      changed();
      return token;
    },
    import(list) {
      providers = list.map((p) => ({ ...p }));
      issued = [];
      changed();
    },
  };
}
