import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string comparison. Both sides are hashed first, so neither the comparison time
 * nor a length check tells how long the expected value is.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/**
 * The accepted token equal to `given`, or undefined. Every candidate is compared, so the timing
 * does not tell which one matched or how many there are before it. Empty candidates never match.
 */
export function findToken(given: string, accepted: Iterable<string>): string | undefined {
  let found: string | undefined;
  for (const token of accepted) {
    if (token.length > 0 && safeEqual(given, token) && found === undefined) found = token;
  }
  return found;
}
