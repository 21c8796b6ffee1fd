import { createServer, type Server, type ServerResponse } from 'node:http';
import { createClock, createFaults, createJournal } from '../lab';
import { parseDeviations } from './deviations';
import { createOutboundScimClient, type OutboundScimClient } from './outbound-client';

// Issue 18 "bounded reading" for the mock PingOne's outbound SCIM client: a target that streams an endless body or
// stalls mid-body ends the exchange with a network error within the bounds, recorded in the outbound journal.

let server: Server;
let baseUrl: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    if (req.url?.startsWith('/endless')) {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else {
      res.write('{"Resources":[');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function client(journal = createJournal()): OutboundScimClient {
  return createOutboundScimClient({
    journal,
    faults: createFaults(),
    clock: createClock(),
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 300, maxRetryAfterMs: 1000 },
    deviations: parseDeviations([]),
    insecure: false,
    maxResponseBytes: 128 * 1024,
  });
}

const connection = () => ({ baseUrl, contentType: 'application/scim+json' });

describe('the outbound SCIM client reads within bounds (issue 18)', () => {
  it('ends an endless body past the maximum size as a network error, journaled, and does not retry it', async () => {
    const journal = createJournal();
    const response = await client(journal).sendWithRetry(connection(), { method: 'GET', path: '/endless/Users' });
    expect(response).toMatchObject({ status: 0, errorCode: 'ERESPONSETOOLARGE', attempts: 1 });
    expect(response.error).toContain('131072 bytes');
    expect(journal.list()).toHaveLength(1);
  });

  it('ends a body that stalls after the headers at the timeout, which covers the body', async () => {
    const response = await client().send(connection(), { method: 'GET', path: '/stall/Users' });
    expect(response).toMatchObject({ status: 0, errorCode: 'ETIMEDOUT' });
    expect(response.error).toContain('300 ms');
  });
});
