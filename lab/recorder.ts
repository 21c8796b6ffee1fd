// `scim-lab record`: a recording reverse proxy. Each exchange goes to the upstream through the one bounded HTTP client
// (lab/http-exchange.ts), is redacted by a journal as the mocks' journals are (lab/journal.ts, lab/redact.ts), becomes a
// HAR entry by the one HAR writer (lab/har.ts), and is written to the file BEFORE the client gets its answer: a crash
// loses nothing already answered. The file is one HAR document, one entry per line (docs/record-replay.md); closing
// writes its last line, and lab/har-read.ts recovers a file that a crash left without it.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createJournal } from './journal';
import type { HarLog } from './har';
import { STREAM_HEAD } from './har-read';
import { ExchangeError, httpExchange, lowerCaseHeaders, type ExchangeReply, type TlsTrust } from './http-exchange';
import { listen } from './listen';
import { SCIM_CONTENT_TYPE, URN } from '../scim/urns';
import type { Listening, ListenOptions } from './types';

export interface RecorderOptions {
  /** The upstream's base URL; the recorder serves the same path (`https://sp.example/scim/v2` → `/scim/v2`). */
  upstream: string;
  /** The HAR file, created or truncated. */
  out: string;
  tls?: TlsTrust;
  /** Time limit of one upstream exchange, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Largest body kept in the capture, per message. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Literal secrets hidden wherever they appear (tokens are hidden anyway in Authorization headers). */
  secrets?: readonly string[];
  creator: { name: string; version: string };
  logger?: (line: string) => void;
}

export interface Recorder {
  listen(options?: ListenOptions): Promise<Listening>;
  /** Stops accepting, lets requests in flight finish, then writes the file's last line. */
  close(): Promise<void>;
  /** Exchanges written so far. */
  readonly recorded: number;
  /** After `listen`: the URL that stands in for the upstream base URL. */
  readonly baseUrl: string;
}

export const DEFAULT_RECORD_TIMEOUT_MS = 30_000;

/** RFC 7230 §6.1 hop-by-hop headers, never forwarded; `host` is the upstream's own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

function forwardable(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * The request headers sent upstream. `Accept-Encoding` is dropped: the upstream then answers uncompressed, the capture
 * holds readable JSON, and the client gets a body that matches the headers it is sent.
 */
function upstreamHeaders(headers: Record<string, string>): Record<string, string> {
  const out = forwardable(headers);
  delete out['accept-encoding'];
  return out;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The HAR file, written one line per entry with a sync write each, so that an entry is on disk before its answer. */
function openCapture(path: string, options: RecorderOptions) {
  // Its folder is created, as the conformance reports' are.
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w', 0o600);
  const head = `${STREAM_HEAD}${JSON.stringify(options.creator)},"comment":${JSON.stringify(`recorded from ${options.upstream}`)},"entries":[`;
  writeSync(fd, `${head}\n`);
  let count = 0;
  let closed = false;
  return {
    append(entry: object) {
      if (closed) return;
      writeSync(fd, `${count === 0 ? '' : ','}${JSON.stringify(entry)}\n`);
      count += 1;
    },
    close() {
      if (closed) return;
      closed = true;
      writeSync(fd, ']}}\n');
      fsyncSync(fd);
      closeSync(fd);
    },
    get count() {
      return count;
    },
  };
}

/** What the client gets when the upstream gave no answer: a reset stays a reset; anything else a SCIM Error. */
function answerFailure(res: ServerResponse, error: ExchangeError): void {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    res.socket?.destroy();
    return;
  }
  const status = error.code === 'ETIMEDOUT' ? 504 : 502;
  const body = JSON.stringify({ schemas: [URN.Error], status: String(status), detail: `upstream: ${error.message}` });
  res.writeHead(status, { 'content-type': SCIM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function failureNote(error: ExchangeError): string {
  if (error.code === 'ETIMEDOUT') return `upstream timeout: ${error.message}`;
  if (error.code === 'ECONNRESET') return `upstream connection reset: ${error.message}`;
  return `upstream error ${error.code}: ${error.message}`;
}

export function createRecorder(options: RecorderOptions): Recorder {
  const upstream = new URL(options.upstream);
  const journal = createJournal({
    cap: 1,
    maxBytes: Number.MAX_SAFE_INTEGER,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    redact: options.secrets ?? [],
  });
  let capture: ReturnType<typeof openCapture> | undefined;
  let listening: Listening | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const url = new URL(req.url ?? '/', upstream.origin).href;
    const requestHeaders = lowerCaseHeaders(req.headers);
    const body = await readBody(req);
    let reply: ExchangeReply | undefined;
    let failure: ExchangeError | undefined;
    try {
      reply = await httpExchange({
        url,
        method: req.method ?? 'GET',
        headers: upstreamHeaders(requestHeaders),
        ...(body !== undefined && { body }),
        tls: options.tls,
        timeoutMs: options.timeoutMs ?? DEFAULT_RECORD_TIMEOUT_MS,
        maxResponseBytes: Number.MAX_SAFE_INTEGER,
      });
    } catch (err) {
      failure = err instanceof ExchangeError ? err : new ExchangeError(String(err), 'EIO');
    }
    journal.record({
      time: startedAt,
      direction: 'inbound',
      method: req.method ?? 'GET',
      url,
      status: reply?.status ?? 0,
      durationMs: Date.now() - started,
      request: { headers: requestHeaders, body },
      response: { headers: reply?.headers ?? {}, body: reply && reply.text !== '' ? reply.text : undefined },
      ...(failure && { error: failureNote(failure) }),
    });
    const [entry] = (journal.toHar(options.creator.version) as HarLog).log.entries;
    journal.clear();
    capture?.append(entry);
    if (failure) return answerFailure(res, failure);
    const headers = forwardable(reply!.headers);
    res.writeHead(reply!.status, { ...headers, 'content-length': Buffer.byteLength(reply!.text) });
    res.end(reply!.text);
  };

  return {
    async listen(listenOptions = {}) {
      capture = openCapture(options.out, options);
      listening = await listen((req, res) => {
        handle(req, res).catch((err: Error) => {
          options.logger?.(`record: ${err.message}`);
          res.socket?.destroy();
        });
      }, listenOptions);
      return listening;
    },
    async close() {
      await listening?.close();
      capture?.close();
    },
    get recorded() {
      return capture?.count ?? 0;
    },
    get baseUrl() {
      if (!listening) throw new Error('record: baseUrl is known once listening');
      return `${listening.url}${upstream.pathname.replace(/\/$/, '')}`;
    },
  };
}
