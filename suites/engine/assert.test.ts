import { expectEqual, expectHeader, expectJsonContentType, expectScimError, expectStatus } from './assert';
import { createExchangeLog, createRecorder } from './exchange-log';
import { HttpClient, type HttpResponse } from './http-client';
import { CheckFailure } from './outcomes';
import { Redactor } from '../../lab/redact';
import { TOKEN, startTinyScim, type TinyScim } from './test-support/tiny-scim';

let server: TinyScim;
let client: HttpClient;
beforeAll(async () => {
  server = await startTinyScim();
  client = new HttpClient({
    name: 'target',
    baseUrl: server.baseUrl,
    token: TOKEN,
    recorder: createRecorder(createExchangeLog(), new Redactor()),
  });
});
afterAll(() => server.close());

function failureOf(assertion: () => void): CheckFailure {
  try {
    assertion();
  } catch (error) {
    if (error instanceof CheckFailure) return error;
    throw error;
  }
  throw new Error('the assertion passed');
}

describe('expectStatus', () => {
  it('passes on the expected status, a status class, or one of a list', async () => {
    const res = await client.get('/Users/none');
    expect(() => expectStatus(res, 404)).not.toThrow();
    expect(() => expectStatus(res, '4xx')).not.toThrow();
    expect(() => expectStatus(res, [400, 404])).not.toThrow();
  });

  it('states the request, what came back with its detail, and what was expected, with the exchange as evidence', async () => {
    const res = await client.get('/Users/none');
    const failure = failureOf(() => expectStatus(res, [200, '3xx']));
    expect(failure.message).toBe('GET /Users/none answered 404 (detail: "status 404"); expected 200 or 3xx');
    expect(failure.evidence).toEqual([res.exchange]);
  });

  it('decodes the query of the request it describes', async () => {
    const res = await client.get('/Users/none', { query: { filter: 'userName eq "x"' } });
    expect(failureOf(() => expectStatus(res, 200)).message).toMatch(
      /^GET \/Users\/none\?filter=userName eq "x" answered 404/,
    );
  });
});

describe('RFC 7644 §3.12 expectScimError', () => {
  it('passes on a SCIM Error with the status as a string', async () => {
    const res = await client.get('/Users/none');
    expect(() => expectScimError(res, 404)).not.toThrow();
    expect(() => expectScimError(res, ['4xx', 501])).not.toThrow();
  });

  it('fails a success that should have been refused, in the words of the seed check', async () => {
    const created = await client.post('/Users', { body: { userName: 'p-del' } });
    const res = await client.delete(`/Users/${(created.body as { id: string }).id}`);
    const id = (created.body as { id: string }).id;
    expect(failureOf(() => expectScimError(res, ['4xx', 501])).message).toBe(
      `DELETE /Users/${id} answered 204; expected 4xx or 501 with a SCIM Error`,
    );
  });

  it('fails a body whose status is a number, not a string', async () => {
    const res = await client.get('/numeric-status-error');
    expect(failureOf(() => expectScimError(res, 400, 'invalidFilter')).message).toBe(
      'GET /numeric-status-error answered 400 with a body status of 400, not the string "400"; expected 400 with a SCIM Error (scimType invalidFilter)',
    );
  });

  it('fails a wrong scimType, and a body without the Error URN', async () => {
    const res = await client.get('/Users/none');
    expect(failureOf(() => expectScimError(res, 404, 'uniqueness')).message).toBe(
      'GET /Users/none answered 404 with scimType nothing; expected 404 with a SCIM Error (scimType uniqueness)',
    );
    const notError = await client.get('/ServiceProviderConfig');
    expect(failureOf(() => expectScimError(notError, '2xx')).message).toContain(
      'with schemas nothing, not containing urn:ietf:params:scim:api:messages:2.0:Error',
    );
  });

  it('fails a body that is not JSON', async () => {
    const res = await client.get('/html');
    expect(failureOf(() => expectScimError(res, 200)).message).toBe(
      'GET /html answered 200 with a body that is not JSON; expected 200 with a SCIM Error',
    );
  });
});

describe('expectHeader and expectJsonContentType (RFC 7644 §3.1, §8.1)', () => {
  let created: HttpResponse;
  beforeAll(async () => {
    created = await client.post('/Users', { body: { userName: 'p-h' } });
  });

  it('returns a present header, matched by value or pattern', () => {
    expect(expectHeader(created, 'Location', /^\/scim\/v2\/Users\/\d+$/)).toBe(created.headers.location);
  });

  it('names a missing or mismatched header', () => {
    expect(failureOf(() => expectHeader(created, 'ETag-Missing')).message).toBe(
      'POST /Users answered 201 without a ETag-Missing header',
    );
    expect(failureOf(() => expectHeader(created, 'Location', 'elsewhere')).message).toMatch(
      /^POST \/Users answered Location: \/scim\/v2\/Users\/\d+; expected elsewhere$/,
    );
  });

  it('accepts application/scim+json with parameters, and refuses text/html', async () => {
    expect(() => expectJsonContentType(created)).not.toThrow();
    const html = await client.get('/html');
    expect(failureOf(() => expectJsonContentType(html)).message).toBe(
      'GET /html answered Content-Type text/html; charset=utf-8; expected application/scim+json or application/json',
    );
  });
});

describe('expectEqual', () => {
  it('compares structurally, keys in any order', () => {
    expect(() => expectEqual({ a: [1, { b: 2, c: 3 }] }, { a: [1, { c: 3, b: 2 }] }, 'value')).not.toThrow();
  });

  it('states the value, where it came from, what was expected and what came back', async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(failureOf(() => expectEqual(res.body, { patch: { supported: true } }, 'the config', res)).message).toBe(
      'the config in the answer to GET /ServiceProviderConfig: expected {"patch":{"supported":true}}, got {"patch":{"supported":false}}',
    );
  });

  it('says so when two strings differ only in Unicode normalization', () => {
    expect(failureOf(() => expectEqual('Rene\u0301', 'Ren\u00e9', 'name.givenName')).message).toContain(
      'the same text in a different Unicode normalization form',
    );
    expect(failureOf(() => expectEqual(undefined, 'x', 'title')).message).toBe('title: expected "x", got nothing');
  });
});
