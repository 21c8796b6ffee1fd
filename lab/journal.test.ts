import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { scimErrors } from '../scim/errors';
import { errorReply, jsonReply, JSON_CONTENT_TYPE_HEADER, type Reply } from '../scim/http';
import type { Surface } from './http-core';
import { createJournal, recordOutbound } from './journal';
import { nodeShell } from './node-shell';
import { createPipeline } from './pipeline';
import { withServer } from './test-support/serve';
import type { Journal, JournalEntry } from './types';

function entry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    time: '2025-01-01T00:00:00.000Z',
    direction: 'inbound',
    method: 'GET',
    url: 'http://127.0.0.1:8080/scim/v2/Users',
    status: 200,
    durationMs: 3,
    request: { headers: {}, body: undefined },
    response: { headers: {}, body: undefined },
    ...overrides,
  };
}

describe('docs/admin-api.md the journal is capped', () => {
  it('drops the oldest entries first and counts them', () => {
    const journal = createJournal({ cap: 3 });
    for (let i = 1; i <= 5; i++) journal.record(entry({ url: `http://h/Users/${i}` }));
    expect(journal.size()).toBe(3);
    expect(journal.dropped()).toBe(2);
    expect(journal.list().map((e) => e.url)).toEqual(['http://h/Users/3', 'http://h/Users/4', 'http://h/Users/5']);
  });

  it('keeps 1000 entries by default', () => {
    const journal = createJournal();
    for (let i = 0; i < 1001; i++) journal.record(entry());
    expect(journal.size()).toBe(1000);
    expect(journal.dropped()).toBe(1);
  });

  it('empties and resets the dropped count on clear()', () => {
    const journal = createJournal({ cap: 1 });
    journal.record(entry());
    journal.record(entry());
    journal.clear();
    expect(journal.size()).toBe(0);
    expect(journal.dropped()).toBe(0);
    expect(journal.list()).toEqual([]);
    journal.record(entry({ method: 'PUT' }));
    expect(journal.list().map((e) => e.method)).toEqual(['PUT']);
  });

  it('refuses a cap that is not a positive integer, naming cap', () => {
    expect(() => createJournal({ cap: 0 })).toThrow(/'cap'/);
  });

  it('truncates a body larger than the limit and marks it', () => {
    const journal = createJournal({ maxBodyBytes: 100 });
    const big = { Resources: Array.from({ length: 50 }, (_, i) => ({ userName: `user${i}@example.com` })) };
    journal.record(entry({ response: { headers: { 'content-type': 'application/scim+json' }, body: big } }));
    const body = journal.list()[0].response.body as string;
    expect(typeof body).toBe('string');
    expect(body.startsWith('{"Resources":[{"userName":"user0@example.com"}')).toBe(true);
    expect(body).toMatch(/…\[truncated: \d+ bytes in total\]$/);
    expect(Buffer.byteLength(body)).toBeLessThan(200);
  });
});

describe('docs/admin-api.md the journal is capped in bytes as well as entries', () => {
  const withBody = (i: number, chars: number) =>
    entry({ url: `http://h/Users/${i}`, response: { headers: {}, body: 'x'.repeat(chars) } });

  it('drops the oldest entries first once the bytes kept would pass maxBytes, and counts them', () => {
    const journal = createJournal({ maxBytes: 10_000 });
    for (let i = 1; i <= 10; i++) journal.record(withBody(i, 3000));
    expect(journal.size()).toBeLessThan(4);
    expect(journal.dropped()).toBe(10 - journal.size());
    expect(journal.list().at(-1)?.url).toBe('http://h/Users/10');
    const urls = journal.list().map((e) => e.url);
    expect(urls).toEqual([...urls].sort((a, b) => Number(a.split('/').pop()) - Number(b.split('/').pop())));
  });

  it('keeps the newest entry even when it alone is over maxBytes', () => {
    const journal = createJournal({ maxBytes: 1000 });
    journal.record(withBody(1, 10));
    journal.record(withBody(2, 5000));
    expect(journal.list().map((e) => e.url)).toEqual(['http://h/Users/2']);
    expect(journal.dropped()).toBe(1);
  });

  it('frees the bytes of cleared entries', () => {
    const journal = createJournal({ maxBytes: 12_000 });
    for (let i = 1; i <= 3; i++) journal.record(withBody(i, 3000));
    journal.clear();
    for (let i = 4; i <= 6; i++) journal.record(withBody(i, 3000));
    expect(journal.size()).toBe(3);
    expect(journal.dropped()).toBe(0);
  });

  it('refuses a maxBytes that is not a positive integer, naming maxBytes', () => {
    expect(() => createJournal({ maxBytes: 0 })).toThrow(/'maxBytes'/);
  });
});

describe('the journal mode: all, errors or off', () => {
  const statuses = [200, 201, 204, 304, 400, 404, 409, 429, 500, 503];

  it('keeps every exchange by default', () => {
    const journal = createJournal();
    for (const status of statuses) journal.record(entry({ status }));
    expect(journal.list().map((e) => e.status)).toEqual(statuses);
  });

  it('with errors, keeps only exchanges answered 400 or above, transport failures and replaced answers', () => {
    const journal = createJournal({ mode: 'errors' });
    for (const status of statuses) journal.record(entry({ status }));
    journal.record(entry({ status: 0, error: 'connection reset' }));
    journal.record(entry({ status: 200, error: 'injected fault f-1: latency 50 ms' }));
    expect(journal.list().map((e) => e.status)).toEqual([400, 404, 409, 429, 500, 503, 0, 200]);
    expect(journal.dropped()).toBe(0);
  });

  it('with off, keeps nothing and drops nothing', () => {
    const journal = createJournal({ mode: 'off' });
    for (const status of statuses) journal.record(entry({ status }));
    expect(journal.size()).toBe(0);
    expect(journal.dropped()).toBe(0);
    expect(journal.list()).toEqual([]);
  });

  it('refuses an unknown mode, naming mode', () => {
    expect(() => createJournal({ mode: 'some' as never })).toThrow(/'mode'/);
  });
});

describe('docs/admin-api.md Authorization values are always written as [redacted]', () => {
  it('redacts credential headers whatever their case', () => {
    const journal = createJournal();
    journal.record(
      entry({
        request: {
          headers: {
            Authorization: 'Bearer abc.def',
            'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
            cookie: 'sid=1',
            'X-API-Key': 'k-123',
            accept: 'application/scim+json',
          },
          body: undefined,
        },
        response: { headers: { 'Set-Cookie': 'sid=2' }, body: undefined },
      }),
    );
    const [stored] = journal.list();
    expect(stored.request.headers).toEqual({
      authorization: '[redacted]',
      'proxy-authorization': '[redacted]',
      cookie: '[redacted]',
      'x-api-key': '[redacted]',
      accept: 'application/scim+json',
    });
    expect(stored.response.headers).toEqual({ 'set-cookie': '[redacted]' });
  });

  it('redacts secret keys deep inside JSON bodies, without changing the caller’s object', () => {
    const journal = createJournal();
    const body = {
      userName: 'bjensen',
      password: 'hunter22',
      connection: { configuration: { OAUTH_ACCESS_TOKEN: 'tok', BASIC_AUTH_PASSWORD: 'pw', BASE_URL: 'http://x' } },
      tokens: [{ access_token: 'a', refresh_token: 'r', Client_Secret: 's', clientSecret: 's2' }],
      secret: { nested: 'whole value goes' },
    };
    journal.record(entry({ method: 'POST', request: { headers: {}, body } }));
    expect(journal.list()[0].request.body).toEqual({
      userName: 'bjensen',
      password: '[redacted]',
      connection: {
        configuration: { OAUTH_ACCESS_TOKEN: '[redacted]', BASIC_AUTH_PASSWORD: '[redacted]', BASE_URL: 'http://x' },
      },
      tokens: [
        {
          access_token: '[redacted]',
          refresh_token: '[redacted]',
          Client_Secret: '[redacted]',
          clientSecret: '[redacted]',
        },
      ],
      secret: '[redacted]',
    });
    expect(body.password).toBe('hunter22');
  });

  it('redacts secret keys in JSON and form bodies recorded as text', () => {
    const journal = createJournal();
    journal.record(
      entry({
        request: {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_secret=s3cr3t&scope=x',
        },
        response: { headers: { 'content-type': 'application/json' }, body: '{"access_token":"eyJ","expires_in":3600}' },
      }),
    );
    const [stored] = journal.list();
    expect(stored.request.body).toBe('grant_type=client_credentials&client_secret=[redacted]&scope=x');
    expect(stored.response.body).toEqual({ access_token: '[redacted]', expires_in: 3600 });
  });

  it('redacts JSON text whatever spelling the secret key has: case, _ or -, a Kelvin sign, a \\u escape', () => {
    const journal = createJournal({ redact: ['literal-secret'] });
    const texts = [
      '{"Pass_Word":"a"}',
      '{"ACCESS-TOKEN":"b"}',
      '{"to\u212Aen":"c"}',
      '{"\\u0070assword":"d"}',
      '{"nested":[{"x":"has literal-secret"}]}',
      '{"version":"W/\\"1\\"","title":"token"}',
    ];
    for (const body of texts) {
      journal.record(entry({ response: { headers: { 'content-type': 'application/scim+json' }, body } }));
    }
    expect(journal.list().map((e) => e.response.body)).toEqual([
      { Pass_Word: '[redacted]' },
      { 'ACCESS-TOKEN': '[redacted]' },
      { 'to\u212Aen': '[redacted]' },
      { password: '[redacted]' },
      { nested: [{ x: 'has [redacted]' }] },
      { version: 'W/"1"', title: 'token' },
    ]);
  });

  it('records and lists bodies nested 200,000 deep, cut at 64 levels, without overflowing the stack', () => {
    const journal = createJournal();
    const deepText = '['.repeat(200_000) + ']'.repeat(200_000);
    const deepValue = JSON.parse(deepText);
    journal.record(
      entry({
        request: { headers: { 'content-type': 'application/json' }, body: deepValue },
        response: { headers: { 'content-type': 'application/json' }, body: deepText },
      }),
    );
    const [stored] = journal.list();
    for (const body of [stored.request.body, stored.response.body]) {
      const text = JSON.stringify(body);
      expect(text).toContain('[nested deeper than 64 levels]');
      expect(text.length).toBeLessThan(200);
    }
    expect(() => JSON.stringify(journal.toHar())).not.toThrow();
  });

  it('gives every list() its own copy of the bodies', () => {
    const journal = createJournal();
    journal.record(entry({ response: { headers: { 'content-type': 'application/json' }, body: '{"a":{"b":1}}' } }));
    (journal.list()[0].response.body as { a: { b: number } }).a.b = 2;
    expect(journal.list()[0].response.body).toEqual({ a: { b: 1 } });
  });

  it('replaces the given literal secrets wherever they appear: URL, headers, bodies, error', () => {
    const tokens = ['c42-provider-token'];
    const journal = createJournal({ redact: () => tokens });
    tokens.push('late-added-token');
    journal.record(
      entry({
        url: 'http://h/scim/v2/Users?note=c42-provider-token',
        request: { headers: { 'x-echo': 'late-added-token' }, body: { note: 'uses c42-provider-token here' } },
        response: { headers: {}, body: 'echo late-added-token' },
        error: 'failed with c42-provider-token',
      }),
    );
    const [stored] = journal.list();
    expect(JSON.stringify(stored)).not.toMatch(/c42-provider-token|late-added-token/);
    expect(stored.url).toBe('http://h/scim/v2/Users?note=[redacted]');
    expect(stored.request.headers['x-echo']).toBe('[redacted]');
    expect(stored.request.body).toEqual({ note: 'uses [redacted] here' });
    expect(stored.response.body).toBe('echo [redacted]');
    expect(stored.error).toBe('failed with [redacted]');
  });

  it('redacts credential query parameters in URLs', () => {
    const journal = createJournal();
    journal.record(entry({ url: 'http://h/cb?access_token=abc&state=1' }));
    expect(journal.list()[0].url).toBe('http://h/cb?access_token=[redacted]&state=1');
  });

  it('redacts before truncating, so a truncated body never shows a secret', () => {
    const journal = createJournal({ maxBodyBytes: 40, redact: ['literal-secret'] });
    journal.record(entry({ request: { headers: {}, body: { password: 'p4ssw0rd-p4ssw0rd', x: 'literal-secret' } } }));
    const body = journal.list()[0].request.body as string;
    expect(body).toContain('"password":"[redacted]"');
    expect(body).not.toMatch(/p4ssw0rd|literal-secret/);
  });
});

describe('docs/admin-api.md GET /__admin/journal filters', () => {
  const journal = createJournal();
  beforeAll(() => {
    journal.record(entry({ method: 'POST', url: 'http://h/scim/v2/Users', status: 201 }));
    journal.record(entry({ method: 'GET', url: 'http://h/scim/v2/Users/123?attributes=userName', status: 200 }));
    journal.record(entry({ method: 'DELETE', url: 'http://h/scim/v2/Users/123', status: 405 }));
    journal.record(entry({ method: 'PUT', url: 'http://t/scim/v2/Users/9', status: 0, direction: 'outbound' }));
    journal.record(entry({ method: 'GET', url: 'http://h/scim/v2/Groups', status: 200 }));
  });
  const urls = (list: JournalEntry[]) => list.map((e) => `${e.method} ${e.url}`);

  it('filters by method, without case', () => {
    expect(urls(journal.list({ method: 'delete' }))).toEqual(['DELETE http://h/scim/v2/Users/123']);
  });

  it('filters by a substring of the path', () => {
    expect(journal.list({ path: 'Users/123' }).map((e) => e.method)).toEqual(['GET', 'DELETE']);
  });

  it('filters by a glob over the whole path, not the query string', () => {
    expect(journal.list({ path: '/scim/v2/Users/*' }).map((e) => e.method)).toEqual(['GET', 'DELETE', 'PUT']);
    expect(journal.list({ path: '*/Users' }).map((e) => e.method)).toEqual(['POST']);
    expect(journal.list({ path: '*userName*' })).toEqual([]);
  });

  it('filters by status and direction', () => {
    expect(journal.list({ status: 405 }).map((e) => e.method)).toEqual(['DELETE']);
    expect(journal.list({ status: 0 }).map((e) => e.method)).toEqual(['PUT']);
    expect(journal.list({ direction: 'outbound' }).map((e) => e.method)).toEqual(['PUT']);
    expect(journal.list({ direction: 'inbound' })).toHaveLength(4);
  });

  it('returns the newest N with limit, still newest last', () => {
    expect(journal.list({ limit: 2 }).map((e) => e.method)).toEqual(['PUT', 'GET']);
    expect(journal.list({ method: 'GET', limit: 1 }).map((e) => e.url)).toEqual(['http://h/scim/v2/Groups']);
    expect(journal.list({ limit: 50 })).toHaveLength(5);
  });
});

/** Structural checks of the HAR 1.2 fields that the specification marks as required. */
function expectValidHar(har: unknown): void {
  const isString = expect.any(String);
  const isNumber = expect.any(Number);
  const nameValues = expect.arrayContaining([]);
  expect(har).toMatchObject({ log: { version: '1.2', creator: { name: 'scim-lab', version: isString } } });
  const { entries } = (har as { log: { entries: Record<string, unknown>[] } }).log;
  expect(Array.isArray(entries)).toBe(true);
  for (const e of entries) {
    expect(e).toMatchObject({
      startedDateTime: isString,
      time: isNumber,
      request: {
        method: isString,
        url: isString,
        httpVersion: isString,
        cookies: nameValues,
        headers: nameValues,
        queryString: nameValues,
        headersSize: -1,
        bodySize: isNumber,
      },
      response: {
        status: isNumber,
        statusText: isString,
        httpVersion: isString,
        cookies: nameValues,
        headers: nameValues,
        content: { size: isNumber, mimeType: isString },
        redirectURL: isString,
        headersSize: -1,
        bodySize: isNumber,
      },
      cache: {},
      timings: { send: isNumber, wait: isNumber, receive: isNumber },
    });
    expect(Number.isNaN(Date.parse(e.startedDateTime as string))).toBe(false);
    const req = e.request as { headers: unknown[]; queryString: unknown[]; postData?: unknown };
    for (const pair of [...req.headers, ...req.queryString]) expect(pair).toEqual({ name: isString, value: isString });
    if (req.postData !== undefined) expect(req.postData).toMatchObject({ mimeType: isString, text: isString });
  }
}

describe('docs/admin-api.md GET /__admin/journal.har is HAR 1.2', () => {
  it('exports every entry with the fields HAR 1.2 requires', () => {
    const journal = createJournal();
    journal.record(
      entry({
        method: 'POST',
        url: 'http://h/scim/v2/Users?x=1&y=2',
        status: 201,
        durationMs: 12,
        request: {
          headers: { 'content-type': 'application/scim+json', authorization: 'Bearer t' },
          body: { userName: 'bjensen' },
        },
        response: {
          headers: { 'content-type': 'application/scim+json', location: 'http://h/scim/v2/Users/1' },
          body: { id: '1' },
        },
      }),
    );
    journal.record(entry({ status: 0, error: 'connection reset', direction: 'outbound', provider: 'p-1' }));
    type HarEntry = {
      request: Record<string, unknown>;
      response: Record<string, unknown>;
      timings: { wait: number };
    };
    const har = journal.toHar('1.2.3') as { log: { creator: { version: string }; entries: HarEntry[] } };
    expectValidHar(har);
    expect(har.log.creator.version).toBe('1.2.3');
    const [post, reset] = har.log.entries;
    expect(post.request.queryString).toEqual([
      { name: 'x', value: '1' },
      { name: 'y', value: '2' },
    ]);
    expect(post.request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' });
    expect(post.request.postData).toEqual({ mimeType: 'application/scim+json', text: '{"userName":"bjensen"}' });
    expect(post.request.bodySize).toBe(22);
    expect(post.response).toMatchObject({
      status: 201,
      statusText: 'Created',
      redirectURL: 'http://h/scim/v2/Users/1',
      content: { size: 10, mimeType: 'application/scim+json', text: '{"id":"1"}' },
    });
    expect(post.timings.wait).toBe(12);
    expect(reset.request.postData).toBeUndefined();
    expect(reset.response).toMatchObject({ status: 0, bodySize: -1 });
    // The one HAR writer (lab/har.ts) puts why no response came on the entry, as the run's HAR report does.
    expect(reset).toMatchObject({ _direction: 'outbound', _provider: 'p-1', _error: 'connection reset' });
  });

  it('is a valid, empty log when nothing was recorded', () => {
    const har = createJournal().toHar();
    expectValidHar(har);
    expect(har).toMatchObject({ log: { entries: [] } });
  });
});

describe('the request pipeline journals inbound exchanges', () => {
  /** A journaled surface at /scim/v2 (its guard names the provider) and an admin-like surface that is not journaled. */
  function appWith(journal: Journal, slow?: () => void) {
    const scim: Surface = {
      prefix: '/scim/v2',
      routes: [
        {
          path: '/Users',
          handlers: { POST: (ctx) => jsonReply({ id: '1', ...(ctx.body as object) }, 201) },
        },
        { path: '/text', handlers: { GET: () => ({ status: 200, raw: 'plain s3cret-token', type: 'text/plain' }) } },
        {
          path: '/noted',
          handlers: {
            GET: (ctx) => {
              ctx.locals.note = 'injected fault f: status 503';
              return { status: 503 };
            },
          },
        },
        // never answers
        { path: '/slow', handlers: { GET: () => new Promise<Reply>(() => slow?.()) } },
      ],
      guard: (ctx) => void (ctx.locals.provider = ctx.get('x-provider')),
      notFound: (ctx) => scimErrors.notFound(ctx.path),
      renderError: (err, ctx) => errorReply(err, ctx.path),
      contentType: JSON_CONTENT_TYPE_HEADER,
      journaled: true,
    };
    const admin: Surface = {
      ...scim,
      prefix: '/__admin',
      routes: [{ path: '/anything', handlers: { GET: () => jsonReply({ admin: true }) } }],
      guard: undefined,
      journaled: false,
    };
    return nodeShell([admin, scim], createPipeline({ journal: { journal, now: () => new Date(0) } }));
  }

  it('captures method, URL, headers, the provider and both bodies, redacted', async () => {
    const journal = createJournal({ redact: ['s3cret-token'] });
    await withServer(appWith(journal), (url) =>
      request(url)
        .post('/scim/v2/Users?x=1')
        .set('Authorization', 'Bearer s3cret-token')
        .set('X-Provider', 'provider-1')
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify({ userName: 'bjensen', password: 'pw' }))
        .expect(201),
    );
    const [recorded] = journal.list();
    expect(recorded).toMatchObject({
      time: '1970-01-01T00:00:00.000Z',
      direction: 'inbound',
      provider: 'provider-1',
      method: 'POST',
      status: 201,
      request: { body: { userName: 'bjensen', password: '[redacted]' } },
      response: { body: { id: '1', userName: 'bjensen', password: '[redacted]' } },
    });
    expect(recorded.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\?x=1$/);
    expect(recorded.request.headers.authorization).toBe('[redacted]');
    expect(recorded.request.headers['content-type']).toBe('application/scim+json');
    expect(recorded.response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(recorded.error).toBeUndefined();
  });

  it('keeps a text body as text with literal secrets replaced, and a body-less request with no body', async () => {
    const journal = createJournal({ redact: ['s3cret-token'] });
    await withServer(appWith(journal), (url) => request(url).get('/scim/v2/text').expect(200));
    expect(journal.list()[0].response.body).toBe('plain [redacted]');
    expect(journal.list()[0].request.body).toBeUndefined();
  });

  it('records the note the handler left as the error', async () => {
    const journal = createJournal();
    await withServer(appWith(journal), (url) => request(url).get('/scim/v2/noted').expect(503));
    expect(journal.list()[0]).toMatchObject({ status: 503, error: 'injected fault f: status 503' });
  });

  it('does not record a surface that is not journaled (the admin surface)', async () => {
    const journal = createJournal();
    await withServer(appWith(journal), (url) => request(url).get('/__admin/anything').expect(200));
    expect(journal.size()).toBe(0);
  });

  it('records an exchange whose connection closed before the response as status 0 with an error', async () => {
    const journal = createJournal();
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = http.createServer(appWith(journal, () => arrived())).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const recorded = new Promise<void>((resolve) => {
        const original = journal.record.bind(journal);
        journal.record = (e) => {
          original(e);
          resolve();
        };
      });
      const client = http.get({ host: '127.0.0.1', port, path: '/scim/v2/slow' });
      client.on('error', () => undefined);
      await requestArrived;
      client.destroy();
      await recorded;
      expect(journal.list()[0]).toMatchObject({
        method: 'GET',
        status: 0,
        error: 'the connection closed before the response was complete',
        response: { headers: {}, body: undefined },
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('recordOutbound records the provisioner’s SCIM calls', () => {
  it('records an outbound exchange with headers of any shape, redacted', () => {
    const journal = createJournal({ redact: ['target-token'] });
    recordOutbound(journal, {
      method: 'patch',
      url: 'https://target.example/scim/v2/Users/42',
      requestHeaders: new Headers({ Authorization: 'Bearer target-token', 'Content-Type': 'application/scim+json' }),
      requestBody: { Operations: [{ op: 'replace', path: 'active', value: false }] },
      status: 200,
      responseHeaders: { 'Content-Type': 'application/scim+json', etag: ['W/"1"'] },
      responseBody: '{"id":"42","active":false}',
      durationMs: 7.6,
      provider: 'pingone',
      time: new Date('2025-01-01T00:00:00Z'),
    });
    expect(journal.list()).toEqual([
      {
        time: '2025-01-01T00:00:00.000Z',
        direction: 'outbound',
        provider: 'pingone',
        method: 'PATCH',
        url: 'https://target.example/scim/v2/Users/42',
        status: 200,
        durationMs: 8,
        request: {
          headers: { authorization: '[redacted]', 'content-type': 'application/scim+json' },
          body: { Operations: [{ op: 'replace', path: 'active', value: false }] },
        },
        response: {
          headers: { 'content-type': 'application/scim+json', etag: 'W/"1"' },
          body: { id: '42', active: false },
        },
      },
    ]);
  });

  it('records a network failure as status 0 with the error', () => {
    const journal = createJournal();
    recordOutbound(journal, { method: 'GET', url: 'http://t/Users', durationMs: 1, error: 'connect ECONNREFUSED' });
    expect(journal.list()[0]).toMatchObject({
      status: 0,
      error: 'connect ECONNREFUSED',
      response: { body: undefined },
    });
  });
});
