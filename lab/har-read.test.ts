import { readHar, STREAM_HEAD } from './har-read';

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) as exported by a browser's developer tools: base64 bodies,
// no postData on a GET, headers in their own case, pages and timings the reader does not need.
const BROWSER_HAR = {
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    pages: [{ id: 'page_1', title: 'admin console', startedDateTime: '2026-01-05T10:00:00.000Z', pageTimings: {} }],
    entries: [
      {
        pageref: 'page_1',
        startedDateTime: '2026-01-05T10:00:00.100Z',
        time: 12.5,
        request: {
          method: 'get',
          url: 'https://sp.example/scim/v2/Users?filter=userName%20eq%20%22alice%22',
          httpVersion: 'HTTP/2',
          headers: [{ name: 'Accept', value: 'application/scim+json' }],
          queryString: [],
          cookies: [],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: 200,
          statusText: 'OK',
          httpVersion: 'HTTP/2',
          headers: [{ name: 'Content-Type', value: 'application/scim+json' }],
          cookies: [],
          content: {
            size: 17,
            mimeType: 'application/scim+json',
            text: Buffer.from('{"totalResults":0}').toString('base64'),
            encoding: 'base64',
          },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { send: 1, wait: 10, receive: 1.5 },
      },
    ],
  },
};

describe('HAR 1.2 import: a capture from a browser or another proxy', () => {
  it('reads method, URL, headers (lower-cased) and a base64 response body of a browser export', () => {
    const capture = readHar(JSON.stringify(BROWSER_HAR));
    expect(capture.creator).toBe('WebInspector');
    expect(capture.exchanges).toEqual([
      {
        index: 1,
        startedAt: '2026-01-05T10:00:00.100Z',
        timeMs: 12.5,
        method: 'GET',
        url: 'https://sp.example/scim/v2/Users?filter=userName%20eq%20%22alice%22',
        requestHeaders: { accept: 'application/scim+json' },
        status: 200,
        responseHeaders: { 'content-type': 'application/scim+json' },
        responseText: '{"totalResults":0}',
      },
    ]);
  });

  const entry = BROWSER_HAR.log.entries[0];
  it.each([
    ['text that is not JSON', 'HTTP/1.1 200 OK', /^not JSON: /],
    ['JSON without a log', '{"entries": []}', "not a HAR file: no 'log' object"],
    ['a log without a version', '{"log": {"entries": []}}', "log.version is missing (HAR 1.2 wants '1.2')"],
    ['a log without entries', '{"log": {"version": "1.2"}}', 'log.entries is missing or not an array'],
    [
      'an entry without a request',
      JSON.stringify({ log: { version: '1.2', entries: [entry, { response: entry.response }] } }),
      'entry 2: request is missing',
    ],
    [
      'an entry with a relative URL',
      JSON.stringify({
        log: { version: '1.2', entries: [{ ...entry, request: { ...entry.request, url: '/Users' } }] },
      }),
      'entry 1: request.url is missing or not an absolute URL',
    ],
    [
      'an entry whose status is text',
      JSON.stringify({
        log: { version: '1.2', entries: [{ ...entry, response: { ...entry.response, status: '200' } }] },
      }),
      'entry 1: response.status is missing or not an integer',
    ],
    [
      'headers that are an object instead of a list',
      JSON.stringify({
        log: { version: '1.2', entries: [{ ...entry, request: { ...entry.request, headers: { a: 'b' } } }] },
      }),
      'entry 1: request.headers is not a list of {name, value}',
    ],
  ])('refuses %s with a one-line message naming the field', (_name, text, message) => {
    expect(() => readHar(text)).toThrow(message);
  });
});

describe('docs/record-replay.md: a capture cut short by a crash', () => {
  const head = `${STREAM_HEAD}{"name":"scim-lab record","version":"0.1.0"},"entries":[`;
  const line = (status: number) => JSON.stringify({ ...entry(status) });
  function entry(status: number) {
    return { ...BROWSER_HAR.log.entries[0], response: { ...BROWSER_HAR.log.entries[0].response, status } };
  }

  it('keeps every complete entry of a file the recorder never closed', () => {
    const capture = readHar(`${head}\n${line(201)}\n,${line(409)}\n`);
    expect(capture.exchanges.map((e) => e.status)).toEqual([201, 409]);
    expect(capture.recovered).toBe('unfinished capture (the recorder did not close it): kept its 2 complete entries');
  });

  it('drops a last line the crash cut in the middle, and says so', () => {
    const capture = readHar(`${head}\n${line(201)}\n,${line(409).slice(0, 40)}`);
    expect(capture.exchanges.map((e) => e.status)).toEqual([201]);
    expect(capture.recovered).toMatch(/kept its 1 complete entries, dropped a cut last line$/);
  });

  it('does not try to recover a file that another tool wrote', () => {
    expect(() => readHar('{"log":{"version":"1.2","entries":[\n{"x":1}')).toThrow(/^not JSON: /);
  });
});
