import { gzipSync } from 'node:zlib';
import { rawRequest } from '../lab/test-support/raw-http';
import type { Listening } from '../lab/types';
import { URN } from '../scim/urns';
import { createCode42, type Code42 } from './index';

// Issue 18, strict input: bytes that are not UTF-8, user names no directory could store, compressed bodies from
// clients that half-close their socket (every request below is sent that way: raw-http ends its side after the body),
// and URLs longer than Node's default header limit. Each answer is a SCIM error, and nothing is created.

const TOKEN = 'strict-scim-token-0001';
const headers: [string, string][] = [
  ['Authorization', `Bearer ${TOKEN}`],
  ['Content-Type', 'application/scim+json'],
];

let c42: Code42;
let server: Listening;
beforeEach(async () => {
  c42 = createCode42({ token: TOKEN });
  server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 200 });
});
afterEach(async () => {
  await c42.close();
});

const post = (body: Buffer | string, extra: [string, string][] = []) =>
  rawRequest(server.port, { method: 'POST', target: '/scim/v2/Users', headers: [...headers, ...extra], body });
const userJson = (userName: string) => JSON.stringify({ schemas: [URN.User], userName });
const errorOf = (res: { body: string }) =>
  JSON.parse(res.body) as { schemas: string[]; scimType?: string; detail: string };

describe('issue 18 strict input: bodies must be UTF-8', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['an encoded surrogate half', [0xed, 0xa0, 0x80]],
    ['the byte 0xFF', [0xff]],
    ['a sequence cut short', [0xe2, 0x82]],
  ])('answers a body holding %s with 400 invalidSyntax and creates nothing', async (_name, bytes) => {
    const body = Buffer.concat([
      Buffer.from(`{"schemas":["${URN.User}"],"userName":"bad`),
      Buffer.from(bytes),
      Buffer.from('@example.com"}'),
    ]);
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ scimType: 'invalidSyntax', detail: expect.stringContaining('UTF-8') });
    expect(c42.store.query().totalResults).toBe(0);
  });

  it('accepts the same user written in valid UTF-8, accents and emoji included', async () => {
    const res = await post(Buffer.from(userJson('zoë.😀@example.com'), 'utf8'));
    expect(res.status).toBe(201);
  });
});

describe('issue 18 strict input: userName must be storable text', () => {
  it.each([
    ['NUL', 'nul\u0000@example.com'],
    ['a tab', 'tab\t@example.com'],
    ['a newline', 'line\n@example.com'],
    ['DEL', 'del\u007f@example.com'],
    ['a C1 control', 'c1\u0085@example.com'],
    ['a lone high surrogate', 'hi\ud800@example.com'],
    ['a lone low surrogate', 'lo\udc00@example.com'],
  ])('answers a userName holding %s with 400 invalidValue and creates nothing', async (_name, userName) => {
    const res = await post(userJson(userName));
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining("'userName'") });
    expect(c42.store.query().totalResults).toBe(0);
  });

  it('refuses the same userName through PATCH and PUT', async () => {
    const created = await post(userJson('clean@example.com'));
    const id = (JSON.parse(created.body) as { id: string }).id;
    const patch = await rawRequest(server.port, {
      method: 'PATCH',
      target: `/scim/v2/Users/${id}`,
      headers,
      body: JSON.stringify({
        schemas: [URN.PatchOp],
        Operations: [{ op: 'replace', path: 'userName', value: 'x\u0000' }],
      }),
    });
    expect(patch.status).toBe(400);
    expect(errorOf(patch).scimType).toBe('invalidValue');
    const put = await rawRequest(server.port, {
      method: 'PUT',
      target: `/scim/v2/Users/${id}`,
      headers,
      body: userJson('y\ud800'),
    });
    expect(put.status).toBe(400);
    expect(c42.store.get(id).userName).toBe('clean@example.com');
  });
});

describe('issue 18 strict input: compressed bodies on a half-closed socket', () => {
  it.each(['gzip', 'deflate', 'br', 'x-custom'])(
    'refuses a %s body with 415 and a SCIM error, from a client that half-closed its socket',
    async (encoding) => {
      const res = await post(gzipSync(userJson('gzip@example.com')), [['Content-Encoding', encoding]]);
      expect(res.status).toBe(415);
      expect(errorOf(res)).toMatchObject({ schemas: [URN.Error], detail: expect.stringContaining('uncompressed') });
      expect(c42.store.query().totalResults).toBe(0);
    },
  );

  it('accepts Content-Encoding: identity like no encoding', async () => {
    const res = await post(userJson('identity@example.com'), [['Content-Encoding', 'identity']]);
    expect(res.status).toBe(201);
  });
});

describe('issue 18 strict input: long URLs', () => {
  it('serves a filter as long as the filter parser accepts, in characters that percent-encode to 9 bytes each', async () => {
    // 4,014 characters, under MAX_FILTER_LENGTH (4,096): 36 KB in the request line, over Node's default 16 KiB.
    const value = '\u4e00'.repeat(4000);
    const filter = encodeURIComponent(`userName eq "${value}"`);
    const res = await rawRequest(server.port, { method: 'GET', target: `/scim/v2/Users?filter=${filter}`, headers });
    expect(res.status).toBe(200);
  });

  it('answers a request line over the header limit with 431 and a SCIM error body', async () => {
    const res = await rawRequest(server.port, {
      method: 'GET',
      target: `/scim/v2/Users?filter=${'a'.repeat(80 * 1024)}`,
      headers,
    });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toContain('application/scim+json');
    expect(errorOf(res)).toMatchObject({ schemas: [URN.Error], status: '431' });
  });
});
