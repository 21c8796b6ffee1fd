import { rawRequest } from '../lab/test-support/raw-http';
import type { Listening } from '../lab/types';
import { URN } from '../scim/urns';
import { createCode42, type Code42 } from './index';

// Issue 18, item 9: what happens to a request that a `latency` fault holds past the client's timeout. It is dropped:
// the client that gives up closes its connection, the fault's timer is cleared, and the handler never runs. So a
// provisioner that times out on a POST and retries gets 201, not 409. A client that half-closes its socket after the
// body is taken as gone too (Node aborts a request on the client's FIN). docs/reliability.md says so; this pins it.

const TOKEN = 'delayed-scim-token-0001';
const DELAY_MS = 1000;
const headers: [string, string][] = [
  ['Authorization', `Bearer ${TOKEN}`],
  ['Content-Type', 'application/scim+json'],
];
const body = JSON.stringify({ schemas: [URN.User], userName: 'delayed@example.com' });

let c42: Code42;
let server: Listening;
beforeEach(async () => {
  c42 = createCode42({ token: TOKEN });
  server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 200 });
  c42.faults.add({ match: { method: 'POST', path: '/Users' }, action: 'latency', latencyMs: [DELAY_MS, DELAY_MS] });
});
afterEach(async () => {
  await c42.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('issue 18 a request delayed past the client timeout', () => {
  it('is never applied once the client has closed its connection, and the journal records it as status 0', async () => {
    // The client gives up after 100 ms, a tenth of the delay; then the delay runs out with nobody waiting.
    const res = await rawRequest(server.port, { method: 'POST', target: '/scim/v2/Users', headers, body }, 100);
    expect(res.status).toBe(0);
    await sleep(DELAY_MS * 1.5);
    expect(c42.store.query().totalResults).toBe(0);
    const entries = c42.journal.list();
    expect(entries).toEqual([expect.objectContaining({ method: 'POST', status: 0 })]);
    // The client's retry is a fresh create.
    c42.faults.clear();
    const retry = await rawRequest(server.port, { method: 'POST', target: '/scim/v2/Users', headers, body });
    expect(retry.status).toBe(201);
  });

  it('is applied and answered when the client keeps its connection open until the answer', async () => {
    const res = await fetch(`${server.url}/scim/v2/Users`, {
      method: 'POST',
      headers: Object.fromEntries(headers),
      body,
    });
    expect(res.status).toBe(201);
    expect(c42.store.query().totalResults).toBe(1);
  });

  it('is dropped too when the client only half-closes its socket: Node takes the FIN for a client that left', async () => {
    const res = await rawRequest(server.port, { method: 'POST', target: '/scim/v2/Users', headers, body });
    expect(res.status).toBe(0);
    await sleep(DELAY_MS * 1.5);
    expect(c42.store.query().totalResults).toBe(0);
  });
});
