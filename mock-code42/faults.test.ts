import http from 'node:http';
import request from 'supertest';
import type { Code42 } from './index';
import { TOKEN, filterQuery, lab, user, appOf } from './test-support';
import { ERROR_URN } from '../fixtures/scim-wire';

// docs/admin-api.md fault rules, applied by the mock Code42 to its own SCIM routes.

type Lab = ReturnType<typeof lab>;

const addFault = async (l: Lab, rule: Record<string, unknown>) =>
  (await l.admin.post('/faults', rule).expect(201)).body as { id: string };

describe('docs/admin-api.md fault action "status"', () => {
  it('answers the next N matching requests with the status and Retry-After, then serves normally', async () => {
    const l = lab();
    const rule = await addFault(l, {
      match: { method: 'POST', path: '/Users*' },
      action: 'status',
      status: 429,
      retryAfter: 2,
      times: 3,
    });
    for (const n of [1, 2, 3]) {
      const res = await l.scim.post('/Users', user(`throttled${n}@example.com`));
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: '429' });
    }
    await l.scim.post('/Users', user('fourth@example.com')).expect(201);
    // The faulted requests never reached the handler.
    expect((await l.scim.get('/Users')).body.totalResults).toBe(1);
    expect((await l.admin.get('/faults')).body.faults).toEqual([
      expect.objectContaining({ id: rule.id, remaining: 0, hits: 3 }),
    ]);
  });

  it('sends a string body as text, and journals the exchange with a note naming the rule', async () => {
    const l = lab();
    const rule = await addFault(l, { match: { path: '/Users' }, action: 'status', status: 503, body: 'maintenance' });
    const res = await l.scim.get('/Users');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('maintenance');
    const [entry] = (await l.admin.get('/journal')).body.entries;
    expect(entry).toMatchObject({ method: 'GET', status: 503, error: expect.stringContaining(rule.id) });
  });

  it('leaves requests of another method alone', async () => {
    const l = lab();
    await addFault(l, { match: { method: 'POST' }, action: 'status', status: 500 });
    await l.scim.get('/Users').expect(200);
    expect((await l.scim.post('/Users', user('x@example.com'))).status).toBe(500);
  });

  it('applies percent 100 to every request and percent 0 to none', async () => {
    const always = lab();
    await addFault(always, { action: 'status', status: 502, percent: 100 });
    for (let i = 0; i < 3; i++) expect((await always.scim.get('/Users')).status).toBe(502);
    const never = lab();
    await addFault(never, { action: 'status', status: 502, percent: 0 });
    for (let i = 0; i < 3; i++) await never.scim.get('/Users').expect(200);
  });
});

describe('docs/admin-api.md fault match.path: a glob after the base path', () => {
  const cases: [string, string, boolean][] = [
    ['/Users*', '/Users', true],
    ['/Users*', '/Users/123', true],
    ['/Users*', filterQuery('userName eq "a@example.com"'), true],
    ['/Users*', '/ServiceProviderConfig', false],
    ['/Users', '/Users/123', false],
    ['/Users', filterQuery('userName eq "a@example.com"'), true],
    ['/Users/*', '/Users', false],
    ['/scim/v2/Users*', '/Users', false],
    ['/*Config', '/ServiceProviderConfig', true],
  ];
  it.each(cases)('pattern %s on %s faults: %s', async (pattern, path, faulted) => {
    const l = lab();
    await addFault(l, { match: { path: pattern }, action: 'status', status: 418 });
    expect((await l.scim.get(path)).status === 418).toBe(faulted);
  });

  it('matches after a configured base path', async () => {
    const l = lab({ basePath: '/api/scim' });
    await addFault(l, { match: { path: '/Users/*' }, action: 'status', status: 418 });
    expect((await l.scim.get('/Users/123')).status).toBe(418);
    await l.scim.get('/Users').expect(200);
  });

  it('never applies to the admin surface', async () => {
    const l = lab();
    await addFault(l, { action: 'status', status: 500 });
    await request(appOf(l.c42)).get('/__admin/health').expect(200);
    await l.admin.get('/faults').expect(200);
    expect((await l.scim.get('/Users')).status).toBe(500);
  });
});

describe('docs/admin-api.md fault action "latency"', () => {
  it('delays the response by at least the minimum, then serves it normally', async () => {
    const l = lab();
    await addFault(l, { match: { method: 'GET', path: '/Users' }, action: 'latency', latencyMs: [200, 250] });
    const started = performance.now();
    const res = await l.scim.get('/Users');
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(0);
    // Node timers may fire up to 1 ms early (libuv keeps the loop time in whole milliseconds).
    expect(elapsed).toBeGreaterThanOrEqual(199);
    expect((await l.admin.get('/journal')).body.entries[0].durationMs).toBeGreaterThanOrEqual(199);
  });
});

/** A raw HTTP request to a listening instance, resolving with the status or the network error's code and message. */
function rawRequest(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number } | { code: string; message: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      new URL(path, url),
      {
        method,
        agent: false,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? '', message: err.message }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('docs/admin-api.md network faults on a listening instance', () => {
  let c42: Code42 | undefined;
  afterEach(async () => {
    await c42?.close();
    c42 = undefined;
  });

  const listening = async () => {
    const l = lab();
    c42 = l.c42;
    return { ...l, url: (await l.c42.listen({ host: '127.0.0.1', port: 0 })).url };
  };

  it('"reset" destroys the connection: the client sees ECONNRESET and nothing is created', async () => {
    const l = await listening();
    const rule = await addFault(l, { match: { method: 'POST', path: '/Users*' }, action: 'reset', times: 1 });
    const res = await rawRequest(l.url, 'POST', '/scim/v2/Users', user('reset@example.com'));
    expect(res).toEqual({ code: 'ECONNRESET', message: expect.stringContaining('ECONNRESET') });
    expect(await rawRequest(l.url, 'GET', '/scim/v2/Users')).toEqual({ status: 200 });
    expect(l.c42.store.size()).toBe(0);
    const [entry] = (await l.admin.get('/journal?method=POST')).body.entries;
    expect(entry).toMatchObject({ status: 0, error: `injected fault ${rule.id}: connection reset` });
  });

  it('"empty" closes the connection without a byte: the client sees a hang-up', async () => {
    const l = await listening();
    const rule = await addFault(l, { match: { path: '/Users' }, action: 'empty', times: 1 });
    const res = await rawRequest(l.url, 'GET', '/scim/v2/Users');
    expect(res).toEqual({ code: 'ECONNRESET', message: 'socket hang up' });
    expect(await rawRequest(l.url, 'GET', '/scim/v2/Users')).toEqual({ status: 200 });
    const [entry] = (await l.admin.get('/journal')).body.entries;
    expect(entry).toMatchObject({ status: 0, error: `injected fault ${rule.id}: empty reply` });
  });
});
