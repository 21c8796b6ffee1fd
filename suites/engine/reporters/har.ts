// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of every exchange of the run, already redacted.
import type { Exchange, RecordedRequest, RecordedResponse } from '../types';

interface HarPair {
  name: string;
  value: string;
}

const pairs = (headers: Record<string, string>): HarPair[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));

function bodyText(message: RecordedRequest | RecordedResponse): string | undefined {
  if (message.text !== undefined) return message.text;
  if (message.body === undefined) return undefined;
  return typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
}

function queryString(url: string): HarPair[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

export function toHar(exchanges: readonly Exchange[], tool: { name: string; version: string }, dropped = 0): object {
  return {
    log: {
      version: '1.2',
      creator: { name: tool.name, version: tool.version },
      ...(dropped > 0 ? { comment: `${dropped} older exchanges were dropped from this run's capped log` } : {}),
      entries: exchanges.map((e) => {
        const requestText = bodyText(e.request);
        const responseText = e.response ? bodyText(e.response) : undefined;
        const responseHeaders = e.response?.headers ?? {};
        return {
          startedDateTime: e.startedAt,
          time: e.durationMs,
          request: {
            method: e.request.method,
            url: e.request.url,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(e.request.headers),
            queryString: queryString(e.request.url),
            ...(requestText === undefined
              ? {}
              : { postData: { mimeType: header(e.request.headers, 'content-type') ?? '', text: requestText } }),
            headersSize: -1,
            bodySize: requestText === undefined ? 0 : Buffer.byteLength(requestText),
          },
          response: {
            // HAR: 0 when no response was received.
            status: e.response?.status ?? 0,
            statusText: e.response?.statusText ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(responseHeaders),
            content: {
              size: responseText === undefined ? 0 : Buffer.byteLength(responseText),
              mimeType: header(responseHeaders, 'content-type') ?? '',
              ...(responseText === undefined ? {} : { text: responseText }),
            },
            redirectURL: header(responseHeaders, 'location') ?? '',
            headersSize: -1,
            bodySize: responseText === undefined ? -1 : Buffer.byteLength(responseText),
          },
          cache: {},
          timings: { send: 0, wait: e.durationMs, receive: 0 },
          ...(e.requirementId === undefined ? {} : { comment: e.requirementId }),
          _seq: e.seq,
          _from: e.from,
          _to: e.to,
          ...(e.error === undefined ? {} : { _error: e.error }),
        };
      }),
    },
  };
}
