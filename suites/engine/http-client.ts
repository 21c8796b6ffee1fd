// The suites' only way to reach a system under test: HTTP (issue 5: never instance methods), bounded in time
// and size per exchange (issue 18, lab/http-exchange.ts).
// Every exchange is recorded, redacted, as evidence of the current requirement and in the run's log.
import {
  ExchangeError,
  httpExchange,
  type ExchangeLimits,
  type ExchangeReply,
  type TlsTrust,
} from '../../lab/http-exchange';
import { SCIM_CONTENT_TYPE } from '../../scim/urns';
import { TransportError } from './outcomes';
import type { Exchange, Recorder } from './types';

/** How a client reaches a system under test: trust for TLS and the bounds of each exchange (issue 18). */
export interface TransportOptions extends ExchangeLimits {
  tls?: TlsTrust;
}

export interface HttpClientOptions extends TransportOptions {
  /** The participant this client talks to, as the sequence diagram names it, e.g. `target`. */
  name: string;
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` unless a request says otherwise. */
  token?: string;
  recorder: Recorder;
  /** The requirement's signal: aborts requests still in flight when it times out. */
  signal?: AbortSignal;
  /** The calling participant; `scim-lab` by default. */
  from?: string;
  /** RFC 7644 §3.8: SCIM clients ask for application/scim+json. */
  accept?: string;
  /** Content-Type of request bodies; RFC 7644 §3.8 application/scim+json by default. */
  contentType?: string;
}

export interface RequestOptions {
  /** JSON-serialised unless `raw`, in which case it is sent as the string it is (e.g. malformed JSON). */
  body?: unknown;
  raw?: boolean;
  /** Extra headers; they win over the defaults (e.g. `{ authorization: 'Basic …' }` for a wrong scheme). */
  headers?: Record<string, string>;
  /** Another bearer token for this request, or null for no Authorization header at all. */
  token?: string | null;
  /** Content-Type of the body; null sends none. */
  contentType?: string | null;
  /** Appended to the path, each value percent-encoded (spaces as %20). */
  query?: Record<string, string | number | boolean | undefined>;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when the body is empty or not JSON (see `text`). */
  body: unknown;
  text: string;
  request: { method: string; path: string; url: string; headers: Record<string, string> };
  /** The redacted record of this exchange, for CheckFailure evidence. */
  exchange: Exchange;
}

export const HARNESS = 'scim-lab';

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Why no response arrived: Node's code for network and TLS errors, the limit's own words for the bounds. */
function describeTransportError(error: unknown): string {
  if (error instanceof ExchangeError) {
    if (['ETIMEDOUT', 'ERESPONSETOOLARGE', 'ABORT_ERR'].includes(error.code)) return error.message;
    return error.code;
  }
  return error instanceof Error ? error.message : String(error);
}

export class HttpClient {
  readonly name: string;
  readonly baseUrl: string;
  readonly token?: string;
  private readonly options: HttpClientOptions;

  constructor(options: HttpClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.baseUrl);
    } catch {
      throw new Error(`HttpClient ${options.name}: baseUrl is not a URL: ${JSON.stringify(options.baseUrl)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`HttpClient ${options.name}: baseUrl must be http or https, got ${options.baseUrl}`);
    }
    this.name = options.name;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.options = options;
    options.recorder.addSecret(options.token);
  }

  /** A path relative to the base URL (`/Users/1`), or an absolute URL (e.g. a `Location` header). */
  url(path: string, query?: RequestOptions['query']): string {
    let url = /^https?:\/\//i.test(path)
      ? path
      : `${this.baseUrl}${path === '' || path.startsWith('/') ? '' : '/'}${path}`;
    const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
    if (pairs.length > 0) {
      const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
      url += `${url.includes('?') ? '&' : '?'}${qs}`;
    }
    return url;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.url(path, options.query);
    const shownPath = url.startsWith(this.baseUrl) ? url.slice(this.baseUrl.length) || '/' : url;
    const headers: Record<string, string> = { accept: this.options.accept ?? SCIM_CONTENT_TYPE };
    const token = options.token === undefined ? this.token : options.token;
    if (token) {
      this.options.recorder.addSecret(token);
      headers.authorization = `Bearer ${token}`;
    }
    let text: string | undefined;
    if (options.body !== undefined) {
      text = options.raw ? String(options.body) : JSON.stringify(options.body);
      const contentType =
        options.contentType === undefined ? (this.options.contentType ?? SCIM_CONTENT_TYPE) : options.contentType;
      if (contentType !== null) headers['content-type'] = contentType;
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;

    const startedAt = new Date();
    const started = performance.now();
    const recordedRequest = {
      method,
      url,
      headers,
      ...(text === undefined ? {} : { text, body: parseJson(text) ?? text }),
    };
    const base = { from: this.options.from ?? HARNESS, to: this.name, startedAt: startedAt.toISOString() };
    let response: ExchangeReply;
    try {
      response = await httpExchange({
        url,
        method,
        headers,
        body: text,
        tls: this.options.tls,
        timeoutMs: this.options.timeoutMs,
        maxResponseBytes: this.options.maxResponseBytes,
        signal: this.options.signal,
      });
    } catch (error) {
      const reason = describeTransportError(error);
      this.options.recorder.record({
        ...base,
        durationMs: Math.round(performance.now() - started),
        request: recordedRequest,
        error: reason,
      });
      throw new TransportError(`${method} ${url}: no response (${reason})`);
    }
    const { headers: responseHeaders, text: responseText } = response;
    const body = parseJson(responseText);
    const exchange = this.options.recorder.record({
      ...base,
      durationMs: Math.round(performance.now() - started),
      request: recordedRequest,
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: responseHeaders,
        ...(responseText === '' ? {} : { text: responseText, body: body ?? responseText }),
      },
    });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: responseHeaders,
      body,
      text: responseText,
      request: { method, path: shownPath, url, headers },
      exchange,
    };
  }

  get(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('POST', path, options);
  }

  put(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('PUT', path, options);
  }

  patch(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('PATCH', path, options);
  }

  delete(path: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.request('DELETE', path, options);
  }
}

/** A client for a SCIM service provider: application/scim+json both ways (RFC 7644 §3.8). */
export type ScimClient = HttpClient;

/** A client for a mock's /__admin surface (docs/admin-api.md): plain JSON. */
export type AdminClient = HttpClient;
