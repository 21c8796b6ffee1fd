import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { scimErrors } from '../scim/errors';

/**
 * Constant-time string comparison. Both sides are hashed first so that neither the
 * comparison time nor an early length check reveals how long the expected value is.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** RFC 6750 §2.1: `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return match ? match[1] : undefined;
}

/** True when `given` equals one of `accepted`; every candidate is compared, so timing does not tell which. */
export function matchesAnyToken(given: string, accepted: readonly string[]): boolean {
  let ok = false;
  for (const token of accepted) {
    if (token.length > 0 && safeEqual(given, token)) ok = true;
  }
  return ok;
}

/**
 * Express middleware: lets the request through only with `Authorization: Bearer <token>` for one of the
 * accepted tokens (a string, or a function read on every request so revoked tokens stop working at once).
 * Otherwise it passes `scimErrors.unauthorized` (401 + `WWW-Authenticate: Bearer realm="…"`) to the error handler.
 */
export function requireBearer(tokens: string | (() => readonly string[]), realm: string): RequestHandler {
  const accepted = typeof tokens === 'string' ? () => [tokens] : tokens;
  return (req, _res, next) => {
    const given = bearerToken(req.get('authorization'));
    if (given === undefined) {
      next(scimErrors.unauthorized('authorization: a Bearer token is required', realm));
    } else if (!matchesAnyToken(given, accepted())) {
      next(scimErrors.unauthorized('authorization: the Bearer token is not valid here', realm));
    } else {
      next();
    }
  };
}
