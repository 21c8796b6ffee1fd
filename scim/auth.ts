import { createHash, timingSafeEqual } from 'node:crypto';
import { scimErrors } from './errors';

/**
 * Constant-time string comparison. Both sides are hashed first, so neither the comparison time
 * nor a length check tells how long the expected value is.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * The accepted token equal to `given`, or undefined. Every candidate is compared, so the timing
 * does not tell which one matched or how many there are before it. Empty candidates never match.
 * `given` is hashed once per call and each accepted token once per process (ACCEPTED_DIGESTS): hashing both sides
 * on every request was a twentieth of the mock Code42's time under load (bench profile).
 */
export function findToken(given: string, accepted: Iterable<string>): string | undefined {
  const hashed = digest(given);
  let found: string | undefined;
  for (const token of accepted) {
    if (token.length > 0 && timingSafeEqual(hashed, acceptedDigest(token)) && found === undefined) found = token;
  }
  return found;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// Accepted tokens are few and long-lived (configured, generated or issued); the bound only guards against a caller
// that accepts a new token on every request.
const ACCEPTED_DIGESTS = new Map<string, Buffer>();
const MAX_ACCEPTED_DIGESTS = 10_000;

function acceptedDigest(token: string): Buffer {
  let hashed = ACCEPTED_DIGESTS.get(token);
  if (hashed === undefined) {
    if (ACCEPTED_DIGESTS.size >= MAX_ACCEPTED_DIGESTS) ACCEPTED_DIGESTS.clear();
    ACCEPTED_DIGESTS.set(token, (hashed = digest(token)));
  }
  return hashed;
}

/** The credentials a SCIM surface accepts now, by scheme. */
export interface AcceptedCredentials {
  /** RFC 6750 bearer tokens. */
  bearer: () => Iterable<string>;
  /** RFC 7617 Basic credentials, each as `user:password` (decoded); none when absent. */
  basic?: () => Iterable<string>;
}

/** Why a request was refused: the RFC 6750 §3.1 error code, when there is one, and the text for the SCIM detail. */
export interface AuthRefusal {
  detail: string;
  error?: 'invalid_token';
}

/**
 * Reads an Authorization header against the accepted credentials. Returns the matching credential (the token, or
 * `user:password` for Basic), or the refusal. The scheme name is case-insensitive (RFC 9110 §11.1). Basic is
 * accepted only where `basic` is given; elsewhere it is refused as a missing Bearer token.
 */
export function authenticate(
  header: string | undefined,
  accepted: AcceptedCredentials,
): { credential: string } | { refusal: AuthRefusal } {
  const match = /^(\S+)(?:\s+(.*))?$/.exec((header ?? '').trim());
  const scheme = match?.[1].toLowerCase();
  const given = (match?.[2] ?? '').trim();
  // Basic is offered only while some credential exists for it; otherwise it is refused as any other scheme.
  const basic = accepted.basic ? [...accepted.basic()] : [];
  if (scheme === 'basic' && basic.length > 0) {
    // RFC 7617 §2: base64 of user-id ":" password, in UTF-8.
    const decoded = /^[A-Za-z0-9+/]+=*$/.test(given) ? Buffer.from(given, 'base64').toString('utf8') : '';
    const found = decoded.includes(':') ? findToken(decoded, basic) : undefined;
    return found === undefined ? { refusal: { detail: 'the Basic credentials are not valid' } } : { credential: found };
  }
  if (scheme !== 'bearer') {
    const schemes = basic.length > 0 ? 'a Bearer token or Basic credentials are' : 'a Bearer token is';
    return { refusal: { detail: `${schemes} required (Authorization: Bearer <token>)` } };
  }
  // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  const token = /^[A-Za-z0-9\-._~+/]+=*$/.test(given) ? findToken(given, accepted.bearer()) : undefined;
  if (token === undefined) return { refusal: { detail: 'the Bearer token is not valid', error: 'invalid_token' } };
  return { credential: token };
}

/**
 * `authenticate`, refusing as RFC 6750 §3 says: 401 with `WWW-Authenticate: Bearer realm="…"`, and
 * `error="invalid_token"` for a Bearer token that is wrong or malformed. Returns the matching credential.
 */
export function checkCredentials(
  authorization: string | undefined,
  accepted: AcceptedCredentials,
  realm: string,
): string {
  const result = authenticate(authorization, accepted);
  if ('credential' in result) return result.credential;
  const err = scimErrors.unauthorized(result.refusal.detail, realm);
  if (result.refusal.error) err.headers['WWW-Authenticate'] += `, error="${result.refusal.error}"`;
  throw err;
}
