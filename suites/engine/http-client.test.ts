import { Redactor } from '../../lab/redact';
import { createServer } from 'node:net';
import { createExchangeLog, createRecorder } from './exchange-log';
import { HttpClient } from './http-client';
import { TransportError } from './outcomes';
import { TOKEN, startTinyScim, type TinyScim } from './test-support/tiny-scim';

let server: TinyScim;
beforeAll(async () => {
  server = await startTinyScim();
});
afterAll(() => server.close());

function setup(baseUrl = server.baseUrl) {
  const log = createExchangeLog();
  const recorder = createRecorder(log, new Redactor(), 'SCIM-TEST');
  return { log, recorder, client: new HttpClient({ name: 'target', baseUrl, token: TOKEN, recorder }) };
}

describe('the HTTP client the suites use (RFC 7644 §3.8 media types, bearer auth)', () => {
  it('sends the bearer token and asks for application/scim+json', async () => {
    const { client } = setup();
    const res = await client.get('/echo');
    expect(res.status).toBe(200);
    expect((res.body as { authorization: string }).authorization).toBe(`Bearer ${TOKEN}`);
    expect(res.request.headers.accept).toBe('application/scim+json');
  });

  it('sends JSON bodies as application/scim+json and parses JSON answers', async () => {
    const { client } = setup();
    const res = await client.post('/Users', { body: { userName: 'p-a' } });
    expect(res.request.headers['content-type']).toBe('application/scim+json');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userName: 'p-a', id: expect.any(String) });
    expect(res.headers.location).toMatch(/^\/scim\/v2\/Users\/\d+$/);
  });

  it('sends no Authorization with token null, another token when given, and header overrides as given', async () => {
    const { client, log } = setup();
    expect((await client.get('/echo', { token: null })).status).toBe(401);
    expect((await client.get('/echo', { token: 'wrong-token-value' })).status).toBe(401);
    const basic = await client.get('/echo', { headers: { Authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    expect(basic.request.headers.authorization).toBe(`Basic ${TOKEN}`);
    const recorded = log.list().map((e) => e.request.headers.authorization);
    expect(recorded).toEqual([undefined, '[redacted]', '[redacted]']);
    expect(JSON.stringify(log.list())).not.toContain('wrong-token-value');
  });

  it('sends a raw body as it is, with the content type asked for or none', async () => {
    const { client, log } = setup();
    await client.post('/Users', { body: '{"userName": ', raw: true, contentType: 'application/json' });
    await client.post('/Users', { body: { userName: 'p-b' }, contentType: null });
    const [raw, bare] = log.list();
    expect(raw.request.text).toBe('{"userName": ');
    expect(raw.request.body).toBe('{"userName": ');
    expect(raw.request.headers['content-type']).toBe('application/json');
    expect(bare.request.headers['content-type']).toBeUndefined();
  });

  it('percent-encodes query values, spaces as %20', async () => {
    const { client } = setup();
    const filter = 'username Eq "a\\"b+c@example.com"';
    const res = await client.get('/echo', { query: { filter, count: 1, skipped: undefined } });
    expect(res.request.url).toBe(`${server.baseUrl}/echo?filter=${encodeURIComponent(filter)}&count=1`);
    expect(res.request.url).toContain('username%20Eq%20');
    expect((res.body as { query: unknown }).query).toEqual({ filter, count: '1' });
  });

  it('follows an absolute URL such as a Location header, and a base URL with a trailing slash', async () => {
    const { client } = setup(`${server.baseUrl}/`);
    const created = await client.post('/Users', { body: { userName: 'p-c' } });
    const origin = new URL(server.baseUrl).origin;
    const read = await client.get(`${origin}${created.headers.location}`);
    expect(read.status).toBe(200);
    expect(read.request.path).toBe(`/Users/${(created.body as { id: string }).id}`);
  });

  it('keeps a non-JSON answer as text with no parsed body', async () => {
    const { client, log } = setup();
    const res = await client.get('/html');
    expect(res.body).toBeUndefined();
    expect(res.text).toBe('<p>not json</p>');
    expect(log.list()[0].response?.body).toBe('<p>not json</p>');
  });

  it('records each exchange between the harness and the named participant, as evidence of the requirement', async () => {
    const { client, recorder } = setup();
    const res = await client.get('/Users/none');
    expect(res.exchange).toMatchObject({ from: 'scim-lab', to: 'target', requirementId: 'SCIM-TEST', seq: 1 });
    expect(res.exchange.response?.status).toBe(404);
    expect(recorder.list()).toEqual([res.exchange]);
  });

  it('throws a TransportError naming the request when nothing answers, and records the attempt', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const { client, log } = setup(`http://127.0.0.1:${port}/scim/v2`);
    await expect(client.get('/Users')).rejects.toThrow(
      new TransportError(`GET http://127.0.0.1:${port}/scim/v2/Users: no response (ECONNREFUSED)`),
    );
    expect(log.list()[0]).toMatchObject({ error: 'ECONNREFUSED' });
    expect(log.list()[0].response).toBeUndefined();
  });

  it('refuses a base URL that is not http(s), naming the client', () => {
    const recorder = createRecorder(createExchangeLog(), new Redactor());
    expect(() => new HttpClient({ name: 'target', baseUrl: 'localhost:8080', recorder })).toThrow(
      'HttpClient target: baseUrl must be http or https, got localhost:8080',
    );
    expect(() => new HttpClient({ name: 'target', baseUrl: 'not a url', recorder })).toThrow('baseUrl is not a URL');
  });
});

describe('the exchange log', () => {
  it('drops the oldest exchanges beyond its cap and counts them', () => {
    const log = createExchangeLog({ limit: 2 });
    const recorder = createRecorder(log, new Redactor());
    for (const method of ['A', 'B', 'C']) {
      recorder.record({ from: 'x', to: 'y', startedAt: '', durationMs: 0, request: { method, url: 'u', headers: {} } });
    }
    expect(log.list().map((e) => `${e.seq}${e.request.method}`)).toEqual(['2B', '3C']);
    expect(log.dropped()).toBe(1);
  });

  it('cuts very long bodies in the record', () => {
    const recorder = createRecorder(createExchangeLog(), new Redactor());
    const text = 'x'.repeat(300_000);
    const e = recorder.record({
      from: 'x',
      to: 'y',
      startedAt: '',
      durationMs: 0,
      request: { method: 'POST', url: 'u', headers: {}, text, body: text },
    });
    expect(e.request.text?.length).toBeLessThan(210_000);
    expect(e.request.text).toMatch(/…\[100000 more characters not recorded\]$/);
  });
});
