// `scim-lab replay`: sends a capture's SCIM requests to a target in order, rewritten (lab/replay-map.ts), and compares
// each answer with the recorded one (lab/replay-compare.ts). docs/record-replay.md describes the rules.
import type { HarCapture, RecordedExchange } from './har-read';
import { ExchangeError, httpExchange, type ExchangeReply, type TlsTrust } from './http-exchange';
import { compareResponses, DEFAULT_MASKS, parsedBody, type Difference } from './replay-compare';
import { learnIds, Rewrites, uniqueValues } from './replay-map';

export type Pace = 'recorded' | 'fast';

export interface ReplayOptions {
  /** The target's SCIM base URL. */
  target: string;
  token?: string;
  /** Prepended to every unique value the recorded requests sent (userName, externalId, emails). */
  prefix?: string;
  /** `recorded` keeps the recorded gaps between requests; `fast` sends each as soon as the previous one is answered. */
  pace?: Pace;
  /** With `pace: 'recorded'`, the recorded gaps divided by this (`--pace 10x`: ten times faster). Default 1. */
  speedup?: number;
  /** Attribute paths left out of the comparison, besides `id` and `meta` (e.g. `name.formatted`). */
  masks?: readonly string[];
  tls?: TlsTrust;
  timeoutMs?: number;
  /** Waits `ms` (tests and `--pace recorded`); default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The time in ms (tests); default Date.now. */
  now?: () => number;
}

/** One replayed request and its verdict. */
export interface ReplayStep {
  /** The entry's 1-based position in the capture. */
  index: number;
  method: string;
  /** The path sent, relative to the target's base URL. */
  path: string;
  recordedStatus: number;
  /** 0 when no answer came. */
  status: number;
  /** Empty when the answer matches the recorded one. */
  differences: Difference[];
  /** Why no answer came (timeout, reset), from the recording or this run. */
  recordedError?: string;
  error?: string;
}

export interface ReplayResult {
  target: string;
  startedAt: string;
  durationMs: number;
  steps: ReplayStep[];
  /** Capture entries not replayed, with the reason (not a SCIM endpoint). */
  skipped: { index: number; url: string; reason: string }[];
  diverged: number;
}

/** A target that cannot be reached at all: no verdict, a usage problem (exit 2). */
export class TargetUnreachable extends Error {}

/** RFC 7644 §3.2: the endpoints a SCIM base URL serves. A recorded URL is rebased from the first of them. */
const SCIM_ENDPOINTS = /\/(Users|Groups|Me|ServiceProviderConfigs?|ResourceTypes|Schemas|Bulk|\.search)(?=[/?#]|$)/i;

/** The part of a recorded URL after its SCIM base path, or undefined for a URL that is no SCIM endpoint. */
export function scimPathOf(url: string): string | undefined {
  const parsed = new URL(url);
  const path = `${parsed.pathname}${parsed.search}`;
  const found = SCIM_ENDPOINTS.exec(parsed.pathname);
  return found ? path.slice(found.index) : undefined;
}

/** Headers a replay does not send as recorded: hop-by-hop, credentials (redacted anyway), and its own length. */
const NOT_REPLAYED = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'authorization',
  'cookie',
  'proxy-authorization',
]);

function requestHeaders(recorded: Record<string, string>, rewrites: Rewrites, token?: string) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded))
    if (!NOT_REPLAYED.has(name) && !name.startsWith(':')) out[name] = rewrites.apply(value);
  if (token !== undefined) out.authorization = `Bearer ${token}`;
  return out;
}

/** No verdict is possible: nothing answers there, or its certificate is refused (CERT_…, …_SIGNATURE codes). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

async function send(
  options: ReplayOptions,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const url = `${options.target.replace(/\/$/, '')}${path}`;
  try {
    return await httpExchange({ url, method, headers, body, tls: options.tls, timeoutMs: options.timeoutMs });
  } catch (err) {
    const error = err as ExchangeError;
    if (UNREACHABLE.has(error.code) || /CERT|SIGNATURE/.test(error.code))
      throw new TargetUnreachable(`cannot reach ${url}: ${error.message} (${error.code})`);
    return error;
  }
}

/** The prefix rewrites of a whole capture, known before the first request so a lookup before a create is rewritten. */
function prefixRewrites(exchanges: readonly RecordedExchange[], prefix: string | undefined): Rewrites {
  const rewrites = new Rewrites();
  if (!prefix) return rewrites;
  for (const e of exchanges)
    for (const value of uniqueValues(parsedBody(e.requestText))) rewrites.add(value, `${prefix}${value}`);
  return rewrites;
}

async function replayOne(
  e: RecordedExchange,
  path: string,
  rewrites: Rewrites,
  options: ReplayOptions,
): Promise<ReplayStep> {
  const sentPath = rewrites.apply(path);
  const reply = await send(
    options,
    e.method,
    sentPath,
    requestHeaders(e.requestHeaders, rewrites, options.token),
    rewrites.apply(e.requestText),
  );
  const step = {
    index: e.index,
    method: e.method,
    path: sentPath,
    recordedStatus: e.status,
    ...(e.error && { recordedError: e.error }),
  };
  if (reply instanceof ExchangeError) {
    const same = e.status === 0;
    const differences = same ? [] : [{ path: '(status)', expected: e.status, actual: `no answer (${reply.message})` }];
    return { ...step, status: 0, differences, error: reply.message };
  }
  return { ...step, status: reply.status, differences: compareAndLearn(e, reply, rewrites, options) };
}

function compareAndLearn(e: RecordedExchange, reply: ExchangeReply, rewrites: Rewrites, options: ReplayOptions) {
  if (e.status === 0)
    return [{ path: '(status)', expected: `no answer (${e.error ?? 'none recorded'})`, actual: reply.status }];
  const replayed = { status: reply.status, body: parsedBody(reply.text), headers: reply.headers };
  learnIds(rewrites, { body: parsedBody(e.responseText), headers: e.responseHeaders }, replayed);
  // The recorded answer as this run should give it: the ids and prefixed values of this run.
  const expected = { status: e.status, body: parsedBody(rewrites.apply(e.responseText)) };
  return compareResponses(expected, replayed, [...DEFAULT_MASKS, ...(options.masks ?? [])]);
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Replays a capture against `options.target`; rejects with TargetUnreachable when no request can be sent at all. */
export async function replay(capture: HarCapture, options: ReplayOptions): Promise<ReplayResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const rewrites = prefixRewrites(capture.exchanges, options.prefix);
  const steps: ReplayStep[] = [];
  const skipped: ReplayResult['skipped'] = [];
  const sleep = options.sleep ?? timer;
  let first: number | undefined;
  for (const e of capture.exchanges) {
    const path = scimPathOf(e.url);
    if (path === undefined) {
      skipped.push({ index: e.index, url: e.url, reason: 'not a SCIM endpoint (RFC 7644 §3.2)' });
      continue;
    }
    const at = Date.parse(e.startedAt);
    if (options.pace === 'recorded' && Number.isFinite(at)) {
      first ??= at;
      const wait = (at - first) / (options.speedup ?? 1) - (now() - started);
      if (wait > 0) await sleep(wait);
    }
    steps.push(await replayOne(e, path, rewrites, options));
  }
  return {
    target: options.target,
    startedAt: new Date(started).toISOString(),
    durationMs: now() - started,
    steps,
    skipped,
    diverged: steps.filter((s) => s.differences.length > 0).length,
  };
}
