import net from 'node:net';

// A raw HTTP/1.1 client for hostile-input and timeout tests: it writes exactly the bytes it is given, so that header
// values, methods and bodies that Node's own client refuses to send (or would repair) reach the server as they are.

export interface RawRequest {
  method: string;
  /** The request target, written as is (it may hold spaces or bytes a URL would escape). */
  target: string;
  headers?: [string, string][];
  body?: Buffer | string;
}

export interface RawResponse {
  /** 0 when the server closed the connection without a status line. */
  status: number;
  /** The response headers, names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request on a new connection with `Connection: close` and a Content-Length matching the body, unless the
 * caller gives its own. Resolves once the server closes the connection (or after `timeoutMs`, as status 0).
 */
export function rawRequest(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const given = new Set((request.headers ?? []).map(([name]) => name.toLowerCase()));
  const headers: [string, string][] = [['Host', `127.0.0.1:${port}`], ...(request.headers ?? [])];
  if (!given.has('connection')) headers.push(['Connection', 'close']);
  if (body !== undefined && !given.has('content-length') && !given.has('transfer-encoding'))
    headers.push(['Content-Length', String(body.length)]);
  const head = Buffer.from(
    `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`,
    'latin1',
  );
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => socket.end(body === undefined ? head : Buffer.concat([head, body])));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {}); // a reset is an answer too: status 0
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks).toString('latin1')));
    });
  });
}

function parseResponse(text: string): RawResponse {
  const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
  if (!match) return { status: 0, headers: {}, body: '' };
  const end = text.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of text.slice(match[0].length, end < 0 ? undefined : end).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = end < 0 ? '' : text.slice(end + 4);
  return { status: Number(match[1]), headers, body: Buffer.from(raw, 'latin1').toString('utf8') };
}
