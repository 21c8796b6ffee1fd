import http from 'node:http';
import https from 'node:https';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  ExchangeError,
  httpExchange,
  lowerCaseHeaders,
  tlsOptions,
} from '../lab/http-exchange';
import { applyOutboundFault, faultResponse, simulatedNetworkError } from '../lab/faults';
import { recordOutbound } from '../lab/journal';
import type { Clock, Faults, Journal } from '../lab/types';
import type { Deviations } from './deviations';
import { createTokenCache, type ClientCredentials, type TokenCache, type TokenRequest } from './oauth-client';
import type { RetryOptions } from './options';

// The provisioner's outbound SCIM client (named apart from the suites' ScimClient): bounded exchanges
// (lab/http-exchange.ts: a timeout over headers and body, a maximum response size; issue 18), outbound faults, the
// outbound journal and the retry policy [INF, the Ping entries of docs/sources.md "Retries"].

/** Where and how to reach one target (from a store's configuration). */
export interface Connection {
  /** SCIM_URL without trailing slashes [DOC S3: works with or without one]. */
  baseUrl: string;
  /** The value of the Authorization header, if any. */
  authorization?: string;
  /** OAuth 2 Client Credentials: the client fetches the token, caches it and refreshes it (oauth-client.ts). */
  clientCredentials?: ClientCredentials & { scheme: string };
  contentType: string;
}

export interface ScimRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after the base URL, query string included: `/Users?filter=…`. */
  path: string;
  body?: unknown;
}

export interface ScimResponse {
  /** 0 when no response arrived. */
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body, when there was one. */
  body: unknown;
  /** Why no response arrived (network error, timeout, injected fault). */
  error?: string;
  /** Node's error code: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, DEPTH_ZERO_SELF_SIGNED_CERT… */
  errorCode?: string;
  /** Set when no token could be had from the OAuth 2 token endpoint: what it answered. The SCIM call was not sent. */
  tokenFailure?: string;
}

export interface RetriedResponse extends ScimResponse {
  attempts: number;
  /** Set when retrying stopped before maxAttempts for a reason worth telling (e.g. a too long Retry-After). */
  gaveUp?: string;
}

/** RFC 9110 §15 statuses worth retrying [INF]: throttling and transient server errors. Never 501 or other 4xx. */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Certificate problems: a configuration error, not a transient one, so not retried. */
export const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
/** Attempts of the `retry-storm` deviation: twice the bound the options allow. */
const STORM_ATTEMPTS = 20;

export interface OutboundScimClientOptions {
  journal: Journal;
  faults: Faults;
  clock: Clock;
  retry: RetryOptions;
  deviations: Deviations;
  ca?: string;
  insecure: boolean;
  /** Past this many response body bytes an exchange ends as a network error (default 4 MiB). */
  maxResponseBytes?: number;
  random?: () => number;
}

/** What the provisioner and the connection test send through. */
export interface OutboundScimClient {
  /** One exchange: an outbound fault may stand in for the target; every attempt is journaled. */
  send(connection: Connection, request: ScimRequest, signal?: AbortSignal): Promise<ScimResponse>;
  /** Sends with retries: 429/500/502/503/504, timeouts and network errors, at most `maxAttempts` in all. */
  sendWithRetry(connection: Connection, request: ScimRequest, signal?: AbortSignal): Promise<RetriedResponse>;
  /** The OAuth 2 tokens of client-credentials connections. */
  tokens: Pick<TokenCache, 'fetched'>;
}

/** Sleeps in real time; an abort ends the wait at once with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date. Returns milliseconds, or undefined. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** How exchanges reach the targets: trust, keep-alive agents and the bounds of one exchange. */
interface Transport {
  trust: { ca?: string; insecure: boolean };
  agents: { http: http.Agent; https: https.Agent };
  /** Read at each exchange, as the options' own retry settings are. */
  retry: RetryOptions;
  maxResponseBytes: number;
}

function transportFor(options: OutboundScimClientOptions): Transport {
  const trust = { ca: options.ca, insecure: options.insecure };
  const tls = tlsOptions(trust);
  // Keep-alive connections, as Node's global agent has since v19: a new connection per request cost the provisioner
  // a third of its throughput (bench/run.js: initial sync at 0.5–0.66 of a plain keep-alive loop; 0.8–1.0 with it).
  // Idle sockets are unref'd by the agent, so they never keep a process alive.
  const agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true, rejectUnauthorized: tls.rejectUnauthorized, ca: tls.ca }),
  };
  return {
    trust,
    agents,
    retry: options.retry,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
}

/** The User-Agent of the provisioner's SCIM calls (the lab view tells its traffic apart by it). */
export const PROVISIONER_USER_AGENT = 'scim-lab-mock-pingone';

function requestHeaders(
  connection: Connection,
  authorization: string | undefined,
  payload: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/scim+json, application/json',
    'User-Agent': PROVISIONER_USER_AGENT,
  };
  if (authorization !== undefined) headers.Authorization = authorization;
  if (payload !== undefined) {
    headers['Content-Type'] = connection.contentType;
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return headers;
}

/** The response an outbound fault stands in with, or undefined when the request goes to the target (maybe late). */
function faultedResponse(fault: ReturnType<typeof applyOutboundFault>): ScimResponse | undefined {
  if (fault?.action === 'status') {
    const reply = faultResponse(fault);
    return {
      status: reply.status,
      headers: lowerCaseHeaders(reply.headers),
      text: reply.body,
      body: parseJson(reply.body),
      error: `injected fault ${fault.id}: status ${reply.status}`,
    };
  }
  if (fault?.action === 'reset' || fault?.action === 'empty') {
    const error = simulatedNetworkError(fault);
    return { status: 0, headers: {}, text: '', body: undefined, error: error.message, errorCode: error.code };
  }
  return undefined;
}

/** One bounded HTTP exchange with the target; a network error or timeout becomes a status-0 response. */
async function exchange(
  url: string,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  transport: Transport,
  signal?: AbortSignal,
): Promise<ScimResponse> {
  try {
    const reply = await httpExchange({
      url,
      method,
      headers,
      body: payload,
      tls: transport.trust,
      agents: transport.agents,
      timeoutMs: transport.retry.timeoutMs,
      maxResponseBytes: transport.maxResponseBytes,
      signal,
    });
    return { status: reply.status, headers: reply.headers, text: reply.text, body: parseJson(reply.text) };
  } catch (err) {
    const error = err as Partial<ExchangeError>;
    return { status: 0, headers: {}, text: '', body: undefined, error: String(error.message), errorCode: error.code };
  }
}

function retryable(response: ScimResponse, deviations: Deviations): boolean {
  if (deviations.has('no-retry')) return false;
  if (response.status === 0)
    // A body past the maximum size would be as large again: not transient, so not retried.
    return (
      !TLS_ERROR_CODES.has(response.errorCode ?? '') &&
      response.errorCode !== 'ABORT_ERR' &&
      response.errorCode !== 'ERESPONSETOOLARGE'
    );
  if (RETRYABLE_STATUS.has(response.status)) return true;
  // Deviation retry-4xx: the storm the notes forbid (the Ping entries of docs/sources.md: never on 501 or any other 4xx).
  return deviations.has('retry-4xx') && response.status >= 400;
}

/** Exponential backoff with bounded jitter: attempt n waits base·2^(n-1), times 0.75–1, capped at maxDelayMs. */
function backoffMs(attempt: number, retry: RetryOptions, random: () => number): number {
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.75 + 0.25 * random()));
}

/** How long to wait before the next attempt, or why not to retry: a Retry-After longer than the provisioner waits. */
function retryDelay(
  response: ScimResponse,
  attempt: number,
  options: Pick<OutboundScimClientOptions, 'retry' | 'deviations'> & { random: () => number },
): { delay: number } | { gaveUp: string } {
  const { retry, deviations } = options;
  const delay = backoffMs(attempt, retry, options.random);
  const asked = retryAfterMs(response.headers['retry-after']);
  if (asked === undefined || deviations.has('ignore-retry-after')) return { delay };
  if (asked > retry.maxRetryAfterMs) {
    return {
      gaveUp: `the target asked to retry after ${Math.round(asked / 1000)} s, longer than the ${Math.round(retry.maxRetryAfterMs / 1000)} s the provisioner waits`,
    };
  }
  // RFC 9110 §10.2.3: never sooner than the server asked.
  return { delay: Math.max(delay, asked) };
}

/** Timers may fire a millisecond early against the wall clock; never retry before the time asked for. */
async function waitAtLeast(delay: number, signal?: AbortSignal): Promise<void> {
  const notBefore = Date.now() + delay;
  for (let left = delay; left > 0; left = notBefore - Date.now()) await sleep(left, signal);
}

/** The SCIM call that was not sent because no token could be had (RFC 6749 §5.2 answers count as credentials). */
function tokenFailure(failure: { status: number; body: unknown; error?: string; detail: string }): ScimResponse {
  const status = failure.status >= 400 && failure.status < 500 ? 401 : failure.status;
  return { status, headers: {}, text: '', body: failure.body, error: failure.detail, tokenFailure: failure.detail };
}

// eslint-disable-next-line max-lines-per-function -- one closure over the transport: send (with the OAuth token), retries, and the token endpoint's exchange
export function createOutboundScimClient(options: OutboundScimClientOptions): OutboundScimClient {
  const { journal, faults, clock, retry, deviations } = options;
  const random = options.random ?? Math.random;
  const transport = transportFor(options);

  /** RFC 6749 §4.4.2: the token request, bounded and journaled like a SCIM call (the redactor hides the secrets). */
  async function tokenExchange(url: string, request: TokenRequest, signal?: AbortSignal) {
    const time = clock.now();
    const started = performance.now();
    const response = await exchange(url, 'POST', request.headers, request.body, transport, signal);
    recordOutbound(journal, {
      time,
      method: 'POST',
      url,
      requestHeaders: request.headers,
      requestBody: request.body,
      status: response.status,
      responseHeaders: response.headers,
      responseBody: response.text === '' ? undefined : response.text,
      durationMs: performance.now() - started,
      ...(response.error !== undefined && { error: response.error }),
    });
    return response;
  }
  const tokens = createTokenCache(clock, tokenExchange);

  /** Client credentials: a cached token; on a 401, a new token and one more try (RFC 6750 §3.1 invalid_token). */
  async function send(connection: Connection, request: ScimRequest, signal?: AbortSignal): Promise<ScimResponse> {
    const credentials = connection.clientCredentials;
    if (!credentials) return sendOnce(connection, connection.authorization, request, signal);
    const first = await tokens.get(credentials, signal);
    if ('failure' in first) return tokenFailure(first.failure);
    const response = await sendOnce(connection, `${credentials.scheme} ${first.token}`, request, signal);
    if (response.status !== 401) return response;
    tokens.invalidate(credentials, first.token);
    const again = await tokens.get(credentials, signal);
    if ('failure' in again) return tokenFailure(again.failure);
    return sendOnce(connection, `${credentials.scheme} ${again.token}`, request, signal);
  }

  async function sendOnce(
    connection: Connection,
    authorization: string | undefined,
    request: ScimRequest,
    signal?: AbortSignal,
  ): Promise<ScimResponse> {
    const url = connection.baseUrl + request.path;
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = requestHeaders(connection, authorization, payload);
    const time = clock.now();
    const started = performance.now();
    const fault = applyOutboundFault(faults, request.method, request.path);
    let response = faultedResponse(fault);
    if (response === undefined) {
      if (fault?.action === 'latency') await sleep(fault.delayMs ?? 0, signal);
      response = await exchange(url, request.method, headers, payload, transport, signal);
    }
    recordOutbound(journal, {
      time,
      method: request.method,
      url,
      requestHeaders: headers,
      requestBody: request.body,
      status: response.status,
      responseHeaders: response.headers,
      responseBody: response.text === '' ? undefined : response.text,
      durationMs: performance.now() - started,
      ...(response.error !== undefined && { error: response.error }),
    });
    return response;
  }

  async function sendWithRetry(
    connection: Connection,
    request: ScimRequest,
    signal?: AbortSignal,
  ): Promise<RetriedResponse> {
    // Deviation retry-storm: the storm the notes forbid (no backoff, more attempts than the bound of 10).
    const storm = deviations.has('retry-storm');
    const maxAttempts = storm ? STORM_ATTEMPTS : retry.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      const response = await send(connection, request, signal);
      if (!retryable(response, deviations) || attempt >= maxAttempts) return { ...response, attempts: attempt };
      if (storm) continue;
      const next = retryDelay(response, attempt, { retry, deviations, random });
      if ('gaveUp' in next) return { ...response, attempts: attempt, gaveUp: next.gaveUp };
      await waitAtLeast(next.delay, signal);
    }
  }

  return { send, sendWithRetry, tokens: { fetched: tokens.fetched } };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
