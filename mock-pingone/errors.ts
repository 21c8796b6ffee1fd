import { randomUUID } from 'node:crypto';
import type { Ctx } from '../lab/http-core';
import { isScimError } from '../scim/errors';
import { INVALID_UTF8, JSON_CONTENT_TYPE_HEADER, jsonReply, type Reply } from '../scim/http';

/** PingOne Platform API top-level error codes (developer.pingidentity.com, "Error codes") that the mock uses. */
export type PingOneErrorCode =
  | 'INVALID_DATA'
  | 'INVALID_REQUEST'
  | 'NOT_FOUND'
  | 'UNIQUENESS_VIOLATION'
  | 'ACCESS_FAILED'
  | 'REQUEST_FAILED'
  | 'UNEXPECTED_SERVER_ERROR';

/** Detail-level codes (same page): what exactly is wrong with `target`. */
export type PingOneDetailCode =
  | 'INVALID_VALUE'
  | 'REQUIRED_VALUE'
  | 'SIZE_LIMIT_EXCEEDED'
  | 'UNIQUENESS_VIOLATION'
  | 'INVALID_FILTER'
  | 'CONSTRAINT_VIOLATION';

export interface PingOneErrorDetail {
  code: PingOneDetailCode;
  target?: string;
  message: string;
}

/** The PingOne error body: `{id, code, message, details[{code, target, message}]}`. */
export interface PingOneErrorBody {
  id: string;
  code: PingOneErrorCode;
  message: string;
  details?: PingOneErrorDetail[];
}

/** The one error type of the management API, rendered in one place (`pingOneErrorReply`). */
export class PingOneError extends Error {
  readonly status: number;
  readonly code: PingOneErrorCode;
  readonly details: PingOneErrorDetail[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: PingOneErrorCode,
    message: string,
    details: PingOneErrorDetail[] = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'PingOneError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  toBody(): PingOneErrorBody {
    const body: PingOneErrorBody = { id: randomUUID(), code: this.code, message: this.message };
    if (this.details.length > 0) body.details = this.details;
    return body;
  }
}

/** The catalogue: each constructor fixes the status PingOne pairs with the code. */
export const p1Errors = {
  /** 400: a field has a bad value; `target` names the field (e.g. "address.countryCode"). */
  invalidValue: (target: string, message: string) =>
    new PingOneError(
      400,
      'INVALID_DATA',
      'The request could not be completed. One or more validation errors were in the request.',
      [{ code: 'INVALID_VALUE', target, message }],
    ),
  required: (target: string) =>
    new PingOneError(
      400,
      'INVALID_DATA',
      'The request could not be completed. One or more validation errors were in the request.',
      [{ code: 'REQUIRED_VALUE', target, message: `${target} is required` }],
    ),
  invalidFilter: (message: string) =>
    new PingOneError(400, 'INVALID_DATA', 'The request could not be completed. The filter is not valid.', [
      { code: 'INVALID_FILTER', target: 'filter', message },
    ]),
  /** 400: the request is well-formed but not allowed in the current state (e.g. deleting a non-empty population). */
  invalidRequest: (message: string, target?: string) =>
    new PingOneError(400, 'INVALID_REQUEST', message, [
      { code: 'CONSTRAINT_VIOLATION', ...(target !== undefined && { target }), message },
    ]),
  malformed: (message: string) => new PingOneError(400, 'INVALID_REQUEST', message),
  uniqueness: (target: string, message: string) =>
    new PingOneError(
      409,
      'UNIQUENESS_VIOLATION',
      'The request could not be completed. There was an issue with the uniqueness of one or more values.',
      [{ code: 'UNIQUENESS_VIOLATION', target, message }],
    ),
  notFound: (what: string, id: string) => new PingOneError(404, 'NOT_FOUND', `Unable to find ${what} with id '${id}'.`),
  noRoute: (method: string, path: string) =>
    new PingOneError(404, 'NOT_FOUND', `The requested resource was not found: ${method} ${path}.`),
  accessFailed: (message: string) =>
    new PingOneError(
      401,
      'ACCESS_FAILED',
      `The request could not be completed. You do not have access to this resource. ${message}`,
      [],
      {
        'WWW-Authenticate': 'Bearer realm="pingone"',
      },
    ),
} as const;

/**
 * How the mock PingOne's surfaces answer an error (its management API, its token endpoint, its 404s): a PingOneError
 * becomes its status, headers and body; a body-parser error a 400 or 413; the pipeline's 405 names the allowed methods
 * in `Allow`; anything else a 500.
 */
export function pingOneErrorReply(err: unknown, ctx: Pick<Ctx, 'method'>): Reply {
  const error = toPingOneError(err, ctx.method);
  return jsonReply(error.toBody(), error.status, error.headers);
}

/** What the mock PingOne answers outside its surfaces' routes: the PingOne 404 body. */
export const PINGONE_REST = {
  notFound: (ctx: Pick<Ctx, 'method' | 'path'>) => p1Errors.noRoute(ctx.method, ctx.path),
  renderError: pingOneErrorReply,
  contentType: JSON_CONTENT_TYPE_HEADER,
};

function toPingOneError(err: unknown, method: string): PingOneError {
  if (err instanceof PingOneError) return err;
  if (isScimError(err) && err.status === 405) {
    const allow = err.headers.Allow ?? '';
    return new PingOneError(405, 'INVALID_REQUEST', `${method} is not allowed here (allowed: ${allow}).`, [], {
      Allow: allow,
    });
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return p1Errors.malformed(`The request body is not valid JSON: ${e.message}`);
  if (e?.type === INVALID_UTF8) return p1Errors.malformed('The request body is not valid UTF-8.');
  if (e?.type === 'entity.too.large') return new PingOneError(413, 'INVALID_REQUEST', 'The request body is too large.');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new PingOneError(e.status, 'INVALID_REQUEST', e.message ?? 'The request could not be completed.');
  }
  return new PingOneError(500, 'UNEXPECTED_SERVER_ERROR', `Unexpected error: ${e?.message ?? String(err)}`);
}
