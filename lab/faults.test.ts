import http from 'node:http';
import request from 'supertest';
import { isScimError, scimErrors } from '../scim/errors';
import { applyOutboundFault, createFaults, faultResponse, pathAfterBase, simulatedNetworkError } from './faults';
import { errorReply, jsonReply, JSON_CONTENT_TYPE_HEADER } from '../scim/http';
import type { Ctx, Surface } from './http-core';
import { createJournal } from './journal';
import { nodeShell } from './node-shell';
import { createPipeline } from './pipeline';
import { serve } from './test-support/serve';
import type { FaultRule, Faults, Journal, Listening } from './types';
import { ERROR_URN } from '../fixtures/scim-wire';

/** A random source that replays the given values (then 0). */
const replay =
  (...values: number[]) =>
  () =>
    values.shift() ?? 0;

/** A tiny SCIM-like surface served through the pipeline (lab/pipeline.ts); the handler counts the requests that reach it. */
function faultedApp(faults: Faults, journal: Journal) {
  const reached: string[] = [];
  const handler = (ctx: Ctx) => {
    reached.push(`${ctx.method} ${ctx.url}`);
    return jsonReply({ ok: true });
  };
  const surface: Surface = {
    prefix: '/scim/v2',
    routes: [
      { path: '/Users', handlers: { GET: handler, POST: handler } },
      { path: '/Users/:id', handlers: { GET: handler } },
    ],
    notFound: (ctx) => scimErrors.notFound(`no route ${ctx.path}`),
    renderError: (err, ctx) => errorReply(err, ctx.path),
    contentType: JSON_CONTENT_TYPE_HEADER,
    journaled: true,
  };
  const pipeline = createPipeline({
    journal: { journal, now: () => new Date() },
    faults: { faults, basePath: '/scim/v2' },
  });
  return { app: nodeShell([surface], pipeline), reached };
}

/** A raw GET that reports either the response or the client-side error. */
function rawGet(url: string): Promise<{ status?: number; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
  });
}

describe('docs/admin-api.md fault rules: validation names the field at fault', () => {
  const faults = createFaults();
  const cases: [string, unknown, RegExp][] = [
    ['a non-object rule', [1], /a rule must be a JSON object/],
    ['an unknown action', { action: 'explode' }, /'action' must be one of status, latency, reset, empty/],
    ['a missing action', { match: {} }, /'action'/],
    ['an unknown field', { action: 'reset', timez: 3 }, /unknown field 'timez'/],
    ['a status out of range', { action: 'status', status: 600 }, /'status' must be an integer from 100 to 599/],
    ['a missing status', { action: 'status' }, /'status'/],
    ['a fractional status', { action: 'status', status: 429.5 }, /'status'/],
    ['a status on another action', { action: 'reset', status: 500 }, /'status' applies only to action 'status'/],
    ['a negative retryAfter', { action: 'status', status: 429, retryAfter: -1 }, /'retryAfter'/],
    ['latency without latencyMs', { action: 'latency' }, /'latencyMs'/],
    ['latencyMs with min > max', { action: 'latency', latencyMs: [10, 5] }, /'latencyMs' must be \[min, max\]/],
    ['latencyMs above 120000', { action: 'latency', latencyMs: [0, 120001] }, /'latencyMs'/],
    ['latencyMs with a negative min', { action: 'latency', latencyMs: [-1, 5] }, /'latencyMs'/],
    ['latencyMs of one number', { action: 'latency', latencyMs: [5] }, /'latencyMs'/],
    ['times of 0', { action: 'reset', times: 0 }, /'times' must be a positive integer/],
    ['fractional times', { action: 'reset', times: 1.5 }, /'times'/],
    ['percent above 100', { action: 'reset', percent: 101 }, /'percent' must be a number from 0 to 100/],
    ['both times and percent', { action: 'reset', times: 1, percent: 50 }, /either 'times' or 'percent'/],
    ['an unknown direction', { action: 'reset', direction: 'sideways' }, /'direction' must be inbound or outbound/],
    ['a non-string match.method', { action: 'reset', match: { method: 5 } }, /'match.method'/],
    [
      'a path without a leading slash',
      { action: 'reset', match: { path: 'Users*' } },
      /'match.path'.*starting with '\/'/,
    ],
    ['an unknown match field', { action: 'reset', match: { host: 'x' } }, /unknown field 'match.host'/],
  ];

  it.each(cases)('refuses %s with a 400 invalidValue', (_name, rule, message) => {
    let thrown: unknown;
    try {
      faults.add(rule as FaultRule);
    } catch (error) {
      thrown = error;
    }
    expect(isScimError(thrown) && thrown.status === 400 && thrown.scimType === 'invalidValue').toBe(true);
    expect((thrown as Error).message).toMatch(/^faults: /);
    expect((thrown as Error).message).toMatch(message);
    expect(faults.list()).toEqual([]);
  });

  it('refuses an outbound rule on a mock that makes no outbound calls', () => {
    const inboundOnly = createFaults({ directions: ['inbound'] });
    expect(() => inboundOnly.add({ match: {}, action: 'reset', direction: 'outbound' })).toThrow(
      "faults: 'direction' must be inbound on this mock",
    );
    expect(inboundOnly.add({ match: {}, action: 'reset' })).toMatchObject({ action: 'reset' });
  });

  it('stores a valid rule with an id, hits and remaining', () => {
    const stored = faults.add({
      match: { method: 'post', path: '/Users*' },
      action: 'status',
      status: 429,
      retryAfter: 2,
      times: 3,
    });
    expect(stored).toMatchObject({
      id: expect.any(String),
      match: { method: 'POST', path: '/Users*' },
      action: 'status',
      status: 429,
      retryAfter: 2,
      times: 3,
    });
    expect(faults.list()).toEqual([{ ...stored, hits: 0, remaining: 3 }]);
    faults.clear();
    expect(faults.list()).toEqual([]);
  });
});

describe('docs/admin-api.md fault rules: which requests a rule matches', () => {
  it('matches the path after the base path with a * glob', () => {
    const faults = createFaults();
    faults.add({ match: { path: '/Users*' }, action: 'reset' });
    expect(faults.take('GET', pathAfterBase('/scim/v2/Users/123', '/scim/v2'), 'inbound')).toBeDefined();
    expect(faults.take('GET', pathAfterBase('/scim/v2/Users?filter=x', '/scim/v2'), 'inbound')).toBeDefined();
    expect(faults.take('GET', pathAfterBase('/scim/v2/Groups', '/scim/v2'), 'inbound')).toBeUndefined();
  });

  it('ignores the query string unless the pattern has a "?"', () => {
    const faults = createFaults();
    faults.add({ match: { path: '/Users' }, action: 'reset' });
    faults.add({ match: { path: '/Groups?filter=*' }, action: 'empty' });
    expect(faults.take('GET', '/Users?filter=userName eq "x"', 'inbound')?.action).toBe('reset');
    expect(faults.take('GET', '/Users/1', 'inbound')).toBeUndefined();
    expect(faults.take('GET', '/Groups?filter=x', 'inbound')?.action).toBe('empty');
    expect(faults.take('GET', '/Groups', 'inbound')).toBeUndefined();
  });

  it('matches the method without case, and any method when none is given', () => {
    const faults = createFaults();
    faults.add({ match: { method: 'DELETE' }, action: 'reset' });
    expect(faults.take('delete', '/Users/1', 'inbound')).toBeDefined();
    expect(faults.take('GET', '/Users/1', 'inbound')).toBeUndefined();
    faults.add({ match: {}, action: 'empty' });
    expect(faults.take('GET', '/anything', 'inbound')?.action).toBe('empty');
  });

  it('keeps inbound (the default) and outbound rules apart', () => {
    const faults = createFaults();
    faults.add({ match: {}, action: 'reset', direction: 'outbound' });
    expect(faults.take('GET', '/Users', 'inbound')).toBeUndefined();
    expect(applyOutboundFault(faults, 'GET', '/Users')?.action).toBe('reset');
  });

  it('checks rules in insertion order', () => {
    const faults = createFaults();
    faults.add({ match: { path: '/Users*' }, action: 'status', status: 503 });
    faults.add({ match: { path: '/Users/*' }, action: 'reset' });
    expect(faults.take('GET', '/Users/1', 'inbound')?.action).toBe('status');
  });

  it('strips only a whole base path segment', () => {
    expect(pathAfterBase('/scim/v2', '/scim/v2')).toBe('/');
    expect(pathAfterBase('/scim/v2/', '/scim/v2/')).toBe('/');
    expect(pathAfterBase('/scim/v22/Users', '/scim/v2')).toBe('/scim/v22/Users');
    expect(pathAfterBase('/other?x=1', '/scim/v2')).toBe('/other?x=1');
  });
});

describe('docs/admin-api.md fault rules: times and percent', () => {
  it('applies a rule with times to the next N matching requests only, then keeps it listed as exhausted', () => {
    const faults = createFaults();
    faults.add({ match: { method: 'POST' }, action: 'reset', times: 2 });
    const outcomes = [1, 2, 3].map(() => faults.take('POST', '/Users', 'inbound')?.action ?? 'none');
    expect(outcomes).toEqual(['reset', 'reset', 'none']);
    expect(faults.list()[0]).toMatchObject({ hits: 2, remaining: 0 });
  });

  it('lets a later rule apply once an earlier one is exhausted', () => {
    const faults = createFaults();
    faults.add({ match: {}, action: 'reset', times: 1 });
    faults.add({ match: {}, action: 'empty' });
    expect(faults.take('GET', '/Users', 'inbound')?.action).toBe('reset');
    expect(faults.take('GET', '/Users', 'inbound')?.action).toBe('empty');
  });

  it('applies a percent rule when the random draw falls below it', () => {
    const faults = createFaults({ random: replay(0.1, 0.9, 0.49, 0.5) });
    faults.add({ match: {}, action: 'reset', percent: 50 });
    const outcomes = [1, 2, 3, 4].map(() => (faults.take('GET', '/Users', 'inbound') ? 'fault' : 'pass'));
    expect(outcomes).toEqual(['fault', 'pass', 'fault', 'pass']);
    expect(faults.list()[0].hits).toBe(2);
  });

  it('never applies percent 0 and always applies percent 100', () => {
    const faults = createFaults({ random: replay(0, 0.999999) });
    faults.add({ match: { method: 'GET' }, action: 'reset', percent: 0 });
    faults.add({ match: { method: 'GET' }, action: 'empty', percent: 100 });
    expect(faults.take('GET', '/Users', 'inbound')?.action).toBe('empty');
  });

  it('draws the latency of each request from latencyMs with the random source', () => {
    const faults = createFaults({ random: replay(0, 0.5, 0.999999) });
    faults.add({ match: {}, action: 'latency', latencyMs: [100, 200] });
    const delays = [1, 2, 3].map(() => faults.take('GET', '/Users', 'inbound')?.delayMs);
    expect(delays).toEqual([100, 150, 200]);
  });
});

describe('docs/admin-api.md fault actions through the request pipeline', () => {
  let server: Listening;
  let faults: Faults;
  let journal: Journal;
  let reached: string[];

  beforeEach(async () => {
    faults = createFaults({ random: replay(0.5) });
    journal = createJournal();
    const built = faultedApp(faults, journal);
    reached = built.reached;
    server = await serve(built.app);
  });
  afterEach(() => server.close());

  it('status: answers with the status, Retry-After and a SCIM Error body; the handler never runs', async () => {
    faults.add({ match: { method: 'POST', path: '/Users*' }, action: 'status', status: 429, retryAfter: 2 });
    const res = await request(server.url).post('/scim/v2/Users').send({ userName: 'x' }).expect(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({
      schemas: [ERROR_URN],
      status: '429',
      detail: 'injected fault',
    });
    expect(reached).toEqual([]);
    expect(journal.list()[0]).toMatchObject({
      status: 429,
      error: expect.stringMatching(/^injected fault .*: status 429$/),
    });
  });

  it('status: sends the rule’s own body, also for statuses outside the SCIM catalogue', async () => {
    faults.add({ match: {}, action: 'status', status: 418, body: { teapot: true }, times: 1 });
    faults.add({ match: {}, action: 'status', status: 502, body: '<html>Bad Gateway</html>' });
    const teapot = await request(server.url).get('/scim/v2/Users').expect(418);
    expect(teapot.body).toEqual({ teapot: true });
    const gateway = await request(server.url).get('/scim/v2/Users').expect(502);
    expect(gateway.text).toBe('<html>Bad Gateway</html>');
    expect(gateway.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('status: stops after times and lets the next request reach the handler', async () => {
    faults.add({ match: { path: '/Users*' }, action: 'status', status: 503, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(server.url).get('/scim/v2/Users')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(reached).toEqual(['GET /scim/v2/Users']);
  });

  it('latency: delays the request by at least the drawn delay, then the handler answers', async () => {
    faults.add({ match: {}, action: 'latency', latencyMs: [60, 80] });
    const started = performance.now();
    await request(server.url).get('/scim/v2/Users/1').expect(200, { ok: true });
    // replay(0.5) draws 70 ms from [60, 80]; assert only the lower bound of the range.
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    expect(reached).toEqual(['GET /scim/v2/Users/1']);
  });

  it('reset: destroys the connection, the client sees ECONNRESET and no response', async () => {
    faults.add({ match: { path: '/Users/*' }, action: 'reset' });
    const outcome = await rawGet(`${server.url}/scim/v2/Users/1`);
    expect(outcome.status).toBeUndefined();
    expect(outcome.error?.code).toBe('ECONNRESET');
    // A TCP RST ("read ECONNRESET"), not the orderly close of `empty` ("socket hang up").
    expect(outcome.error?.message).toMatch(/ECONNRESET/);
    expect(reached).toEqual([]);
  });

  it('empty: closes the connection without any response bytes, the client sees an error', async () => {
    faults.add({ match: {}, action: 'empty' });
    const outcome = await rawGet(`${server.url}/scim/v2/Users`);
    expect(outcome.status).toBeUndefined();
    expect(outcome.error?.message).toBe('socket hang up');
    expect(reached).toEqual([]);
  });

  it('reset and empty: the journal records status 0 with the fault as the error', async () => {
    faults.add({ match: {}, action: 'reset', times: 1 });
    faults.add({ match: {}, action: 'empty', times: 1 });
    await rawGet(`${server.url}/scim/v2/Users`);
    await rawGet(`${server.url}/scim/v2/Users`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.list().map((e) => [e.status, e.error])).toEqual([
      [0, expect.stringMatching(/: connection reset$/)],
      [0, expect.stringMatching(/: empty reply$/)],
    ]);
  });

  it('passes requests that no rule matches to the handler', async () => {
    faults.add({ match: { path: '/Groups*' }, action: 'reset' });
    await request(server.url).get('/scim/v2/Users').expect(200);
    expect(reached).toEqual(['GET /scim/v2/Users']);
  });
});

describe('docs/admin-api.md outbound faults, simulated by the provisioner’s client', () => {
  it('gives the client the response a status rule stands for', () => {
    expect(faultResponse({ match: {}, action: 'status', status: 429, retryAfter: 5 })).toEqual({
      status: 429,
      headers: { 'Retry-After': '5', 'Content-Type': 'application/scim+json' },
      body: '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429","detail":"injected fault"}',
    });
  });

  it('gives the client a Node-shaped network error for reset and empty', () => {
    const faults = createFaults();
    faults.add({ match: { method: 'PUT' }, action: 'reset', direction: 'outbound', times: 1 });
    faults.add({ match: { method: 'PUT' }, action: 'empty', direction: 'outbound', times: 1 });
    const reset = applyOutboundFault(faults, 'PUT', '/Users/1')!;
    const empty = applyOutboundFault(faults, 'PUT', '/Users/1')!;
    expect(simulatedNetworkError(reset)).toMatchObject({
      code: 'ECONNRESET',
      message: expect.stringMatching(/ECONNRESET/),
    });
    expect(simulatedNetworkError(empty)).toMatchObject({
      code: 'ECONNRESET',
      message: expect.stringMatching(/hang up/),
    });
    expect(applyOutboundFault(faults, 'PUT', '/Users/1')).toBeUndefined();
  });
});
