import net from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from '../lab/journal';
import { rawRequest } from '../lab/test-support/raw-http';
import type { Listening } from '../lab/types';
import { URN } from '../scim/urns';
import { createCode42, type Code42 } from './index';

// Issue 8, limits: the journal stays within its cap under load (so its memory is bounded), oversized SCIM bodies get
// 413, and slow or abandoned connections are cut by the listen timeouts.

const TOKEN = 'limits-scim-token-0001';
const auth: [string, string][] = [
  ['Authorization', `Bearer ${TOKEN}`],
  ['Content-Type', 'application/scim+json'],
];

let c42: Code42;
let server: Listening;
afterEach(async () => {
  await c42?.close();
});

async function start(options: Parameters<typeof createCode42>[0], listen: Parameters<Code42['listen']>[0] = {}) {
  c42 = createCode42({ token: TOKEN, ...options });
  server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 200, ...listen });
}

describe('docs/admin-api.md the journal is capped under load', () => {
  it('keeps at most journalCap entries, counts the dropped ones, and truncates large bodies', async () => {
    await start({ journalCap: 100 });
    for (let i = 0; i < 200; i++)
      c42.store.create({ schemas: [URN.User], userName: `load.${i}@example.com` }, { location: (id) => id });
    // 500 requests, 50 at a time, a third of them answered with a page of 200 users (over 64 KiB each).
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          rawRequest(server.port, {
            method: 'GET',
            target:
              i % 3 === 0
                ? '/scim/v2/Users?count=200'
                : `/scim/v2/Users?filter=userName%20eq%20%22load.${i}@example.com%22`,
            headers: auth,
          }),
        ),
      );
    }
    expect(c42.journal.size()).toBe(100);
    expect(c42.journal.dropped()).toBe(400);
    const entries = c42.journal.list();
    const pages = entries.filter((e) => e.url.includes('count=200'));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(page.response.body).toMatch(/…\[truncated: \d+ bytes in total\]$/);
    // So the journal's memory is bounded by cap × (request + response bodies ≤ 64 KiB each + headers), whatever the load.
    for (const entry of entries) {
      const size = Buffer.byteLength(JSON.stringify(entry));
      expect(size).toBeLessThan(2 * DEFAULT_MAX_BODY_BYTES + 4096);
    }
  });
});

describe('RFC 7644 §3.12 and RFC 9110 §15.5.14 oversized bodies', () => {
  it('answers a SCIM body over the configured limit with 413 and a SCIM error, and stores nothing', async () => {
    await start({ bodyLimit: '16kb' });
    const body = JSON.stringify({ schemas: [URN.User], userName: 'big@example.com', title: 'x'.repeat(20_000) });
    const res = await rawRequest(server.port, { method: 'POST', target: '/scim/v2/Users', headers: auth, body });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ schemas: [URN.Error], status: '413' });
    expect(c42.store.size()).toBe(0);
  });

  it('answers a body over the default 1 MB with 413, announced or streamed in chunks', async () => {
    await start({});
    const body = JSON.stringify({ schemas: [URN.User], userName: 'big@example.com', title: 'x'.repeat(1_100_000) });
    const announced = await rawRequest(server.port, { method: 'POST', target: '/scim/v2/Users', headers: auth, body });
    expect(announced.status).toBe(413);
    const chunked = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const streamed = await rawRequest(server.port, {
      method: 'PUT',
      target: '/scim/v2/Users/x',
      headers: [...auth, ['Transfer-Encoding', 'chunked']],
      body: chunked,
    });
    expect(streamed.status).toBe(413);
  });
});

/** Opens a connection, writes `bytes`, and resolves what the server answered once it closed the connection. */
function stall(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
  });
}

describe('lab/listen timeouts cut slow and abandoned connections', () => {
  const timeouts = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 200 };

  it('answers 408 and closes a connection whose headers never finish (slowloris)', async () => {
    await start({}, timeouts);
    const answer = await stall(server.port, 'GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 10_000);

  it('answers 408 and closes a connection whose body stops coming', async () => {
    await start({}, timeouts);
    const head = `POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n`;
    const answer = await stall(
      server.port,
      `${head}Content-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{"sch`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(c42.store.size()).toBe(0);
  }, 10_000);

  it('closes an idle kept-alive connection after its answer', async () => {
    await start({}, timeouts);
    const answer = await stall(
      server.port,
      'GET /__admin/health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/keep-alive/i);
  }, 10_000);
});
