import { createServer, type Server, type ServerResponse } from 'node:http';
import { httpExchange } from './http-exchange';

// Issue 18 "bounded reading": a response is read within a size and a time limit that cover the body, so a hostile
// target can neither grow the reader's memory nor hold it forever.

let server: Server;
let baseUrl: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else if (req.url === '/stall-body') {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.write('{"schemas":');
    } else {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.end('{"ok":true}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('a bounded HTTP exchange (issue 18)', () => {
  it('reads a whole small answer with its status, lower-case headers and text', async () => {
    const reply = await httpExchange({ url: `${baseUrl}/small`, method: 'GET', headers: {} });
    expect(reply).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(reply.headers['content-type']).toBe('application/scim+json');
  });

  it('ends an endless body with ERESPONSETOOLARGE once it passes the maximum size', async () => {
    await expect(
      httpExchange({ url: `${baseUrl}/endless`, method: 'GET', headers: {}, maxResponseBytes: 256 * 1024 }),
    ).rejects.toMatchObject({ code: 'ERESPONSETOOLARGE', message: expect.stringContaining('262144 bytes') });
  });

  it('ends a body that stalls after the headers with ETIMEDOUT: the time limit covers the body too', async () => {
    await expect(
      httpExchange({ url: `${baseUrl}/stall-body`, method: 'GET', headers: {}, timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'ETIMEDOUT', message: expect.stringContaining('300 ms') });
  });

  it('ends at once with ABORT_ERR when its signal aborts, saying why', async () => {
    const controller = new AbortController();
    const pending = httpExchange({
      url: `${baseUrl}/stall-body`,
      method: 'GET',
      headers: {},
      signal: controller.signal,
    });
    controller.abort(new Error('the requirement has ended'));
    await expect(pending).rejects.toMatchObject({
      code: 'ABORT_ERR',
      message: 'aborted (the requirement has ended)',
    });
  });

  it('names a refused connection by its Node code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(httpExchange({ url: `http://127.0.0.1:${port}/`, method: 'GET', headers: {} })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
