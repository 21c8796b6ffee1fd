import type { RequestHandler } from 'express';
import { bearerAuth } from '../scim/express';

// One constant-time comparison for the whole project: the SCIM adapter's (scim/auth.ts).
export { safeEqual } from '../scim/auth';

/**
 * Lets a request through only with `Authorization: Bearer <token>` for one of the accepted tokens (a string,
 * or a function read on every request so that revoked tokens stop working at once). Otherwise the error
 * handler answers 401 with `WWW-Authenticate: Bearer realm="<realm>"` (RFC 6750 §3). Built on the SCIM
 * adapter's `bearerAuth`, so both surfaces refuse in the same way.
 */
export function requireBearer(tokens: string | (() => readonly string[]), realm: string): RequestHandler {
  return bearerAuth({ tokens: typeof tokens === 'string' ? [tokens] : tokens, realm });
}
