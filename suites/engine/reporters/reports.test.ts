import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetContext } from '../context';
import { createExchangeLog } from '../exchange-log';
import { runCatalogue } from '../runner';
import { exampleCatalogue, HOSTILE_MARKUP } from '../test-support/example-catalogue';
import { ADMIN_TOKEN, TOKEN, startTinyScim, type TinyScim } from '../test-support/tiny-scim';
import { findAll, parseXml, type XmlElement } from '../test-support/xml-check';
import type { Exchange, RunResult } from '../types';
import { escapeMarkup } from './escape';
import { toHar } from './har';
import { toHtml } from './html';
import { toJUnit } from './junit';
import { renderSequenceDiagram } from './sequence-diagram';
import { parseReportOption, writeReports } from './write';

let server: TinyScim;
let result: RunResult;
let exchanges: Exchange[];

beforeAll(async () => {
  server = await startTinyScim();
  const log = createExchangeLog();
  result = await runCatalogue(exampleCatalogue(), {
    context: targetContext({
      target: { baseUrl: server.baseUrl, token: TOKEN },
      admin: { baseUrl: server.adminUrl, token: ADMIN_TOKEN },
    }),
    seed: 1,
    target: { baseUrl: server.baseUrl },
    exchanges: log,
  });
  exchanges = log.list();
});
afterAll(() => server.close());

describe('docs/reports.md tokens are redacted in every report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-lab-reports-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes all four formats, and none of them contains a token', async () => {
    const paths = {
      junit: join(dir, 'nested', 'junit.xml'),
      json: join(dir, 'report.json'),
      har: join(dir, 'run.har'),
      html: join(dir, 'report.html'),
    };
    const written = await writeReports(result, exchanges, paths);
    expect(written.sort()).toEqual(Object.values(paths).sort());
    for (const path of written) {
      const text = await readFile(path, 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(ADMIN_TOKEN);
      expect(text).not.toContain(encodeURIComponent(TOKEN));
    }
    expect(JSON.parse(await readFile(paths.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it('still shows where the token was, as [redacted]', () => {
    const har = JSON.stringify(toHar(exchanges, result.tool));
    expect(har).toContain('"name":"authorization","value":"[redacted]"');
    expect(har).toContain('echo?token=[redacted]');
  });
});

describe('JUnit XML (docs/reports.md)', () => {
  let doc: XmlElement;
  const testcase = (id: string) => {
    const found = findAll(doc, 'testcase').find((t) => t.attributes.name.startsWith(`${id} `));
    if (!found) throw new Error(`no testcase for ${id}`);
    return found;
  };
  beforeAll(() => {
    doc = parseXml(toJUnit(result));
  });

  it('is well-formed, with one testsuite per suite and one testcase per requirement', () => {
    expect(doc.name).toBe('testsuites');
    expect(findAll(doc, 'testsuite').map((s) => s.attributes.name)).toEqual(['target', 'flow']);
    expect(findAll(doc, 'testcase')).toHaveLength(result.requirements.length);
    expect(testcase('FLOW-CRASH').attributes.classname).toBe('flow');
  });

  it('names each test case "ID title"', () => {
    expect(testcase('SCIM-CREATE-201').attributes.name).toBe(
      'SCIM-CREATE-201 Create answers 201 with Location and a JSON body',
    );
    expect(testcase('SCIM-CREATE-201').children).toEqual([]);
  });

  it('writes a failed MUST as <failure> whose message carries the id and the quoted source', () => {
    const failure = testcase('C42-DELETE-REFUSED').children[0];
    expect(failure.name).toBe('failure');
    expect(failure.attributes.message).toMatch(
      /^C42-DELETE-REFUSED \(seed step 6\.1: "Code42 doesn't support user deletion"\): DELETE \/Users\/\d+ answered 204; expected 4xx or 501 with a SCIM Error$/,
    );
    expect(failure.text).toContain('> DELETE http://127.0.0.1:');
  });

  it('writes warned as a passed test case with a WARNING in <system-out>', () => {
    const children = testcase('SCIM-ERROR-STATUS-STRING').children;
    expect(children.map((c) => c.name)).toEqual(['system-out']);
    expect(children[0].text).toMatch(/^WARNING \(SHOULD\): SCIM-ERROR-STATUS-STRING \(RFC 7644 §3\.12\): /);
  });

  it('writes skipped with its reason and error as <error>', () => {
    expect(testcase('SCIM-PATCH-REPLACE').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: expect.stringContaining('declares patch unsupported') },
    });
    expect(testcase('SCIM-HANG').children[0].name).toBe('error');
    expect(testcase('C42-MUST-SKIPS').children[0].name).toBe('error');
  });

  it('counts failures, errors and skips per suite', () => {
    const target = findAll(doc, 'testsuite')[0].attributes;
    expect(target).toMatchObject({ tests: '10', failures: '1', errors: '2', skipped: '1' });
    expect(doc.attributes).toMatchObject({ tests: '11', failures: '1', errors: '3', skipped: '1' });
  });

  it('round-trips hostile text exactly through the escaping', () => {
    const warned = testcase('MAP-HOSTILE-NAME').children[0].text;
    expect(warned).toContain(`the name ${HOSTILE_MARKUP} & "quotes" came back as <p>not json</p>`);
  });

  it('stays well-formed with control characters and unpaired surrogates, shown visibly', () => {
    const nasty = {
      ...result,
      requirements: [
        { ...result.requirements[1], reason: 'bell\u0007 nul\u0000 lone\uD800 ok\u{1F984} "q" <a> & \'s\' \r\n' },
      ],
    };
    const failure = findAll(parseXml(toJUnit(nasty)), 'failure')[0];
    expect(failure.attributes.message).toContain('bell\\u0007 nul\\u0000 lone\uFFFD ok\u{1F984} "q" <a> & \'s\' \r\n');
  });

  it('is still a document when nothing ran', () => {
    expect(parseXml(toJUnit({ ...result, requirements: [] })).attributes.tests).toBe('0');
  });
});

describe('HAR 1.2 of the run', () => {
  it('holds every exchange with the fields HAR 1.2 requires', () => {
    const har = toHar(exchanges, result.tool) as {
      log: { version: string; creator: object; entries: Record<string, unknown>[] };
    };
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual(result.tool);
    expect(har.log.entries).toHaveLength(exchanges.length);
    for (const entry of har.log.entries) {
      for (const field of ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings'])
        expect(entry).toHaveProperty(field);
    }
    const post = har.log.entries.find((e) => (e.request as { method: string }).method === 'POST') as {
      request: { postData: { mimeType: string; text: string } };
      response: { status: number; content: { mimeType: string }; redirectURL: string };
      comment: string;
    };
    expect(post.request.postData.mimeType).toBe('application/scim+json');
    expect(JSON.parse(post.request.postData.text)).toHaveProperty('userName');
    expect(post.response.status).toBe(201);
    expect(post.response.redirectURL).toMatch(/^\/scim\/v2\/Users\/\d+$/);
    expect(post.comment).toBe('SCIM-CREATE-201');
  });

  it('records an exchange without a response as status 0 with the error', () => {
    const har = toHar(exchanges, result.tool) as {
      log: { entries: { response: { status: number }; _error?: string }[] };
    };
    expect(har.log.entries.find((e) => e._error)?.response.status).toBe(0);
  });
});

describe('the self-contained HTML report', () => {
  let html: string;
  beforeAll(() => {
    html = toHtml(result, exchanges);
  });

  it('references nothing outside itself: no script, no link, no src, and href only to places in the page', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\s(src|xmlns|action)\s*=/i);
    // Links stay inside the page: the summary links each failure (issue 13 §7).
    expect(html).not.toMatch(/\shref\s*=\s*"(?!#)/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).not.toContain('@import');
  });

  it('shows http(s) URLs only as escaped text of the exchanges', () => {
    const outsideText = html.replace(/>[^<]*</g, '><');
    expect(outsideText).not.toMatch(/https?:\/\//);
    expect(html).toContain(`${server.baseUrl}/Users`);
  });

  it('escapes hostile user data, including a <script> in a username', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&amp; &quot;quotes&quot;');
    expect(html).not.toContain(HOSTILE_MARKUP);
  });

  it('shows the summary per level with all five statuses', () => {
    const summary = html.slice(
      html.indexOf('<section id="summary">'),
      html.indexOf('</section>', html.indexOf('<section id="summary">')),
    );
    for (const level of ['MUST', 'SHOULD', 'INFO']) expect(summary).toContain(`<th scope="row">${level}</th>`);
    for (const status of ['passed', 'failed', 'warned', 'skipped', 'error'])
      expect(summary).toContain(`<th>${status}</th>`);
    expect(summary).toContain(
      '<tr><th scope="row">MUST</th><td class="passed-count">1</td><td class="failed-count">1</td>',
    );
    expect(html).toContain('<span class="verdict FAILED" id="verdict">FAILED</span>');
  });

  it('groups results by source document section', () => {
    const headings = [...html.matchAll(/<h3>([^<]*) <span/g)].map((m) => m[1]);
    expect(headings).toEqual(expect.arrayContaining(['RFC 7644 §3.3', 'seed step 6', 'SEED-7', 'RFC 7644 §3.12']));
    expect(new Set(headings).size).toBe(headings.length);
  });

  it('shows the request and response that prove a failure', () => {
    const row = html.indexOf('id="req-C42-DELETE-REFUSED"');
    const detail = html.slice(row, html.indexOf('</tr><tr id=', row + 1));
    expect(detail).toMatch(/<pre class="request">DELETE http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\/\d+\n/);
    expect(detail).toContain('authorization: [redacted]');
    expect(detail).toContain('<pre class="response">HTTP 204\n');
  });

  it('contains the sequence diagram as inline SVG with the run participants', () => {
    expect(html).toContain('<svg id="sequence-diagram"');
    // The lifeline labels are their own picture (sticky while the diagram scrolls), before the diagram itself.
    const svg = html.slice(html.indexOf('<svg id="sequence-diagram-heads"'), html.lastIndexOf('</svg>') + 6);
    for (const participant of ['scim-lab', 'target', 'target admin']) expect(svg).toContain(`>${participant}</text>`);
    expect(svg.match(/<g class="exchange"/g)).toHaveLength(exchanges.length);
  });
});

describe('the sequence diagram renderer', () => {
  const exchange = (seq: number, requirementId: string, from = 'scim-lab', to = 'target'): Exchange => ({
    seq,
    requirementId,
    from,
    to,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1,
    request: { method: 'GET', url: `http://127.0.0.1:1/scim/v2/Users/${seq}`, headers: {} },
    response: { status: 200, statusText: 'OK', headers: {} },
  });

  it('draws a request arrow and a dashed response arrow per exchange', () => {
    const svg = renderSequenceDiagram([exchange(1, 'SCIM-A')]);
    expect(svg.match(/<line [^>]*marker-end/g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray="5 3"/g)).toHaveLength(1);
    expect(svg).toContain('>GET /scim/v2/Users/1</text>');
    expect(svg).toContain('>200 OK</text>');
    expect(() => parseXml(`<diagram>${svg}</diagram>`)).not.toThrow();
  });

  it('derives participants from the exchanges, the harness first', () => {
    const svg = renderSequenceDiagram([exchange(1, 'FLOW-A', 'PingOne', 'Code42'), exchange(2, 'FLOW-A')]);
    const heads = [...svg.matchAll(/class="head" text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
    expect(heads).toEqual(['scim-lab', 'PingOne', 'Code42', 'target']);
  });

  it('caps a long run at the first N exchanges but keeps every exchange of a failing requirement, noting the gaps', () => {
    const many = Array.from({ length: 1000 }, (_, i) => exchange(i + 1, i >= 700 && i < 703 ? 'SCIM-BAD' : 'SCIM-OK'));
    const svg = renderSequenceDiagram(many, {
      maxExchanges: 50,
      statuses: new Map([
        ['SCIM-BAD', 'failed'],
        ['SCIM-OK', 'passed'],
      ]),
    });
    const drawn = [...svg.matchAll(/data-seq="(\d+)"/g)].map((m) => Number(m[1]));
    expect(drawn).toEqual([...Array.from({ length: 50 }, (_, i) => i + 1), 701, 702, 703]);
    expect(svg).toContain('… 650 exchange(s) not drawn; the HAR report has them all …');
    expect(svg).toContain('… 297 exchange(s) not drawn; the HAR report has them all …');
    expect(svg).toContain('SCIM-BAD · failed');
  });

  it('escapes hostile paths and says when there was no traffic', () => {
    const hostile = {
      ...exchange(1, 'SCIM-A'),
      request: { method: 'GET', url: 'http://h/Users?filter=userName eq "<x>"', headers: {} },
    };
    expect(renderSequenceDiagram([hostile])).toContain('&quot;&lt;x&gt;&quot;');
    expect(renderSequenceDiagram([])).toContain('No HTTP traffic was recorded.');
  });
});

describe('docs/cli.md --report option', () => {
  it('parses FORMAT=PATH pairs', () => {
    expect(parseReportOption('junit=out/j.xml,json=out/r.json,html=r.html,har=r.har')).toEqual({
      junit: 'out/j.xml',
      json: 'out/r.json',
      html: 'r.html',
      har: 'r.har',
    });
  });

  it('names what is wrong', () => {
    expect(() => parseReportOption('xml=a')).toThrow('--report: unknown format "xml" in "xml=a"');
    expect(() => parseReportOption('json')).toThrow('--report: "json" needs a path');
    expect(() => parseReportOption('json=a,json=b')).toThrow('json is given twice');
    expect(() => parseReportOption('')).toThrow('at least one');
  });
});

describe('markup escaping', () => {
  it('escapes the five special characters', () => {
    expect(escapeMarkup(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps newlines in text and encodes them in attributes', () => {
    expect(escapeMarkup('a\nb\tc')).toBe('a\nb\tc');
    expect(escapeMarkup('a\nb\tc', true)).toBe('a&#10;b&#9;c');
  });
});
