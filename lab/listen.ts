import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { ScimError } from '../scim/errors';
import { SCIM_CONTENT_TYPE } from '../scim/urns';
import type { Listening, ListenOptions } from './types';

/** Defaults against slow or abandoned clients; each can be overridden in ListenOptions. */
export const LISTEN_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  /** Node's `server.requestTimeout`: the whole request (headers and body) must arrive within this. */
  requestTimeoutMs: 60_000,
  /** Node's `server.headersTimeout`: the request headers must arrive within this. */
  headersTimeoutMs: 20_000,
  /** Node's `server.keepAliveTimeout`: an idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** How long `close()` lets in-flight requests finish before it destroys their connections. */
  closeGraceMs: 10_000,
  /**
   * Node's `maxHeaderSize`: the request line and headers together. Node's 16 KiB is less than a filter the parser
   * accepts (scim/filter MAX_FILTER_LENGTH, 4096 characters) takes percent-encoded: up to 9 bytes per character.
   */
  maxHeaderBytes: 64 * 1024,
} as const;

/** A self-signed certificate for `localhost`, 127.0.0.1 and ::1 (and `host` when it is something else). */
export async function selfSignedCertificate(host?: string): Promise<{ cert: string; key: string }> {
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (host && !['localhost', '127.0.0.1', '::1', '0.0.0.0', '::'].includes(host)) {
    altNames.push(isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  // Loaded only when a certificate is generated: selfsigned brings a large ASN.1 stack that plain HTTP never needs.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    `the request line and headers are larger than ${LISTEN_DEFAULTS.maxHeaderBytes} bytes`,
  ],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request did not arrive in time'],
};

/** What Node does without a 'clientError' listener (lib/_http_server.js socketOnError), with a SCIM Error body. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const [status, reason, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'the request is not HTTP/1.1',
  ];
  const body = JSON.stringify(new ScimError(status, undefined, detail).toBody());
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${SCIM_CONTENT_TYPE}; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/**
 * Serves `app` over HTTP, or HTTPS with the given certificate, or with a generated self-signed one
 * (`tls: true`, exposed as `certificate` so that clients can trust it). Resolves once listening.
 */
export async function listen(app: http.RequestListener, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? LISTEN_DEFAULTS.host;
  const port = options.port ?? LISTEN_DEFAULTS.port;
  const tls = options.tls === true ? await selfSignedCertificate(host) : options.tls || undefined;

  let closing = false;
  const handler: http.RequestListener = (req, res) => {
    // Once closing, finish this request but do not keep its connection alive for another one.
    if (closing) res.setHeader('Connection', 'close');
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    app(req, res);
  };
  const requestTimeout = options.requestTimeoutMs ?? LISTEN_DEFAULTS.requestTimeoutMs;
  const headersTimeout = Math.min(
    options.headersTimeoutMs ?? LISTEN_DEFAULTS.headersTimeoutMs,
    requestTimeout || Infinity,
  );
  // Node enforces both timeouts only when it checks its connections, every 30 s by default: a 300 ms headers timeout
  // then cut a slow client after 30 s. Checking at a quarter of the shorter timeout keeps them within 25%.
  const connectionsCheckingInterval =
    headersTimeout > 0 ? Math.min(30_000, Math.max(50, Math.floor(headersTimeout / 4))) : 30_000;
  const maxHeaderSize = LISTEN_DEFAULTS.maxHeaderBytes;
  const server: http.Server | https.Server = tls
    ? https.createServer({ ...tls, connectionsCheckingInterval, maxHeaderSize }, handler)
    : http.createServer({ connectionsCheckingInterval, maxHeaderSize }, handler);
  // Node's own answer to a request it cannot parse is a bare status line; SCIM clients expect an Error body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  server.requestTimeout = requestTimeout;
  server.headersTimeout = headersTimeout;
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? LISTEN_DEFAULTS.keepAliveTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `listen: port ${port} on ${host} is already in use`
            : `listen: cannot listen on ${where}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const protocol = tls ? 'https' : 'http';
  // A wildcard address is not something a client can dial: advertise loopback instead.
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `${protocol}://${isIP(urlHost) === 6 ? `[${urlHost}]` : urlHost}:${actualPort}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve, reject) => {
      closing = true;
      const grace = setTimeout(
        () => server.closeAllConnections(),
        options.closeGraceMs ?? LISTEN_DEFAULTS.closeGraceMs,
      );
      grace.unref();
      server.close((error) => {
        clearTimeout(grace);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closed;
  };

  const listening: Listening = { url, port: actualPort, host, protocol, close };
  if (options.tls === true && tls) listening.certificate = tls.cert;
  return listening;
}
