import { randomBytes } from 'node:crypto';
import type { Route, Surface } from '../lab/http-core';
import type { Clock } from '../lab/types';
import { findToken, safeEqual } from '../scim/auth';
import { isScimError } from '../scim/errors';
import { jsonReply } from '../scim/http';
import { readForm } from './body-readers';
import { p1Errors, PINGONE_REST } from './errors';

// The management API's credentials: the static API token, and access tokens issued by the
// client-credentials token endpoint `POST /{envId}/as/token` (RFC 6749 §4.4, PingOne's path).

export interface TokenOptions {
  clock: Clock;
  apiToken: string;
  clientId: string;
  clientSecret: string;
  lifetimeSeconds: number;
  environmentId: () => string;
}

/** The management API's credentials: the static API token and the access tokens the token endpoint issued. */
export interface Tokens {
  /** Accepts `Authorization: Bearer` with the API token or a live issued token; else throws the 401 PingOneError. */
  checkApiToken(authorization: string | undefined): void;
  /** The token endpoint, `POST /{envId}/as/token`, as a surface of the mock's own port. */
  surface(): Surface;
  /** The issued tokens that have not expired. */
  live(): string[];
  clear(): void;
}

export function createTokens(options: TokenOptions): Tokens {
  const { clock } = options;
  /** Issued token → expiry (virtual clock ms): advancing the clock expires them. */
  const issued = new Map<string, number>();

  function live(): string[] {
    const now = clock.nowMs();
    for (const [token, expires] of issued) if (expires <= now) issued.delete(token);
    return [...issued.keys()];
  }

  function issue() {
    live();
    const token = randomBytes(32).toString('hex');
    issued.set(token, clock.nowMs() + options.lifetimeSeconds * 1000);
    return token;
  }

  /** RFC 6750 §2.1: `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
  const bearer = (header: string | undefined) => /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];

  /** Accepts `Authorization: Bearer` with the API token or a live issued token; else throws the 401 PingOne body. */
  function checkApiToken(authorization: string | undefined): void {
    const given = bearer(authorization);
    if (given === undefined) throw p1Errors.accessFailed('A Bearer token is required (Authorization: Bearer <token>).');
    if (findToken(given, [options.apiToken, ...live()]) === undefined)
      throw p1Errors.accessFailed('The access token is not valid or has expired.');
  }

  function tokenResponse(authorization: string | undefined, body: Record<string, unknown>): TokenAnswer {
    const client = clientOf(authorization, body);
    if ('status' in client) return client;
    const idOk = safeEqual(client.clientId, options.clientId);
    const secretOk = safeEqual(client.clientSecret, options.clientSecret);
    if (!idOk || !secretOk) {
      return oauthError(401, 'invalid_client', 'Client authentication failed: unknown client or wrong secret.', {
        'WWW-Authenticate': 'Basic realm="pingone"',
      });
    }
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { access_token: issue(), token_type: 'Bearer', expires_in: options.lifetimeSeconds, scope: '' },
    };
  }

  /** `POST /{envId}/as/token`, form-encoded (RFC 6749 §4.4.2). */
  const route: Route = {
    path: '/:envId/as/token',
    readBody: readForm,
    handlers: {
      POST: (ctx) => {
        if (ctx.params.envId !== options.environmentId()) throw p1Errors.notFound('environment', ctx.params.envId);
        const answer = tokenResponse(ctx.get('authorization'), (ctx.body ?? {}) as Record<string, unknown>);
        return jsonReply(answer.body, answer.status, answer.headers);
      },
    },
  };

  return {
    checkApiToken,
    // Outside the API's /v1, without its guard; journaled like the API (the redactor hides the secrets).
    surface: () => ({
      ...PINGONE_REST,
      prefix: '',
      routes: [route],
      // Another method on the token endpoint is answered as an unknown route (404), as the mock always has.
      renderError: (err, ctx) =>
        PINGONE_REST.renderError(isScimError(err) && err.status === 405 ? PINGONE_REST.notFound(ctx) : err, ctx),
      journaled: true,
    }),
    live,
    clear: () => issued.clear(),
  };
}

/** What the token endpoint answers. */
interface TokenAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** RFC 6749 §5.2 error body (the token endpoint speaks OAuth, not the Platform API's error shape). */
function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}) {
  return { status, headers, body: { error, error_description: description } };
}

/** The grant type and the client's credentials of a token request, or the OAuth error that refuses it. */
function clientOf(
  authorization: string | undefined,
  body: Record<string, unknown>,
): TokenAnswer | { clientId: string; clientSecret: string } {
  // RFC 6749 §2.3.1: client_secret_basic or client_secret_post, not both.
  let clientId: unknown = body.client_id;
  let clientSecret: unknown = body.client_secret;
  const basic = /^Basic +(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    if (clientSecret !== undefined) {
      return oauthError(
        400,
        'invalid_request',
        'Use one client authentication method: HTTP Basic or client_secret in the body, not both.',
      );
    }
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding.
    clientId = decodeURIComponent(decoded.slice(0, colon < 0 ? undefined : colon));
    clientSecret = colon < 0 ? '' : decodeURIComponent(decoded.slice(colon + 1));
  }
  if (body.grant_type === undefined) return oauthError(400, 'invalid_request', 'grant_type is required.');
  if (body.grant_type !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      `grant_type '${String(body.grant_type)}' is not supported; use client_credentials.`,
    );
  }
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication is required (HTTP Basic or client_id and client_secret).',
      { 'WWW-Authenticate': 'Basic realm="pingone"' },
    );
  }
  return { clientId, clientSecret };
}
