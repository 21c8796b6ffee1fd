// The only file in scim/ that knows express: parsing, auth, rendering errors. Handlers stay a line or two.
import { isUtf8 } from 'node:buffer';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { findToken } from './auth';
import { isScimError, scimErrors, type ScimError } from './errors';
import { SCIM_CONTENT_TYPE } from './urns';

export const SCIM_CONTENT_TYPE_HEADER = `${SCIM_CONTENT_TYPE}; charset=utf-8`;

/**
 * Writes a SCIM response: `application/scim+json; charset=utf-8` (RFC 7644 §3.1, §8.1).
 * The body is written with `res.end`, not `res.send`, so express adds no ETag of its own and never answers
 * 304 by itself: an ETag is sent only when the caller passes one in `headers` (RFC 7644 §3.14).
 * A 204 or an undefined body is sent without a body.
 */
export function sendScim(res: Response, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  writeJson(res, status, body, headers, SCIM_CONTENT_TYPE_HEADER);
}

function writeJson(
  res: Response,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  contentType: string,
): void {
  res.status(status).set(headers);
  if (body === undefined || status === 204 || status === 304) {
    res.end();
    return;
  }
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.set('Content-Type', contentType).set('Content-Length', String(payload.length)).end(payload);
}

export interface ScimJsonParserOptions {
  /** The largest accepted body, in bytes or as a body-parser size string. Default '1mb'. */
  limit?: string | number;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPES = new Set(['application/json', SCIM_CONTENT_TYPE]);

/**
 * Parses JSON bodies of POST, PUT and PATCH sent as `application/scim+json` or `application/json`
 * (RFC 7644 §8.1: servers accept both; parameters such as `charset=utf-8` are allowed).
 * - another Content-Type → 415; so does a body without a Content-Type: the server cannot know what it is,
 *   and guessing JSON would hide a client bug (RFC 9110 §8.3 leaves the recipient free);
 * - invalid JSON → 400 invalidSyntax with the parser's message; larger than `limit` → 413;
 * - a charset other than UTF-*, or any Content-Encoding but identity → 415. Node aborts a request when the client
 *   half-closes its socket, so a compressed body, whose inflation finished after that, got no answer at all (issue 18);
 *   refusing it is decided from the headers alone, before the body is read. SCIM bodies are small: none needs it;
 * - bytes that are not UTF-8 → 400 invalidSyntax (issue 18: decoding replaced them with U+FFFD and the user was
 *   created under a name the client never sent). RFC 8259 §8.1: JSON exchanged between systems "MUST be encoded
 *   using UTF-8". The check runs on the body as received, after gzip/deflate/br are undone.
 * Requests without a body (and GET/DELETE) pass through with `req.body` unset.
 */
export function scimJsonParser(options: ScimJsonParserOptions = {}): RequestHandler {
  const parse = express.json({
    type: () => true,
    limit: options.limit ?? '1mb',
    strict: true,
    inflate: false,
    verify: verifyUtf8,
  });
  return (req, res, next) => {
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) {
      next();
      return;
    }
    const type = mediaType(req.get('content-type'));
    if (type === undefined || !JSON_TYPES.has(type)) {
      const given = type === undefined ? 'no Content-Type' : `Content-Type '${type}'`;
      next(scimErrors.unsupportedMediaType(`${given}: send the body as ${SCIM_CONTENT_TYPE} or application/json`));
      return;
    }
    parse(req, res, (err?: unknown) => (err === undefined ? next() : next(fromHttpError(err) ?? err)));
  };
}

/**
 * A body-parser `verify` hook that refuses bytes which are not UTF-8. body-parser turns the error into a 403 carrying
 * `type: INVALID_UTF8`, which fromHttpError (and the mock PingOne's error mapping) turn into a 400.
 */
export function verifyUtf8(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) {
    throw Object.assign(new Error('the request body is not valid UTF-8'), { type: INVALID_UTF8 });
  }
}

export const INVALID_UTF8 = 'scim.body.invalid-utf8';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0].trim().toLowerCase();
  return type ? type : undefined;
}

export interface BearerAuthOptions {
  /** The tokens accepted now; a function is read on every request, so a revoked token stops working at once. */
  tokens: Iterable<string> | (() => Iterable<string>);
  /** The realm of the `WWW-Authenticate` challenge. Default 'scim'. */
  realm?: string;
  /** Called with the token that matched, e.g. to tell which provider made the request. */
  onAuthenticated?: (token: string, req: Request, res: Response) => void;
}

/**
 * RFC 6750 §2.1 bearer authentication. The scheme name is case-insensitive (RFC 9110 §11.1), so
 * `bearer x` is accepted. Tokens are compared in constant time against every accepted token.
 * The token that matched is put in `res.locals.scimToken`.
 *
 * Refusals are 401 with a SCIM Error body and `WWW-Authenticate: Bearer realm="…"` (RFC 6750 §3):
 * - no Authorization header, or another scheme such as Basic: no error code (§3.1: the request "lacks any
 *   authentication information");
 * - a Bearer credential that is wrong or malformed: `error="invalid_token"`. (§3.1 would allow 400
 *   invalid_request for a malformed one; SCIM clients handle 401 better, so it is 401 too.)
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  const realm = options.realm ?? 'scim';
  if (/["\\\r\n]/.test(realm))
    throw new TypeError(`bearerAuth: 'realm' must not contain quotes, backslashes or newlines`);
  const tokens = typeof options.tokens === 'function' ? options.tokens : () => options.tokens as Iterable<string>;
  return (req, res, next) => {
    const match = /^(\S+)(?:\s+(.*))?$/.exec((req.get('authorization') ?? '').trim());
    if (!match || match[1].toLowerCase() !== 'bearer') {
      next(scimErrors.unauthorized('a Bearer token is required (Authorization: Bearer <token>)', realm));
      return;
    }
    const given = (match[2] ?? '').trim();
    // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    const token = /^[A-Za-z0-9\-._~+/]+=*$/.test(given) ? findToken(given, tokens()) : undefined;
    if (token === undefined) {
      const err = scimErrors.unauthorized('the Bearer token is not valid', realm);
      err.headers['WWW-Authenticate'] += ', error="invalid_token"';
      next(err);
      return;
    }
    res.locals.scimToken = token;
    options.onAuthenticated?.(token, req, res);
    next();
  };
}

/** Maps errors of body-parser and of express (http-errors with a 4xx `status`) to SCIM errors. */
export function fromHttpError(err: unknown): ScimError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; message?: unknown; limit?: unknown };
  const message = typeof e.message === 'string' ? e.message : 'bad request';
  switch (e.type) {
    case 'entity.too.large':
      return scimErrors.payloadTooLarge(`the request body is larger than the limit of ${e.limit} bytes`);
    case 'entity.parse.failed':
      return scimErrors.invalidSyntax(`the request body is not valid JSON: ${message}`);
    case INVALID_UTF8:
      return scimErrors.invalidSyntax('the request body is not valid UTF-8 (RFC 8259 §8.1): send JSON as UTF-8');
    case 'encoding.unsupported':
      return scimErrors.unsupportedMediaType(`${message}: send the body uncompressed, without a Content-Encoding`);
    case 'charset.unsupported':
      return scimErrors.unsupportedMediaType(`${message}: send the body as UTF-8`);
  }
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  switch (status) {
    case 401:
      return scimErrors.unauthorized(message);
    case 403:
      return scimErrors.forbidden(message);
    case 404:
      return scimErrors.notFound(message);
    case 405:
      return scimErrors.methodNotAllowed(message);
    case 409:
      return scimErrors.conflict(message);
    case 412:
      return scimErrors.preconditionFailed(message);
    case 413:
      return scimErrors.payloadTooLarge(message);
    case 415:
      return scimErrors.unsupportedMediaType(message);
    case 429:
      return scimErrors.tooManyRequests(message);
    default:
      return scimErrors.badRequest(message);
  }
}

export interface ErrorLogger {
  error(message: string, err: unknown): void;
}

export interface ScimErrorHandlerOptions {
  /**
   * Render `{"error": "<detail>"}` as application/json instead of the SCIM Error body (the mock Code42's
   * `plain-json-errors` deviation). A function is read on every error, so the deviation can be switched live.
   */
  plainJson?: boolean | ((req: Request) => boolean);
  /** Render `status` as a JSON number instead of the string RFC 7644 §3.12 requires (the `status-as-number` deviation). */
  statusAsNumber?: boolean;
  /** Where unexpected errors are logged. Default: console.error. Request headers (tokens) are never logged. */
  logger?: ErrorLogger;
}

/**
 * THE one error renderer (RFC 7644 §3.12): a ScimError becomes its status, headers and Error body;
 * body-parser and express 4xx errors are mapped; anything else is logged and answered 500 with a
 * generic detail, so internals never reach the client.
 */
export function scimErrorHandler(options: ScimErrorHandlerOptions = {}): ErrorRequestHandler {
  const logger = options.logger ?? { error: (message: string, err: unknown) => console.error(message, err) };
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err); // express closes the connection; nothing sensible can be written any more
      return;
    }
    let scimError = isScimError(err) ? err : fromHttpError(err);
    if (!scimError) {
      logger.error(`unexpected error on ${req.method} ${req.path}`, err);
      scimError = scimErrors.internal('internal server error');
    }
    const plain = typeof options.plainJson === 'function' ? options.plainJson(req) : options.plainJson === true;
    if (plain)
      writeJson(
        res,
        scimError.status,
        { error: scimError.detail },
        scimError.headers,
        'application/json; charset=utf-8',
      );
    else {
      const body = scimError.toBody();
      sendScim(
        res,
        scimError.status,
        options.statusAsNumber ? { ...body, status: scimError.status } : body,
        scimError.headers,
      );
    }
  };
}

/** A handler for a path whose other methods are not supported: 405 with `Allow` (RFC 9110 §15.5.6). */
export function methodNotAllowed(allow: string): RequestHandler {
  return (req, _res, next) => {
    next(
      scimErrors.methodNotAllowed(
        `${req.method} is not allowed on ${req.baseUrl}${req.path}; allowed: ${allow}`,
        allow,
      ),
    );
  };
}

/** The last handler under the SCIM base path: an unknown endpoint is a 404 SCIM error. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(scimErrors.notFound(`there is no SCIM endpoint ${req.method} ${req.baseUrl}${req.path}`));
};
