// The run's HAR 1.2 report: every exchange of the run, already redacted, in time order, written by the one HAR writer
// (lab/har.ts). Exchanges another party recorded (the mock PingOne's outbound journal) sit where they happened.
import { toHar as writeHar, type HarExchange, type HarLog } from '../../../lab/har';
import { inTimeOrder } from '../outcomes-evidence';
import type { Exchange, RecordedRequest, RecordedResponse } from '../types';

function textOf(message: RecordedRequest | RecordedResponse): string | undefined {
  if (message.text !== undefined) return message.text;
  if (message.body === undefined) return undefined;
  return typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
}

function harExchange(e: Exchange): HarExchange {
  const requestText = textOf(e.request);
  const responseText = e.response ? textOf(e.response) : undefined;
  return {
    startedAt: e.startedAt,
    durationMs: e.durationMs,
    method: e.request.method,
    url: e.request.url,
    requestHeaders: e.request.headers,
    ...(requestText === undefined ? {} : { requestText }),
    status: e.response?.status ?? 0,
    ...(e.response?.statusText === undefined ? {} : { statusText: e.response.statusText }),
    responseHeaders: e.response?.headers ?? {},
    ...(responseText === undefined ? {} : { responseText }),
    ...(e.error === undefined ? {} : { error: e.error }),
    ...(e.requirementId === undefined ? {} : { comment: e.requirementId }),
    custom: { _seq: e.seq, _from: e.from, _to: e.to },
  };
}

export function toHar(exchanges: readonly Exchange[], tool: { name: string; version: string }, dropped = 0): HarLog {
  return writeHar(inTimeOrder(exchanges).map(harExchange), tool, {
    ...(dropped > 0 ? { comment: `${dropped} older exchanges were dropped from this run's capped log` } : {}),
  });
}
