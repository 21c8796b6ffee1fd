import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import { INVALID_UTF8 } from '../scim/http';

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

/** The one error type of the management API, rendered in one place (`pingOneErrorHandler`). */
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

/** The express error handler of the management API: PingOneError → its body; body-parser errors → 400; else 500. */
export const pingOneErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const error = toPingOneError(err);
  res.status(error.status).set(error.headers).json(error.toBody());
};

function toPingOneError(err: unknown): PingOneError {
  if (err instanceof PingOneError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return p1Errors.malformed(`The request body is not valid JSON: ${e.message}`);
  if (e?.type === INVALID_UTF8) return p1Errors.malformed('The request body is not valid UTF-8.');
  if (e?.type === 'entity.too.large') return new PingOneError(413, 'INVALID_REQUEST', 'The request body is too large.');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new PingOneError(e.status, 'INVALID_REQUEST', e.message ?? 'The request could not be completed.');
  }
  return new PingOneError(500, 'UNEXPECTED_SERVER_ERROR', `Unexpected error: ${e?.message ?? String(err)}`);
}
