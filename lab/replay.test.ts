import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HarCapture, RecordedExchange } from './har-read';
import { replay, scimPathOf } from './replay';
import { compareResponses, DEFAULT_MASKS } from './replay-compare';
import { Rewrites, uniqueValues } from './replay-map';

describe('replay comparison: what counts as the same answer (docs/record-replay.md)', () => {
  const user = (extra: Record<string, unknown>) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    ...extra,
  });
  it.each([
    [
      'ids and meta differ',
      user({ id: 'a', meta: { version: 'W/"1"' }, userName: 'x' }),
      user({ id: 'b', meta: { version: 'W/"9"' }, userName: 'x' }),
      [],
    ],
    ['attribute names differ in case only (RFC 7643 §2.1)', user({ userName: 'x' }), user({ USERNAME: 'x' }), []],
    [
      'multi-valued attributes come in another order (a decision, docs/decisions.md)',
      user({ emails: [{ value: 'a' }, { value: 'b' }] }),
      user({ emails: [{ value: 'b' }, { value: 'a' }] }),
      [],
    ],
    [
      'a timestamp outside meta differs',
      user({ 'urn:x:lastLogin': '2026-01-01T00:00:00Z' }),
      user({ 'urn:x:lastLogin': '2026-12-06T01:02:03.456Z' }),
      [],
    ],
  ])('finds no difference when %s', (_name, recorded, replayed, expected) => {
    expect(compareResponses({ status: 200, body: recorded }, { status: 200, body: replayed }, DEFAULT_MASKS)).toEqual(
      expected,
    );
  });

  it('names an attribute that changed, one that went missing and one that appeared', () => {
    const differences = compareResponses(
      { status: 200, body: user({ active: false, name: { givenName: 'Al' } }) },
      { status: 200, body: user({ active: true, title: 'x' }) },
      DEFAULT_MASKS,
    );
    expect(differences).toEqual([
      { path: 'active', expected: false, actual: true },
      { path: 'name', expected: { givenName: 'Al' }, actual: undefined },
      { path: 'title', expected: undefined, actual: 'x' },
    ]);
  });

  it('compares status and scimType first, and not the free-text detail of an Error (RFC 7644 §3.12)', () => {
    const error = (scimType: string, detail: string) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType,
      detail,
    });
    expect(
      compareResponses(
        { status: 409, body: error('uniqueness', 'a') },
        { status: 409, body: error('uniqueness', 'b') },
        DEFAULT_MASKS,
      ),
    ).toEqual([]);
    expect(
      compareResponses(
        { status: 409, body: error('uniqueness', 'a') },
        { status: 400, body: error('invalidValue', 'a') },
        DEFAULT_MASKS,
      ),
    ).toEqual([
      { path: '(status)', expected: 409, actual: 400 },
      { path: 'scimType', expected: 'uniqueness', actual: 'invalidValue' },
    ]);
  });

  it("leaves out a --mask path, also inside each of a ListResponse's Resources", () => {
    const list = (formatted: string) => ({ Resources: [user({ name: { formatted, givenName: 'A' } })] });
    expect(
      compareResponses({ status: 200, body: list('A B') }, { status: 200, body: list('B, A') }, [
        ...DEFAULT_MASKS,
        'name.formatted',
      ]),
    ).toEqual([]);
  });
});

describe('replay rewrites: ids and prefixed values', () => {
  it('rewrites whole tokens in one pass, also URL-encoded, never a value twice', () => {
    const rewrites = new Rewrites();
    for (const value of uniqueValues({ userName: 'alice', emails: [{ value: 'alice@example.com' }], externalId: 'e1' }))
      rewrites.add(value, `run1-${value}`);
    rewrites.add('12', '7f3c');
    expect(rewrites.apply('/Users?filter=userName%20eq%20%22alice%40example.com%22')).toBe(
      '/Users?filter=userName%20eq%20%22run1-alice%40example.com%22',
    );
    expect(rewrites.apply('{"userName":"alice","emails":[{"value":"alice@example.com"}],"id":"12","n":"312"}')).toBe(
      '{"userName":"run1-alice","emails":[{"value":"run1-alice@example.com"}],"id":"7f3c","n":"312"}',
    );
    expect(rewrites.apply('/Users/12')).toBe('/Users/7f3c');
  });

  it.each([
    ['https://sp.example/scim/v2/Users/1?attributes=userName', '/Users/1?attributes=userName'],
    ['http://127.0.0.1:4242/tenant/abc/scim/Groups', '/Groups'],
    ['https://sp.example/scim/v2/ServiceProviderConfig', '/ServiceProviderConfig'],
    ['https://sp.example/oauth/token', undefined],
    ['https://sp.example/app.js', undefined],
  ])('rebases %s onto the target as %s (RFC 7644 §3.2 endpoints)', (url, path) => {
    expect(scimPathOf(url)).toBe(path);
  });
});

describe('replay --pace', () => {
  let server: http.Server;
  let target: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"totalResults":0}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const at = (index: number, startedAt: string): RecordedExchange => ({
    index,
    startedAt,
    timeMs: 1,
    method: 'GET',
    url: 'https://sp.example/scim/v2/Users',
    requestHeaders: {},
    status: 200,
    responseHeaders: {},
    responseText: '{"totalResults":0}',
  });
  const capture: HarCapture = {
    creator: 'test',
    exchanges: [
      at(1, '2026-01-01T00:00:00.000Z'),
      at(2, '2026-01-01T00:00:01.500Z'),
      at(3, '2026-01-01T00:00:04.000Z'),
    ],
  };

  it("recorded: waits until each request's recorded offset from the first", async () => {
    const waits: number[] = [];
    const result = await replay(capture, {
      target,
      pace: 'recorded',
      now: () => 0,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(waits).toEqual([1500, 4000]);
    expect(result.diverged).toBe(0);
  });

  it('recorded with a speed-up: waits the recorded offsets divided by it', async () => {
    const waits: number[] = [];
    await replay(capture, {
      target,
      pace: 'recorded',
      speedup: 10,
      now: () => 0,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(waits).toEqual([150, 400]);
  });

  it('fast: never waits', async () => {
    const waits: number[] = [];
    const result = await replay(capture, { target, pace: 'fast', sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([]);
    expect(result.steps.map((s) => s.status)).toEqual([200, 200, 200]);
  });
});
