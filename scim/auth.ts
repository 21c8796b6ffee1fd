import { createHash, timingSafeEqual } from 'node:crypto';

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
