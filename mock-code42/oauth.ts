import type { IncomingMessage } from 'node:http';
import type { Surface } from '../lab/http-core';
import { safeEqual } from '../scim/auth';
import { scimErrors } from '../scim/errors';
import { errorReply, JSON_CONTENT_TYPE_HEADER } from '../scim/http';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, type Providers } from './providers';

// The mock Code42's OAuth 2 token endpoint, `POST /oauth/token` on the mock's port [INF: Code42 documents only the
// token it shows when a provider is added; this endpoint lets a lab prove the client-credentials grant end to end].
// RFC 6749 §4.4 (client credentials), §2.3.1 (client authentication), §5.1 and §5.2 (answers). Plain functions: the
// route hands over the request's parts and writes back what comes out.

/** The parts of the token request the endpoint reads. */
export interface TokenEndpointRequest {
  contentType?: string;
  /** The form fields, as express.urlencoded (or any form parser) read them. */
  form: unknown;
  authorization?: string;
}

export interface TokenEndpointReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

// RFC 6749 §5.1: "Cache-Control: no-store" and "Pragma: no-cache" on any answer that holds a token or credentials.
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** §5.2: an error answer; invalid_client is 401 with a Basic challenge (the client may have used Basic). */
function refusal(error: OAuthError, description: string): TokenEndpointReply {
  const status = error === 'invalid_client' ? 401 : 400;
  const headers: Record<string, string> = { ...NO_STORE };
  if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="code42-oauth"';
  return { status, headers, body: { error, error_description: description } };
}

/** RFC 6749 §2.3.1: Basic credentials are the form-encoded client id and secret. */
function basicClient(header: string): { id: string; secret: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
}

const field = (form: Record<string, unknown>, name: string): string | undefined =>
  typeof form[name] === 'string' ? (form[name] as string) : undefined;

/** One token request: §4.4.2 in, §5.1 or §5.2 out. Issues a token of the provider's lifetime. */
export function tokenEndpoint(providers: Providers, request: TokenEndpointRequest): TokenEndpointReply {
  if (!(request.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return refusal('invalid_request', 'the token request must be application/x-www-form-urlencoded (RFC 6749 §4.4.2)');
  const form = (typeof request.form === 'object' && request.form !== null ? request.form : {}) as Record<
    string,
    unknown
  >;
  const grant = field(form, 'grant_type');
  if (grant === undefined) return refusal('invalid_request', "the 'grant_type' parameter is missing");
  if (grant !== 'client_credentials')
    return refusal('unsupported_grant_type', `grant_type '${grant}' is not supported; use client_credentials`);
  const header = request.authorization?.trim();
  const inBody = field(form, 'client_secret') !== undefined;
  // §2.3: "The client MUST NOT use more than one authentication method in each request."
  if (header && inBody) return refusal('invalid_request', 'the client authenticated both with Basic and in the body');
  const client = header
    ? basicClient(header)
    : inBody
      ? { id: field(form, 'client_id') ?? '', secret: field(form, 'client_secret') ?? '' }
      : undefined;
  if (!client)
    return refusal('invalid_client', 'no client authentication (use HTTP Basic or client_id and client_secret)');
  const provider = providers.byClientId(client.id);
  // Both branches compare a secret, so the timing does not tell whether the client id exists.
  const secretOk = safeEqual(client.secret, provider?.clientSecret ?? '\u0000no-client');
  if (!provider || !secretOk) return refusal('invalid_client', 'the client id or secret is not valid');
  const issued = providers.issue(provider);
  return {
    status: 200,
    headers: { ...NO_STORE },
    body: {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: provider.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    },
  };
}

/** A token request is a few hundred bytes; past this it is refused before it is read whole. */
const FORM_LIMIT = 16 * 1024;

/** RFC 6749 Appendix B: reads an application/x-www-form-urlencoded body; any other type reads as no form. */
export async function readForm(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > FORM_LIMIT) throw scimErrors.payloadTooLarge(`the token request is larger than ${FORM_LIMIT} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (!type.startsWith('application/x-www-form-urlencoded')) return undefined;
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** `POST /oauth/token` on the mock's port: journaled like SCIM (the redactor hides the secrets), no SCIM guard. */
export function createTokenSurface(providers: Providers, logger: { error(m: string, e: unknown): void }): Surface {
  return {
    prefix: '/oauth',
    routes: [
      {
        path: '/token',
        readBody: readForm,
        handlers: {
          POST: (ctx) => ({
            ...tokenEndpoint(providers, {
              contentType: ctx.get('content-type'),
              form: ctx.body,
              authorization: ctx.get('authorization'),
            }),
            type: JSON_CONTENT_TYPE_HEADER,
          }),
        },
      },
    ],
    notFound: (ctx) => scimErrors.notFound(`there is no OAuth endpoint ${ctx.method} ${ctx.path}`),
    renderError: (err, ctx) => errorReply(err, `${ctx.method} ${ctx.path}`, { logger }),
    contentType: JSON_CONTENT_TYPE_HEADER,
    journaled: true,
  };
}
