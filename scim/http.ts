// SCIM over HTTP without a framework: what a handler answers (a Reply), how errors and JSON bodies become
// replies, bearer authentication and JSON body reading on node's own request. Both HTTP shells (lab/node-shell.ts,
// lab/express-shell.ts) and the express adapter (scim/express.ts) are built on these, so they answer alike.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import { findToken } from './auth';
import { isScimError, scimErrors, type ScimError } from './errors';
import { SCIM_CONTENT_TYPE } from './urns';

export const SCIM_CONTENT_TYPE_HEADER = `${SCIM_CONTENT_TYPE}; charset=utf-8`;
export const JSON_CONTENT_TYPE_HEADER = 'application/json; charset=utf-8';

/** What a handler answers: a status, headers, and a body serialised as JSON (or text sent as it is). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised with JSON.stringify; undefined (or a 204/304 status) sends no body. */
  body?: unknown;
  /** A body already serialised (a string or bytes), sent as it is with `type`. Takes precedence over `body`. */
  raw?: string | Buffer;
  /** The Content-Type of the body. Default: the surface's (SCIM's `application/scim+json; charset=utf-8`). */
  type?: string;
}

/** A SCIM response (RFC 7644 §3.1, §8.1). An ETag is sent only when passed in `headers` (RFC 7644 §3.14). */
export function scimReply(status: number, body?: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers, type: SCIM_CONTENT_TYPE_HEADER };
}

/** A plain JSON response (the admin surface, the PingOne management API). */
export function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body, headers, type: JSON_CONTENT_TYPE_HEADER };
}

export const noContent = (): Reply => ({ status: 204 });

/**
 * Writes a Reply on node's response: status, headers, Content-Type and Content-Length, then the body in one `end`.
 * A body serialised to a string is written as a string: node then sends the head and the body in one write, where a
 * Buffer would take a `writev` of two (the largest cost of a small answer, in bench/profile-summary.js's profiles).
 * Returns the body written (the journal keeps it), or undefined when there was none.
 */
export function writeReply(
  res: ServerResponse,
  reply: Reply,
  defaultType = SCIM_CONTENT_TYPE_HEADER,
): string | Buffer | undefined {
  res.statusCode = reply.status;
  if (reply.headers) for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  const empty = reply.status === 204 || reply.status === 304 || (reply.raw === undefined && reply.body === undefined);
  if (empty) {
    res.end();
    return undefined;
  }
  const payload = reply.raw ?? JSON.stringify(reply.body);
  res.setHeader('Content-Type', reply.type ?? defaultType);
  res.setHeader('Content-Length', typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length);
  res.end(payload, 'utf8');
  return payload;
}

export interface ErrorLogger {
  error(message: string, err: unknown): void;
}

export interface ErrorReplyOptions {
  /** Render `{"error": "<detail>"}` as application/json instead of the SCIM Error body (`plain-json-errors`). */
  plainJson?: boolean;
  /** Render `status` as a JSON number instead of the string RFC 7644 §3.12 requires (`status-as-number`). */
  statusAsNumber?: boolean;
  /** Where unexpected errors are logged. Default: console.error. Request headers (tokens) are never logged. */
  logger?: ErrorLogger;
}

/**
 * THE one error renderer (RFC 7644 §3.12): a ScimError becomes its status, headers and Error body; body-parser
 * and express 4xx errors are mapped; anything else is logged and answered 500 with a generic detail, so internals
 * never reach the client. `where` names the request in the log line.
 */
export function errorReply(err: unknown, where: string, options: ErrorReplyOptions = {}): Reply {
  let scimError = isScimError(err) ? err : fromHttpError(err);
  if (!scimError) {
    const logger = options.logger ?? { error: (message: string, e: unknown) => console.error(message, e) };
    logger.error(`unexpected error on ${where}`, err);
    scimError = scimErrors.internal('internal server error');
  }
  if (options.plainJson) return jsonReply({ error: scimError.detail }, scimError.status, scimError.headers);
  const body = scimError.toBody();
  return scimReply(
    scimError.status,
    options.statusAsNumber ? { ...body, status: scimError.status } : body,
    scimError.headers,
  );
}

/**
 * RFC 6750 §2.1 bearer authentication of one request: the accepted token that `authorization` carries, or a
 * ScimError to throw. The scheme name is case-insensitive (RFC 9110 §11.1), so `bearer x` is accepted; tokens are
 * compared in constant time against every accepted token. Refusals are 401 with
 * `WWW-Authenticate: Bearer realm="…"` (RFC 6750 §3): no error code when no Bearer credential was sent (§3.1: the
 * request "lacks any authentication information"), `error="invalid_token"` for a wrong or malformed one (§3.1
 * would allow 400 invalid_request for a malformed one; SCIM clients handle 401 better).
 */
export function checkBearer(authorization: string | undefined, accepted: Iterable<string>, realm: string): string {
  const match = /^(\S+)(?:\s+(.*))?$/.exec((authorization ?? '').trim());
  if (!match || match[1].toLowerCase() !== 'bearer')
    throw scimErrors.unauthorized('a Bearer token is required (Authorization: Bearer <token>)', realm);
  const given = (match[2] ?? '').trim();
  // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  const token = /^[A-Za-z0-9\-._~+/]+=*$/.test(given) ? findToken(given, accepted) : undefined;
  if (token === undefined) {
    const err = scimErrors.unauthorized('the Bearer token is not valid', realm);
    err.headers['WWW-Authenticate'] += ', error="invalid_token"';
    throw err;
  }
  return token;
}

/** A realm goes inside a quoted string of `WWW-Authenticate`: refused when it could break out of it. */
export function checkRealm(realm: string, who: string): void {
  if (/["\\\r\n]/.test(realm)) throw new TypeError(`${who}: 'realm' must not contain quotes, backslashes or newlines`);
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPES = new Set(['application/json', SCIM_CONTENT_TYPE]);
export const INVALID_UTF8 = 'scim.body.invalid-utf8';

/**
 * A body-parser `verify` hook that refuses bytes which are not UTF-8. body-parser turns the error into a 403 carrying
 * `type: INVALID_UTF8`, which fromHttpError (and the mock PingOne's error mapping) turn into a 400.
 */
export function verifyUtf8(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) {
    throw Object.assign(new Error('the request body is not valid UTF-8'), { type: INVALID_UTF8 });
  }
}

/**
 * Reads the JSON body of a POST, PUT or PATCH sent as `application/scim+json` or `application/json`
 * (RFC 7644 §8.1: servers accept both; parameters such as `charset=utf-8` are allowed); anything else, and
 * requests without a body, give undefined.
 * - another Content-Type → 415; so does a body without a Content-Type: the server cannot know what it is,
 *   and guessing JSON would hide a client bug (RFC 9110 §8.3 leaves the recipient free);
 * - invalid JSON → 400 invalidSyntax with the parser's message; larger than `limit` → 413;
 * - a charset other than UTF-*, or any Content-Encoding but identity → 415, decided from the headers alone, before
 *   the body is read (Node aborts a request when the client half-closes its socket, so a compressed body whose
 *   inflation finished after that got no answer at all). SCIM bodies are small: none needs compression;
 * - bytes that are not UTF-8 → 400 invalidSyntax (RFC 8259 §8.1: JSON exchanged between systems "MUST be encoded
 *   using UTF-8"); decoding would replace them with U+FFFD and store a name the client never sent.
 * Errors are ScimErrors, for the caller to throw.
 */
export function jsonBodyReader(options: { limit?: string | number } = {}) {
  const parse = bodyParser.json({
    type: () => true,
    limit: options.limit ?? '1mb',
    strict: true,
    inflate: false,
    verify: verifyUtf8,
  });
  return (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    if (!BODY_METHODS.has(req.method ?? '') || !hasBody(req)) return Promise.resolve(undefined);
    const type = mediaType(req.headers['content-type']);
    if (type === undefined || !JSON_TYPES.has(type)) {
      const given = type === undefined ? 'no Content-Type' : `Content-Type '${type}'`;
      return Promise.reject(
        scimErrors.unsupportedMediaType(`${given}: send the body as ${SCIM_CONTENT_TYPE} or application/json`),
      );
    }
    return new Promise((resolve, reject) => {
      parse(req, res, (err?: unknown) =>
        err === undefined ? resolve((req as { body?: unknown }).body) : reject(fromHttpError(err) ?? err),
      );
    });
  };
}

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0].trim().toLowerCase();
  return type ? type : undefined;
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
  return STATUS_ERRORS[status]?.(message) ?? scimErrors.badRequest(message);
}

const STATUS_ERRORS: Record<number, (message: string) => ScimError> = {
  401: (m) => scimErrors.unauthorized(m),
  403: (m) => scimErrors.forbidden(m),
  404: (m) => scimErrors.notFound(m),
  405: (m) => scimErrors.methodNotAllowed(m),
  409: (m) => scimErrors.conflict(m),
  412: (m) => scimErrors.preconditionFailed(m),
  413: (m) => scimErrors.payloadTooLarge(m),
  415: (m) => scimErrors.unsupportedMediaType(m),
  429: (m) => scimErrors.tooManyRequests(m),
};
