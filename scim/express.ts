// The express adapter of scim/http.ts: the same parsing, auth and error rendering as express middleware, for users who
// build a SCIM server on express (and the test servers that do). The mocks themselves use the shells in lab/.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { scimErrors } from './errors';
import {
  checkBearer,
  checkRealm,
  errorReply,
  jsonBodyReader,
  scimReply,
  writeReply,
  type ErrorLogger,
  type ErrorReplyOptions,
} from './http';

/**
 * Writes a SCIM response: `application/scim+json; charset=utf-8` (RFC 7644 §3.1, §8.1). The body is written with
 * `res.end`, not `res.send`, so express adds no ETag of its own and never answers 304 by itself: an ETag is sent
 * only when the caller passes one in `headers` (RFC 7644 §3.14). A 204 or an undefined body is sent without a body.
 */
export function sendScim(res: Response, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  writeReply(res, scimReply(status, body, headers));
}

export interface ScimJsonParserOptions {
  /** The largest accepted body, in bytes or as a body-parser size string. Default '1mb'. */
  limit?: string | number;
}

/** Parses JSON bodies into `req.body` as `jsonBodyReader` (scim/http.ts) does; its errors go to the error handler. */
export function scimJsonParser(options: ScimJsonParserOptions = {}): RequestHandler {
  const read = jsonBodyReader(options);
  return (req, res, next) => {
    read(req, res).then(
      () => next(),
      (err: unknown) => next(err),
    );
  };
}

export interface BearerAuthOptions {
  /** The tokens accepted now; a function is read on every request, so a revoked token stops working at once. */
  tokens: Iterable<string> | (() => Iterable<string>);
  /** The realm of the `WWW-Authenticate` challenge. Default 'scim'. */
  realm?: string;
  /** Called with the token that matched, e.g. to tell which provider made the request. */
  onAuthenticated?: (token: string, req: Request, res: Response) => void;
}

/** RFC 6750 bearer authentication as middleware (`checkBearer`); the token that matched goes in `res.locals.scimToken`. */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  const realm = options.realm ?? 'scim';
  checkRealm(realm, 'bearerAuth');
  const tokens = typeof options.tokens === 'function' ? options.tokens : () => options.tokens as Iterable<string>;
  return (req, res, next) => {
    let token: string;
    try {
      token = checkBearer(req.get('authorization'), tokens(), realm);
    } catch (err) {
      next(err);
      return;
    }
    res.locals.scimToken = token;
    options.onAuthenticated?.(token, req, res);
    next();
  };
}

export interface ScimErrorHandlerOptions extends Omit<ErrorReplyOptions, 'plainJson'> {
  /** `plainJson` of errorReply; a function is read on every error, so the deviation can be switched live. */
  plainJson?: boolean | ((req: Request) => boolean);
}

/** errorReply (scim/http.ts) as express's error handler. */
export function scimErrorHandler(options: ScimErrorHandlerOptions = {}): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err); // express closes the connection; nothing sensible can be written any more
      return;
    }
    const plainJson = typeof options.plainJson === 'function' ? options.plainJson(req) : options.plainJson === true;
    writeReply(res, errorReply(err, `${req.method} ${req.path}`, { ...options, plainJson }));
  };
}

export type { ErrorLogger };

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
