import type { Journal, JournalEntry, JournalMessage } from './types';
import { globToRegExp } from './glob';
import { bodyText, toHar as writeHar, type HarExchange, type HarLog } from './har';
import { MAX_REDACT_DEPTH, QUOTED_SECRET_KEY, REDACTED, Redactor } from './redact';
import { isObject } from '../scim/json';

// One redactor for journals and reports (lab/redact.ts); re-exported here for the journal's existing importers.
export { REDACTED, isSecretKey } from './redact';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** The journal's default byte cap: 2,000 POSTs of a typical user fit in about a tenth of it. */
export const DEFAULT_JOURNAL_MAX_BYTES = 32 * 1024 * 1024;

/**
 * What a journal keeps: every exchange, only those answered with an error (status 400 or above, or none at all: a
 * transport failure), or nothing.
 */
export type JournalMode = 'all' | 'errors' | 'off';
export const JOURNAL_MODES: readonly JournalMode[] = ['all', 'errors', 'off'];

export interface JournalOptions {
  /** Entries kept; the oldest are dropped first. Default 1000. */
  cap?: number;
  /**
   * Bytes kept, counted as the length of every string an entry holds (URL, headers, bodies as text) plus a fixed
   * overhead per entry; the oldest entries are dropped first. Default 32 MiB (DEFAULT_JOURNAL_MAX_BYTES).
   */
  maxBytes?: number;
  /** Which exchanges are kept. Default 'all'. */
  mode?: JournalMode;
  /**
   * Literal secrets (e.g. the mock's own tokens) replaced wherever they appear. A function is read on every record and
   * must return a new array when the secrets change: the journal filters an array once and reuses it while it is returned.
   */
  redact?: readonly string[] | (() => readonly string[]);
  /** Bodies larger than this (serialised, in bytes) are stored as a truncated string. Default 64 KiB. */
  maxBodyBytes?: number;
}

/**
 * A message as the ring keeps it. A JSON body is kept as its redacted text and parsed again when listed: one string
 * per body instead of an object graph, so that a full journal costs the garbage collector little (bench/run.js showed
 * the journal at a fifth of the mock Code42's CPU per request, most of it parsing, copying and re-serialising bodies).
 */
interface StoredMessage {
  headers: Record<string, string>;
  body?: unknown;
  json?: string;
}

/** An entry as the ring keeps it: its messages as StoredMessage, its effects as JSON text (parsed again when listed). */
type StoredEntry = Omit<JournalEntry, 'request' | 'response' | 'effects'> & {
  request: StoredMessage;
  response: StoredMessage;
  effects?: string;
};

/** Whether a journal in `mode` keeps an exchange answered with `status` (0: no answer) or replaced by an error. */
export function journalKeeps(mode: JournalMode, status: number, error?: string): boolean {
  if (mode === 'all') return true;
  if (mode === 'off') return false;
  return status === 0 || status >= 400 || error !== undefined;
}

/** A bounded ring of exchanges. Entries are redacted and truncated as they are recorded, never later. */
export function createJournal(options: JournalOptions = {}): Journal & { readonly mode: JournalMode } {
  const { cap, maxBytes, mode } = journalLimits(options);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const redactorOf = currentRedactor(options.redact);
  const ring = createRing(cap, maxBytes);
  const listeners = new Set<(entry: JournalEntry) => void>();

  return {
    mode,
    record(entry) {
      if (!journalKeeps(mode, entry.status, entry.error)) return;
      const stored = redactEntry(entry, redactorOf(), maxBodyBytes);
      ring.push(stored, entryBytes(stored));
      if (listeners.size > 0) for (const listener of listeners) listener(thaw(stored));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    list(query = {}) {
      const pathPattern = query.path === undefined ? undefined : pathMatcher(query.path);
      const method = query.method?.toUpperCase();
      const matched = ring
        .entries()
        .filter(
          (e) =>
            (method === undefined || e.method.toUpperCase() === method) &&
            (query.status === undefined || e.status === query.status) &&
            (query.direction === undefined || e.direction === query.direction) &&
            (pathPattern === undefined || pathPattern(urlPath(e.url))),
        );
      const newest = query.limit === undefined ? matched : matched.slice(Math.max(matched.length - query.limit, 0));
      return newest.map(thaw);
    },
    clear: () => ring.clear(),
    dropped: () => ring.dropped(),
    size: () => ring.size(),
    toHar: (creatorVersion = 'unknown') => toHar(ring.entries().map(thaw), creatorVersion),
  };
}

function journalLimits(options: JournalOptions): { cap: number; maxBytes: number; mode: JournalMode } {
  const cap = options.cap ?? 1000;
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`journal: 'cap' must be a positive integer, got ${cap}`);
  const maxBytes = options.maxBytes ?? DEFAULT_JOURNAL_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new RangeError(`journal: 'maxBytes' must be a positive integer, got ${maxBytes}`);
  const mode = options.mode ?? 'all';
  if (!JOURNAL_MODES.includes(mode))
    throw new RangeError(`journal: 'mode' must be one of ${JOURNAL_MODES.join(', ')}, got '${String(mode)}'`);
  return { cap, maxBytes, mode };
}

/** The redactor of the current secrets, built again only when `redact` returns another array. */
function currentRedactor(redact: JournalOptions['redact']): () => Redactor {
  const secrets = typeof redact === 'function' ? redact : () => redact as readonly string[] | undefined;
  let secretsSeen: readonly string[] | undefined;
  let redactor = new Redactor();
  return () => {
    const given = secrets();
    if (given !== secretsSeen) {
      secretsSeen = given;
      redactor = new Redactor(given ?? []);
    }
    return redactor;
  };
}

/** What an entry's objects cost beyond their strings (measured with bench/memory-breakdown.js, rounded up). */
const ENTRY_OVERHEAD_BYTES = 512;

/** The bytes an entry is counted for: every string it holds, and a fixed overhead for its objects. */
function entryBytes(entry: StoredEntry): number {
  let n = ENTRY_OVERHEAD_BYTES + entry.url.length + (entry.error?.length ?? 0) + (entry.provider?.length ?? 0);
  n += entry.effects?.length ?? 0;
  for (const message of [entry.request, entry.response]) {
    for (const name in message.headers) n += name.length + message.headers[name].length;
    if (message.json !== undefined) n += message.json.length;
    else if (typeof message.body === 'string') n += message.body.length;
    else if (message.body !== undefined) n += JSON.stringify(message.body)?.length ?? 0;
  }
  return n;
}

/**
 * A ring buffer capped in entries and in bytes: `start` is the oldest entry, `count` how many slots are used. The
 * newest entry is always kept, even alone over `maxBytes`.
 */
function createRing(cap: number, maxBytes: number) {
  const ring: (StoredEntry | undefined)[] = [];
  const sizes: number[] = [];
  let start = 0;
  let count = 0;
  let bytes = 0;
  let dropped = 0;
  const dropOldest = () => {
    bytes -= sizes[start];
    ring[start] = undefined;
    start = (start + 1) % cap;
    count--;
    dropped++;
  };
  return {
    push(entry: StoredEntry, size: number): void {
      while (count > 0 && (count === cap || bytes + size > maxBytes)) dropOldest();
      const slot = (start + count) % cap;
      ring[slot] = entry;
      sizes[slot] = size;
      bytes += size;
      count++;
    },
    entries(): StoredEntry[] {
      const out: StoredEntry[] = [];
      for (let i = 0; i < count; i++) out.push(ring[(start + i) % cap] as StoredEntry);
      return out;
    },
    clear(): void {
      ring.length = 0;
      sizes.length = 0;
      start = 0;
      count = 0;
      bytes = 0;
      dropped = 0;
    },
    dropped: () => dropped,
    size: () => count,
  };
}

/** A journal query's `path`: a glob when it has `*`, otherwise a substring of the URL's path. */
function pathMatcher(pattern: string): (path: string) => boolean {
  if (!pattern.includes('*')) return (path) => path.includes(pattern);
  const re = globToRegExp(pattern);
  return (path) => re.test(path);
}

function urlPath(url: string): string {
  try {
    return new URL(url, 'http://journal.invalid').pathname;
  } catch {
    return url.split(/[?#]/, 1)[0];
  }
}

// ---------------------------------------------------------------------------------------------------
// Redaction and truncation

function redactEntry(entry: JournalEntry, redactor: Redactor, maxBodyBytes: number): StoredEntry {
  const stored: StoredEntry = {
    time: entry.time,
    direction: entry.direction,
    ...(entry.provider !== undefined && { provider: redactor.text(entry.provider) }),
    method: entry.method,
    url: redactor.url(entry.url),
    status: entry.status,
    durationMs: entry.durationMs,
    request: redactMessage(entry.request, redactor, maxBodyBytes),
    response: redactMessage(entry.response, redactor, maxBodyBytes),
  };
  if (entry.error !== undefined) stored.error = redactor.text(entry.error);
  if (entry.effects !== undefined) stored.effects = JSON.stringify(entry.effects);
  return stored;
}

function redactMessage(message: JournalMessage | undefined, redactor: Redactor, maxBodyBytes: number): StoredMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message?.headers ?? {})) {
    const lower = name.toLowerCase();
    headers[lower] = redactor.header(lower, String(value));
  }
  const body = message?.body;
  if (body === undefined) return { headers };
  const contentType = headers['content-type'];
  // JSON text over the limit is cut before it is redacted (issue 18: redacting a 1 MB PATCH whole held the event loop
  // for 200 ms, and only its prefix is kept anyway).
  const long = longJsonText(body, headers, maxBodyBytes);
  if (long) return { headers, body: redactLongJson(long.text, long.bytes, maxBodyBytes, redactor) };
  // JSON text with nothing to redact, within the limit, is kept as it came: redacting it would change nothing.
  if (typeof body === 'string' && isJsonType(contentType) && !redactor.mayChangeJson(body) && shallowJson(body)) {
    if (Buffer.byteLength(body, 'utf8') <= maxBodyBytes) return { headers, json: body };
  }
  const redacted = redactBody(body, contentType, redactor);
  const text = typeof redacted === 'string' ? redacted : JSON.stringify(redacted);
  if (text === undefined) return { headers, body: redacted };
  const bytes = Buffer.byteLength(text, 'utf8');
  // Keeps a journal from eating memory: a body above the limit becomes a prefix of its text plus a marker.
  if (bytes > maxBodyBytes) return { headers, body: truncatedText(text, bytes, maxBodyBytes) };
  return typeof redacted === 'string' ? { headers, body: redacted } : { headers, json: text };
}

/** An entry as `list()` gives it: JSON bodies parsed again, so each caller gets its own copy. */
function thaw({ effects, ...entry }: StoredEntry): JournalEntry {
  return {
    ...entry,
    request: thawMessage(entry.request),
    response: thawMessage(entry.response),
    ...(effects !== undefined && { effects: JSON.parse(effects) as object[] }),
  };
}

function thawMessage(message: StoredMessage): JournalMessage {
  if (message.json === undefined) return { headers: { ...message.headers }, body: message.body };
  try {
    return { headers: { ...message.headers }, body: JSON.parse(message.json) };
  } catch {
    // JSON-typed text that is not JSON is listed as the text, as redactBody would have kept it.
    return { headers: { ...message.headers }, body: message.json };
  }
}

/**
 * The text of a JSON body over the limit, or undefined for any other body. A parsed body is measured by its
 * Content-Length first, so small bodies are not serialised twice. A body nested deeper than the redactor walks is left
 * to it, which cuts it (JSON.stringify would overflow the stack on it).
 */
function longJsonText(
  body: unknown,
  headers: Record<string, string>,
  maxBodyBytes: number,
): { text: string; bytes: number } | undefined {
  let text: string | undefined;
  if (typeof body === 'string') {
    if (!isJsonType(headers['content-type'])) return undefined;
    text = body;
  } else if (isObject(body) || Array.isArray(body)) {
    if (!(Number(headers['content-length']) > maxBodyBytes)) return undefined;
    try {
      text = JSON.stringify(body);
    } catch {
      return undefined;
    }
  }
  if (text === undefined || text.length * 3 <= maxBodyBytes) return undefined; // at most 3 UTF-8 bytes per unit
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > maxBodyBytes && shallowJson(text) ? { text, bytes } : undefined;
}

/**
 * The kept prefix of a JSON text over the limit, its secret string values redacted in the text. A prefix where that
 * cannot be done safely (a `\u` escape could spell a key; a secret key holds an object or array) is not kept.
 */
function redactLongJson(text: string, bytes: number, maxBodyBytes: number, redactor: Redactor): string {
  const prefix = truncatedText(text, bytes, maxBodyBytes);
  if (!redactor.mayChangeJson(prefix)) return prefix;
  const notKept = `[${bytes} bytes of JSON, not kept: over the journal's limit, and it may hold secrets]`;
  if (prefix.includes('\\u') || SECRET_KEY_WITH_NESTED_VALUE.test(prefix)) return notKept;
  return redactor.text(prefix.replace(SECRET_STRING_MEMBER, `$1"${REDACTED}"`));
}

/** `"pass_word": "…"` (any key QUOTED_SECRET_KEY finds), the value possibly cut off by truncation. */
const SECRET_STRING_MEMBER = new RegExp(`(${QUOTED_SECRET_KEY.source}\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'giu');
const SECRET_KEY_WITH_NESTED_VALUE = new RegExp(`${QUOTED_SECRET_KEY.source}\\s*:\\s*[[{]`, 'iu');

function redactBody(body: unknown, contentType: string | undefined, redactor: Redactor): unknown {
  if (typeof body !== 'string') return redactor.value(body);
  if (isJsonType(contentType)) {
    try {
      return redactor.value(JSON.parse(body));
    } catch {
      // Not parseable (e.g. already truncated): redact `"key": "value"` pairs in the text itself.
      return redactor.jsonText(body);
    }
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) return redactor.form(body);
  return redactor.text(body);
}

/** Whether JSON text nests no deeper than the redactor walks (brackets inside strings do not count). */
function shallowJson(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_REDACT_DEPTH) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}

/** The first `maxBytes` bytes of `text` (not splitting a character) and a marker with the full size. */
export function truncatedText(text: string, totalBytes: number, maxBytes: number): string {
  const prefix = Buffer.from(text, 'utf8')
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${prefix}…[truncated: ${totalBytes} bytes in total]`;
}

function isJsonType(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');
}

// ---------------------------------------------------------------------------------------------------
// HAR 1.2, written by the one HAR writer (lab/har.ts)

function toHar(entries: JournalEntry[], creatorVersion: string): HarLog {
  return writeHar(entries.map(harExchange), { name: 'scim-lab', version: creatorVersion });
}

/** A journal entry as the HAR writer takes it; `_direction` and `_provider` say who sent it, `_effects` what it changed. */
export function harExchange(entry: JournalEntry): HarExchange {
  const requestText = bodyText(entry.request.body);
  const responseText = bodyText(entry.response.body);
  return {
    startedAt: entry.time,
    durationMs: entry.durationMs,
    method: entry.method,
    url: entry.url,
    requestHeaders: entry.request.headers,
    ...(requestText === undefined ? {} : { requestText }),
    status: entry.status,
    responseHeaders: entry.response.headers,
    ...(responseText === undefined ? {} : { responseText }),
    ...(entry.error === undefined ? {} : { error: entry.error }),
    custom: {
      _direction: entry.direction,
      ...(entry.provider !== undefined && { _provider: entry.provider }),
      ...(entry.effects !== undefined && { _effects: entry.effects }),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Recording inbound exchanges (express) and outbound ones (the PingOne provisioner's SCIM client)

export type HeadersLike =
  Record<string, string | string[] | number | undefined> | Headers | Iterable<readonly [string, string]>;

/** Flattens any header shape into lower-case names with string values (repeated values joined with ", "). */
export function flattenHeaders(headers: HeadersLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const pairs: Iterable<readonly [string, unknown]> =
    Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[lower] = out[lower] === undefined ? text : `${out[lower]}, ${text}`;
  }
  return out;
}

export interface InboundExchange {
  /** When the request arrived (ISO 8601, on the mock's clock). */
  time: string;
  method: string;
  url: string;
  /** 0 when the connection closed before the response was complete. */
  status: number;
  durationMs: number;
  requestHeaders: HeadersLike;
  /** The parsed JSON body, or undefined. */
  requestBody: unknown;
  responseHeaders: HeadersLike;
  /** The response body as written (text or bytes), if any. */
  responseBody?: string | Buffer;
  provider?: string;
  error?: string;
  /** What the exchange changed beyond its resource (JournalEntry.effects). */
  effects?: object[];
  /** Response bytes kept at most. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** Records one inbound exchange (the pipeline of lab/pipeline.ts calls this when the response ends or the connection closes). */
export function recordInbound(journal: Journal, exchange: InboundExchange): void {
  const maxBytes = exchange.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sent = exchange.responseBody;
  let responseBody: string | undefined;
  if (typeof sent === 'string' && sent.length > 0) {
    // A string of n characters takes at least n bytes: only a long one may need the byte count.
    const total = sent.length > maxBytes / 3 ? Buffer.byteLength(sent, 'utf8') : sent.length;
    responseBody = total > maxBytes ? truncatedText(sent, total, maxBytes) : sent;
  } else if (Buffer.isBuffer(sent) && sent.length > 0) {
    const text = sent.subarray(0, maxBytes).toString('utf8');
    responseBody = sent.length > maxBytes ? truncatedText(text, sent.length, maxBytes) : text;
  }
  const entry: JournalEntry = {
    time: exchange.time,
    direction: 'inbound',
    method: exchange.method,
    url: exchange.url,
    status: exchange.status,
    durationMs: Math.round(exchange.durationMs),
    request: { headers: flattenHeaders(exchange.requestHeaders), body: exchange.requestBody ?? undefined },
    response: { headers: flattenHeaders(exchange.responseHeaders), body: responseBody },
  };
  if (exchange.provider !== undefined) entry.provider = exchange.provider;
  if (exchange.error !== undefined) entry.error = exchange.error;
  if (exchange.effects !== undefined && exchange.effects.length > 0) entry.effects = exchange.effects;
  journal.record(entry);
}

export interface OutboundExchange {
  method: string;
  url: string;
  requestHeaders?: HeadersLike;
  /** An object (sent as JSON) or the text sent. */
  requestBody?: unknown;
  /** 0 or undefined when no response arrived. */
  status?: number;
  responseHeaders?: HeadersLike;
  /** The parsed body or its text (parsed here when the content type is JSON). */
  responseBody?: unknown;
  durationMs: number;
  /** Why no (normal) response arrived, e.g. "connection reset" or "injected fault f-1: status 429". */
  error?: string;
  provider?: string;
  time?: Date;
}

/** Records one outbound exchange (the PingOne provisioner calls this after each SCIM request it makes). */
export function recordOutbound(journal: Journal, exchange: OutboundExchange): void {
  const requestHeaders = flattenHeaders(exchange.requestHeaders);
  const responseHeaders = flattenHeaders(exchange.responseHeaders);
  // A text body is passed on as text: record() parses JSON itself (or keeps clean JSON text as it is).
  const asBody = (body: unknown) => (body === '' ? undefined : body);
  const entry: JournalEntry = {
    time: (exchange.time ?? new Date()).toISOString(),
    direction: 'outbound',
    method: exchange.method.toUpperCase(),
    url: exchange.url,
    status: exchange.status ?? 0,
    durationMs: Math.round(exchange.durationMs),
    request: { headers: requestHeaders, body: asBody(exchange.requestBody) },
    response: { headers: responseHeaders, body: asBody(exchange.responseBody) },
  };
  if (exchange.provider !== undefined) entry.provider = exchange.provider;
  if (exchange.error !== undefined) entry.error = exchange.error;
  journal.record(entry);
}
