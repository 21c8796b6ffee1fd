// The one redactor of the project: the mocks' journals (lab/journal.ts) and the conformance reports (suites/engine)
// both hide credentials with it, so a token hidden in one place is hidden the same way everywhere.
//
// What it hides:
// - credential headers (Authorization, Cookie, …), whatever they hold;
// - values under credential keys (`password`, `client_secret`, `access_token`, …) in JSON bodies, forms and queries;
// - known secrets (the tokens a run or a mock was given): a secret of at least MIN_LITERAL_SECRET_LENGTH characters
//   wherever it appears (also URL-encoded); a shorter one only where it stands as a whole value — a header value
//   (or the credential after an auth scheme), a query value, a JSON string value. Replacing a one-letter token
//   everywhere would make every line unreadable, and a short secret inside a longer word is no leak of it.

export const REDACTED = '[redacted]';

/** Headers whose values are credentials whatever they contain. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/** Secrets shorter than this are redacted only as whole values (see the file comment). */
export const MIN_LITERAL_SECRET_LENGTH = 8;

/** Body keys (deep), form fields and query parameters whose values are credentials, without case, `_` or `-`. */
const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'access_token',
    'refresh_token',
    'id_token',
    'client_secret',
    'password',
    'token',
    'OAUTH_ACCESS_TOKEN',
    'BASIC_AUTH_PASSWORD',
    'OAUTH_CLIENT_SECRET',
    'CUSTOM_HEADER',
    'secret',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalizeKey(key));
}

/** The secret keys as a regular-expression alternation, for text that does not parse (truncated JSON, forms). */
export const SECRET_KEY_SOURCE =
  'access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|token|oauth[_-]?access[_-]?token|basic[_-]?auth[_-]?password|oauth[_-]?client[_-]?secret|custom[_-]?header|secret';

/**
 * A quoted secret key with `_` or `-` anywhere, without case: `"Pass_Word"`. With the `u` flag, `i` also folds the
 * Kelvin sign to `k`, as toLowerCase does in normalizeKey.
 */
export const QUOTED_SECRET_KEY = new RegExp(
  `"(?:${[...SECRET_KEYS].map((key) => `[-_]*${[...key].join('[-_]*')}[-_]*`).join('|')})"`,
  'iu',
);

/**
 * Deepest nesting `value()` keeps. A body nested 200,000 deep (which JSON.parse accepts) would overflow the stack of a
 * recursive walk; deeper parts are replaced by a note.
 */
export const MAX_REDACT_DEPTH = 64;
const TOO_DEEP = `[nested deeper than ${MAX_REDACT_DEPTH} levels]`;

export class Redactor {
  private readonly secrets = new Set<string>();
  /** Long secrets (and their URL-encoded forms), longest first so one containing another is wholly hidden. */
  private literals: string[] = [];

  constructor(secrets: Iterable<string | undefined | null> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || secret === '' || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    if (secret.length >= MIN_LITERAL_SECRET_LENGTH) {
      const forms = new Set([...this.literals, secret, encodeURIComponent(secret)]);
      this.literals = [...forms].sort((a, b) => b.length - a.length);
    }
  }

  /** Whether any secret was given. */
  get empty(): boolean {
    return this.secrets.size === 0;
  }

  /** Free text (a message, a reason, a URL's path): long secrets wherever they appear, short ones as the whole text. */
  text(value: string): string {
    if (this.secrets.has(value)) return REDACTED;
    let out = value;
    for (const secret of this.literals) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A value that stands whole (a JSON string, a query value): any secret equal to it, or long secrets inside it. */
  whole(value: string): string {
    // Decoding can only change a value that holds `%` or `+` (the journal redacts every header of every exchange).
    const encoded = value.includes('%') || value.includes('+');
    return this.secrets.has(value) || (encoded && this.secrets.has(safeDecode(value))) ? REDACTED : this.text(value);
  }

  /** A header value: credential headers entirely; otherwise a secret as the whole value or after an auth scheme. */
  header(name: string, value: string): string {
    if (SECRET_HEADERS.has(name.toLowerCase())) return REDACTED;
    const scheme = /^(\S+) (\S+)$/.exec(value);
    if (scheme && this.secrets.has(scheme[2])) return `${scheme[1]} ${REDACTED}`;
    return this.whole(value);
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) out[name] = this.header(name, value);
    return out;
  }

  /** A URL: query values under a secret key or equal to a secret, then long secrets anywhere. */
  url(url: string): string {
    const redactedQuery = url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (match, sep: string, key: string, value: string) =>
      isSecretKey(safeDecode(key)) || this.whole(value) === REDACTED ? `${sep}${key}=${REDACTED}` : match,
    );
    return this.text(redactedQuery);
  }

  /** An `application/x-www-form-urlencoded` body: as a query string. */
  form(text: string): string {
    return this.url(`?${text}`).slice(1);
  }

  /**
   * A deep copy of a JSON-like value: strings through `whole`, values under secret keys replaced, keys through `text`.
   * Buffers become their text; cycles and nesting beyond MAX_REDACT_DEPTH become notes.
   */
  value(value: unknown): unknown {
    return this.walk(value, new WeakSet(), 0);
  }

  private walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
    if (typeof value === 'string') return this.whole(value);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return this.whole(Buffer.from(value).toString('utf8'));
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_REDACT_DEPTH) return TOO_DEEP;
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item, seen, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[this.text(key)] = isSecretKey(key) ? REDACTED : this.walk(item, seen, depth + 1);
    }
    return out;
  }

  /**
   * Whether redacting this JSON text could change it: it holds a secret, a quoted name that folds to a secret key, or a
   * `\u` escape that could spell either. Only `false` is to be trusted (the journal's fast path keeps such text as is).
   */
  mayChangeJson(text: string): boolean {
    if (text.includes('\\u')) return true;
    for (const secret of this.secrets) if (text.includes(secret)) return true;
    return QUOTED_SECRET_KEY.test(text);
  }

  /** JSON text that does not parse (e.g. truncated): `"key": "value"` pairs under secret keys, then `text`. */
  jsonText(text: string): string {
    const re = new RegExp(`("(?:${SECRET_KEY_SOURCE})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'gi');
    return this.text(text.replace(re, `$1"${REDACTED}"`));
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
