// One HTTP exchange with bounded reading (issue 18): a time limit that covers the headers AND the body, and a
// maximum response body size past which the exchange ends with a transport error instead of growing memory. Shared by
// the conformance runner's HTTP client and the mock PingOne's outbound SCIM client, so that both bound the same way.
// node's http/https directly: a CA per request (`--ca`, `--insecure`) needs no extra library.
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/** Default maximum response body: 4 MiB, far above any SCIM response the suites provoke (a page of 100 users). */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Default time limit of one exchange, headers and body together. */
export const DEFAULT_EXCHANGE_TIMEOUT_MS = 10_000;

/** How a client trusts a TLS server: `ca` adds to Node's roots; `insecure` accepts any certificate. */
export interface TlsTrust {
  /** PEM text of extra certificate authorities. */
  ca?: string;
  insecure?: boolean;
}

/** The bounds of one exchange. */
export interface ExchangeLimits {
  /** Time limit of headers and body together, in ms. */
  timeoutMs?: number;
  /** Past this many body bytes the exchange ends with ERESPONSETOOLARGE. */
  maxResponseBytes?: number;
}

export interface ExchangeRequest extends ExchangeLimits {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  tls?: TlsTrust;
  /** Keep-alive agents of the caller; Node's global agents otherwise. */
  agents?: { http?: http.Agent; https?: https.Agent };
  signal?: AbortSignal;
}

export interface ExchangeReply {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/** No (complete) response: `code` is Node's (ECONNREFUSED, ENOTFOUND, CERT_…) or ETIMEDOUT, ERESPONSETOOLARGE, ABORT_ERR. */
export class ExchangeError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ExchangeError';
    this.code = code;
  }
}

/** TLS options of a request: `ca` is added to Node's trusted roots instead of replacing them. */
export function tlsOptions(trust: TlsTrust = {}): https.RequestOptions {
  return {
    rejectUnauthorized: !trust.insecure,
    ...(trust.ca !== undefined && { ca: [...rootCertificates, trust.ca] }),
  };
}

export function lowerCaseHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function reasonOf(signal: AbortSignal): string {
  const reason = signal.reason as { message?: unknown } | undefined;
  return typeof reason?.message === 'string' ? reason.message : String(signal.reason);
}

/** Sends one request and reads the whole answer within the limits; rejects with ExchangeError otherwise. */
export function httpExchange(request: ExchangeRequest): Promise<ExchangeReply> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_EXCHANGE_TIMEOUT_MS;
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      reject(new ExchangeError(`not a URL: ${request.url}`, 'ERR_INVALID_URL'));
      return;
    }
    const secure = target.protocol === 'https:';
    const headers = { ...request.headers };
    // A known length, as fetch sends it, rather than chunked encoding that some servers refuse.
    if (request.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length'))
      headers['content-length'] = String(Buffer.byteLength(request.body));
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: ExchangeError) => {
      finish(() => reject(error));
      req.destroy();
    };
    const req = (secure ? https : http).request(
      target,
      {
        method: request.method,
        headers,
        ...(secure ? { ...tlsOptions(request.tls), agent: request.agents?.https } : { agent: request.agents?.http }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(
              new ExchangeError(
                `the response body passed ${maxBytes} bytes (the maximum response size)`,
                'ERESPONSETOOLARGE',
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: lowerCaseHeaders(res.headers),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          ),
        );
        res.on('error', (error: NodeJS.ErrnoException) =>
          fail(new ExchangeError(error.message, error.code ?? 'ECONNRESET')),
        );
        res.on('aborted', () => fail(new ExchangeError('the connection closed mid-body', 'ECONNRESET')));
      },
    );
    const timer = setTimeout(
      () => fail(new ExchangeError(`no complete answer within ${timeoutMs} ms (timeout)`, 'ETIMEDOUT')),
      timeoutMs,
    );
    const onAbort = () => fail(new ExchangeError(`aborted (${reasonOf(request.signal!)})`, 'ABORT_ERR'));
    req.on('error', (error: NodeJS.ErrnoException) => fail(new ExchangeError(error.message, error.code ?? 'EIO')));
    if (request.signal?.aborted) {
      onAbort();
      return;
    }
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(request.body);
  });
}
