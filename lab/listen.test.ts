import http from 'node:http';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { listen, selfSignedCertificate } from './listen';
import type { Listening } from './types';

/** An app whose /slow requests wait until the test releases them. */
function slowApp() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const app: http.RequestListener = (req, res) => {
    if (req.url === '/slow') {
      arrived();
      void released.then(() => res.end('finally'));
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url }));
  };
  return { app, release, slowArrived };
}

function get(
  url: string,
  options: https.RequestOptions = {},
): Promise<{ status?: number; body?: string; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
  });
}

const servers: Listening[] = [];
async function start(app: http.RequestListener, options: Parameters<typeof listen>[1] = {}) {
  const server = await listen(app, { host: '127.0.0.1', port: 0, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('listen over HTTP', () => {
  it('listens on an ephemeral port and reports the actual one in url', async () => {
    const server = await start(slowApp().app);
    expect(server.port).toBeGreaterThan(0);
    expect(server).toMatchObject({ protocol: 'http', host: '127.0.0.1', url: `http://127.0.0.1:${server.port}` });
    expect(server.certificate).toBeUndefined();
    expect(await get(`${server.url}/hello`)).toEqual({ status: 200, body: '{"url":"/hello"}' });
  });

  it('refuses a port in use with an error naming the port', async () => {
    const first = await start(slowApp().app);
    await expect(listen(slowApp().app, { host: '127.0.0.1', port: first.port })).rejects.toThrow(
      `listen: port ${first.port} on 127.0.0.1 is already in use`,
    );
  });
});

describe('listen over HTTPS', () => {
  it('serves with a generated self-signed certificate that a client can trust through ca', async () => {
    const server = await start(slowApp().app, { tls: true });
    expect(server.protocol).toBe('https');
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    expect(server.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const response = await get(`${server.url}/secure`, { ca: server.certificate, agent: false });
    expect(response).toEqual({ status: 200, body: '{"url":"/secure"}' });
  });

  it('names localhost, 127.0.0.1 and ::1 in the generated certificate', async () => {
    const server = await start(slowApp().app, { tls: true });
    const cert = new X509Certificate(server.certificate!);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const server = await start(slowApp().app, { tls: true });
    const response = await get(`${server.url}/secure`, { agent: false });
    expect(response.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('serves with a given certificate and key', async () => {
    const pems = await selfSignedCertificate();
    const server = await start(slowApp().app, { tls: pems });
    expect(server.certificate).toBeUndefined();
    expect(await get(`${server.url}/given`, { ca: pems.cert, agent: false })).toEqual({
      status: 200,
      body: '{"url":"/given"}',
    });
  });
});

describe('listen: graceful close', () => {
  it('stops accepting at once but lets an in-flight request finish before resolving', async () => {
    const { app, release, slowArrived } = slowApp();
    const server = await listen(app, { host: '127.0.0.1', port: 0 });
    const inFlight = get(`${server.url}/slow`);
    await slowArrived;

    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect((await get(`${server.url}/late`)).error?.code).toBe('ECONNREFUSED');
    expect(closed).toBe(false);

    release();
    expect(await inFlight).toEqual({ status: 200, body: 'finally' });
    await closing;
    expect(closed).toBe(true);
  });

  it('closes idle keep-alive connections instead of waiting for them', async () => {
    const server = await listen(slowApp().app, { host: '127.0.0.1', port: 0, keepAliveTimeoutMs: 600_000 });
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect((await get(`${server.url}/one`, { agent })).status).toBe(200);
      // The socket now sits idle in the agent's pool; close() must not wait 10 minutes for it.
      await server.close();
    } finally {
      agent.destroy();
    }
  });

  it('destroys a request still running when the grace period ends', async () => {
    const { app, slowArrived } = slowApp();
    const server = await listen(app, { host: '127.0.0.1', port: 0, closeGraceMs: 20 });
    const inFlight = get(`${server.url}/slow`);
    await slowArrived;
    await server.close();
    expect((await inFlight).error?.message).toBe('socket hang up');
  });

  it('returns the same promise when close() is called twice', async () => {
    const server = await listen(slowApp().app, { host: '127.0.0.1', port: 0 });
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });
});
