// The one HAR 1.2 writer (http://www.softwareishard.com/blog/har-12-spec/), for the mocks' `/__admin/journal.har`
// and the conformance run's `--report har=PATH`. Its input is already redacted (lab/redact.ts): it writes, never hides.
import { STATUS_CODES } from 'node:http';

/** One exchange as the writer needs it, whatever recorded it (a mock's journal, the run's exchange log). */
export interface HarExchange {
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The request body's text, when there was one. */
  requestText?: string;
  /** 0 when no response arrived (HAR 1.2). */
  status: number;
  /** Defaults to the standard phrase of `status`. */
  statusText?: string;
  responseHeaders: Record<string, string>;
  responseText?: string;
  /** Why no (normal) response arrived; written as the entry's `_error`. */
  error?: string;
  /** The entry's `comment`, e.g. the requirement id it belongs to. */
  comment?: string;
  /** Custom fields of the entry; HAR 1.2 wants their names to start with `_`. */
  custom?: Record<`_${string}`, unknown>;
}

export interface HarLog {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    comment?: string;
    entries: object[];
  };
}

interface HarPair {
  name: string;
  value: string;
}

const pairs = (headers: Record<string, string>): HarPair[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function queryString(url: string): HarPair[] {
  try {
    return [...new URL(url, 'http://har.invalid').searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** A body as HAR text: text as it is, anything else as JSON. */
export function bodyText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function entry(e: HarExchange): object {
  const answered = e.status !== 0;
  return {
    startedDateTime: e.startedAt,
    time: e.durationMs,
    request: {
      method: e.method,
      url: e.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(e.requestHeaders),
      queryString: queryString(e.url),
      ...(e.requestText === undefined
        ? {}
        : { postData: { mimeType: header(e.requestHeaders, 'content-type') ?? '', text: e.requestText } }),
      headersSize: -1,
      bodySize: e.requestText === undefined ? 0 : Buffer.byteLength(e.requestText, 'utf8'),
    },
    response: {
      status: e.status,
      statusText: e.statusText ?? (answered ? (STATUS_CODES[e.status] ?? '') : ''),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(e.responseHeaders),
      content: {
        size: e.responseText === undefined ? 0 : Buffer.byteLength(e.responseText, 'utf8'),
        mimeType: header(e.responseHeaders, 'content-type') ?? '',
        ...(e.responseText === undefined ? {} : { text: e.responseText }),
      },
      redirectURL: header(e.responseHeaders, 'location') ?? '',
      headersSize: -1,
      // HAR 1.2: -1 when the size is not known (no response), 0 for an empty body.
      bodySize: e.responseText === undefined ? (answered ? 0 : -1) : Buffer.byteLength(e.responseText, 'utf8'),
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    ...(e.comment === undefined ? {} : { comment: e.comment }),
    ...e.custom,
    ...(e.error === undefined ? {} : { _error: e.error }),
  };
}

export function toHar(
  exchanges: readonly HarExchange[],
  creator: { name: string; version: string },
  options: { comment?: string } = {},
): HarLog {
  return {
    log: {
      version: '1.2',
      creator: { name: creator.name, version: creator.version },
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      entries: exchanges.map(entry),
    },
  };
}
