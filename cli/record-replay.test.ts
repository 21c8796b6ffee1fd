import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '../lab';
import { call, cleanup, cli, ensureBuilt, finished, jsonLine, scratch, stop, type Code42Line } from './test-support';

// `scim-lab record` and `scim-lab replay` (docs/record-replay.md) as a user runs them: the compiled CLI in its own
// processes, a mock Code42 as the upstream, HTTP in and out, the capture read from disk.

beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => cleanup());

const TOKEN = 'record-replay-token-0123';
const ADMIN = 'record-replay-admin-0123';

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-lab-record-'));
  scratch.push(dir);
  return dir;
}

async function upstream(args: string[] = []): Promise<Code42Line> {
  const run = cli(['code42', '--port', '0', '--json', '--token', TOKEN, '--admin-token', ADMIN, ...args]);
  return (await jsonLine(run)).code42;
}

async function recorder(upstreamUrl: string, out: string, args: string[] = []) {
  const run = cli(['record', '--upstream', upstreamUrl, '--port', '0', '--out', out, '--json', ...args]);
  const { record } = await jsonLine<{ record: { baseUrl: string; upstream: string; out: string } }>(run);
  return { run, baseUrl: record.baseUrl };
}

const alice = (active = true) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'alice@example.com',
  externalId: 'p1-alice',
  active,
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
});
const filterAlice = '/Users?filter=' + encodeURIComponent('userName eq "alice@example.com"');

/** What a provisioner does for one user: look up, create, look up again, deactivate, try to delete. */
async function provision(baseUrl: string): Promise<string> {
  expect((await call(`${baseUrl}${filterAlice}`, { token: TOKEN })).body.totalResults).toBe(0);
  const created = await call(`${baseUrl}/Users`, { method: 'POST', body: alice(), token: TOKEN });
  expect(created.status).toBe(201);
  expect((await call(`${baseUrl}${filterAlice}`, { token: TOKEN })).body.totalResults).toBe(1);
  const url = `${baseUrl}/Users/${created.body.id}`;
  expect((await call(url, { method: 'PUT', body: alice(false), token: TOKEN })).status).toBe(200);
  expect((await call(url, { method: 'DELETE', token: TOKEN })).status).toBe(405);
  return created.body.id as string;
}

/** A capture of `provision` through the recorder, closed by SIGTERM. */
async function recordedCapture(): Promise<{ file: string; recordedId: string }> {
  const { baseUrl } = await upstream();
  const file = join(scratchDir(), 'capture.har');
  const rec = await recorder(baseUrl, file);
  const recordedId = await provision(rec.baseUrl);
  expect(await stop(rec.run)).toEqual({ code: 0, signal: null });
  return { file, recordedId };
}

type HarFile = { log: { version: string; creator: { name: string }; entries: HarEntry[] } };
type HarEntry = {
  request: { method: string; url: string; headers: { name: string; value: string }[] };
  response: { status: number };
  _error?: string;
};

describe('docs/record-replay.md scim-lab record', () => {
  it('forwards every request, and on SIGTERM leaves a HAR 1.2 file with every exchange, tokens redacted', async () => {
    const { baseUrl } = await upstream();
    const file = join(scratchDir(), 'capture.har');
    const rec = await recorder(baseUrl, file);
    expect(rec.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    await provision(rec.baseUrl);
    expect(await stop(rec.run)).toEqual({ code: 0, signal: null });
    expect(rec.run.stdout().split('\n')).toEqual([expect.stringMatching(/^\{"record":\{.*\}\}$/), '']);

    const text = readFileSync(file, 'utf8');
    const har = JSON.parse(text) as HarFile;
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('scim-lab record');
    expect(har.log.entries.map((e) => [e.request.method, e.response.status])).toEqual([
      ['GET', 200],
      ['POST', 201],
      ['GET', 200],
      ['PUT', 200],
      ['DELETE', 405],
    ]);
    expect(har.log.entries[1].request.url).toBe(`${baseUrl}/Users`);
    expect(har.log.entries[1].request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' });
    expect(text).not.toContain(TOKEN);
    expect(rec.run.stderr()).toMatch(/record: 5 exchanges written to /);
  });

  it('keeps every answered exchange when the recorder is killed, and replay reads the cut file', async () => {
    const { baseUrl } = await upstream();
    const file = join(scratchDir(), 'capture.har');
    const rec = await recorder(baseUrl, file);
    await provision(rec.baseUrl);
    rec.run.child.kill('SIGKILL');
    await rec.run.exited;
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).toThrow();

    const replayed = await finished(['replay', file, '--against', 'mock']);
    expect(replayed.stderr).toContain(
      'unfinished capture (the recorder did not close it): kept its 5 complete entries',
    );
    expect(replayed.stdout).toContain('replay: the target behaves as recorded (5 requests, 0 skipped)');
    expect(replayed.code).toBe(0);
  });

  it('records an upstream reset as a reset, and passes it on to the client', async () => {
    const { baseUrl, adminUrl } = await upstream();
    const fault = { match: { method: 'POST', path: '/Users*' }, action: 'reset', times: 1 };
    expect((await call(`${adminUrl}/faults`, { method: 'POST', body: fault, token: ADMIN })).status).toBe(201);
    const file = join(scratchDir(), 'capture.har');
    const rec = await recorder(baseUrl, file);
    await expect(call(`${rec.baseUrl}/Users`, { method: 'POST', body: alice(), token: TOKEN })).rejects.toThrow();
    await stop(rec.run);
    const [entry] = (JSON.parse(readFileSync(file, 'utf8')) as HarFile).log.entries;
    expect(entry.response.status).toBe(0);
    expect(entry._error).toMatch(/^upstream connection reset: /);
  });

  it('records an upstream timeout as a timeout, and answers the client 504 with a SCIM Error', async () => {
    const { baseUrl, adminUrl } = await upstream();
    const fault = { match: { method: 'GET' }, action: 'latency', latencyMs: [3000, 3000], times: 1 };
    expect((await call(`${adminUrl}/faults`, { method: 'POST', body: fault, token: ADMIN })).status).toBe(201);
    const file = join(scratchDir(), 'capture.har');
    const rec = await recorder(baseUrl, file, ['--timeout-ms', '200']);
    const answer = await call(`${rec.baseUrl}/Users`, { token: TOKEN });
    expect(answer.status).toBe(504);
    expect(answer.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '504',
      detail: 'upstream: no complete answer within 200 ms (timeout)',
    });
    await stop(rec.run);
    const [entry] = (JSON.parse(readFileSync(file, 'utf8')) as HarFile).log.entries;
    expect([entry.response.status, entry._error]).toEqual([
      0,
      'upstream timeout: no complete answer within 200 ms (timeout)',
    ]);
  });

  it('reaches an https upstream with a self-signed certificate given by --ca, and refuses it without', async () => {
    const dir = scratchDir();
    const pems = await selfSignedCertificate();
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.key);
    const { baseUrl } = await upstream(['--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
    expect(baseUrl).toMatch(/^https:/);

    const trusted = await recorder(baseUrl, join(dir, 'trusted.har'), ['--ca', join(dir, 'cert.pem')]);
    expect((await call(`${trusted.baseUrl}/Users`, { token: TOKEN })).status).toBe(200);
    const insecure = await recorder(baseUrl, join(dir, 'insecure.har'), ['--insecure']);
    expect((await call(`${insecure.baseUrl}/Users`, { token: TOKEN })).status).toBe(200);
    const untrusted = await recorder(baseUrl, join(dir, 'untrusted.har'));
    const refused = await call(`${untrusted.baseUrl}/Users`, { token: TOKEN });
    expect(refused.status).toBe(502);
    await Promise.all([stop(trusted.run), stop(insecure.run), stop(untrusted.run)]);
    const [entry] = (JSON.parse(readFileSync(join(dir, 'untrusted.har'), 'utf8')) as HarFile).log.entries;
    expect(entry._error).toMatch(
      /^upstream error (SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE): /,
    );
  });

  it.each([
    [
      ['--out', 'x.har'],
      "scim-lab record: --upstream (SCIM_LAB_UPSTREAM_URL) is required. Run 'scim-lab record --help'.\n",
    ],
    [
      ['--upstream', 'ftp://sp.example', '--out', 'x.har'],
      "scim-lab record: --upstream (SCIM_LAB_UPSTREAM_URL) must be an http or https URL, got 'ftp://sp.example'. Run 'scim-lab record --help'.\n",
    ],
  ])('refuses %j in one line with exit 2', async (args, message) => {
    const run = await finished(['record', ...args]);
    expect([run.code, run.stderr, run.stdout]).toEqual([2, message, '']);
  });
});

describe('docs/record-replay.md scim-lab replay', () => {
  it('exits 0 against a fresh mock, with the ids the new server assigned in paths', async () => {
    const { file, recordedId } = await recordedCapture();
    const json = join(scratchDir(), 'replay.json');
    const run = await finished(['replay', file, '--against', 'mock', '--pace', '1000x', '--report', `json=${json}`]);
    expect(run.stdout).toContain('replay: the target behaves as recorded (5 requests, 0 skipped)');
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8')) as { steps: { method: string; path: string }[] };
    const put = result.steps.find((s) => s.method === 'PUT')!;
    expect(put.path).toMatch(/^\/Users\/[^/]+$/);
    expect(put.path).not.toBe(`/Users/${recordedId}`);
  });

  it('exits 1 against a mock with a deviation, and shows the diff on the terminal and in the HTML report', async () => {
    const { file } = await recordedCapture();
    const html = join(scratchDir(), 'replay.html');
    const run = await finished([
      'replay',
      file,
      '--against',
      'mock',
      '--deviation',
      'allow-delete',
      '--report',
      `html=${html}`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DIFFERS #5 DELETE \/Users\/\S+ → 204 \(recorded 405\)$/m);
    expect(run.stdout).toContain('          (status): recorded 405, replayed 204');
    expect(run.stdout).toContain('replay: 1 of 5 responses differ from the recording');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('(status): recorded 405, replayed 204');
    expect(page).toContain('<span class="badge failed">differs</span>');
  });

  it('exits 1 when a --fault makes the mock answer otherwise', async () => {
    const { file } = await recordedCapture();
    const fault = JSON.stringify({ match: { method: 'PUT' }, action: 'status', status: 503, times: 1 });
    const run = await finished(['replay', file, '--against', 'mock', '--fault', fault]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('          (status): recorded 200, replayed 503');
  });

  it('runs twice on the same server with --prefix, where a prefix used again finds the user it created', async () => {
    const { file } = await recordedCapture();
    const target = await upstream();
    const against = ['--target', target.baseUrl, '--token', TOKEN];
    expect((await finished(['replay', file, ...against, '--prefix', 'run1-'])).code).toBe(0);
    expect((await finished(['replay', file, ...against, '--prefix', 'run2-'])).code).toBe(0);
    const users = await call(`${target.baseUrl}/Users`, { token: TOKEN });
    expect(users.body.Resources.map((u: { userName: string }) => u.userName).sort()).toEqual([
      'run1-alice@example.com',
      'run2-alice@example.com',
    ]);
    expect(users.body.Resources[0].externalId).toMatch(/^run[12]-p1-alice$/);
    const again = await finished(['replay', file, ...against, '--prefix', 'run1-']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('totalResults: recorded 0, replayed 1');
  });

  it("accepts a mock's own /__admin/journal.har as a capture", async () => {
    const { baseUrl, adminUrl } = await upstream();
    await provision(baseUrl);
    const res = await fetch(`${adminUrl}/journal.har`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const file = join(scratchDir(), 'journal.har');
    writeFileSync(file, await res.text());
    const run = await finished(['replay', file, '--against', 'mock']);
    expect(run.stdout).toContain('replay: the target behaves as recorded (5 requests, 0 skipped)');
    expect(run.code).toBe(0);
  });

  it.each([
    ['not-json.har', 'GET /Users HTTP/1.1', /^scim-lab replay: .*not-json\.har: not JSON: .*\n$/],
    [
      'no-log.har',
      '{"entries":[]}',
      /^scim-lab replay: .*no-log\.har: not a HAR file: no 'log' object\. Run 'scim-lab replay --help'\.\n$/,
    ],
    [
      'no-url.har',
      '{"log":{"version":"1.2","entries":[{"request":{"method":"GET"},"response":{"status":200}}]}}',
      /no-url\.har: entry 1: request\.url is missing or not an absolute URL\./,
    ],
  ])('refuses %s in one line with exit 2', async (name, text, message) => {
    const file = join(scratchDir(), name);
    writeFileSync(file, text);
    const run = await finished(['replay', file, '--against', 'mock']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n')).toHaveLength(2);
  });

  it('replays against an https target trusted with --ca, and refuses an untrusted one with exit 2', async () => {
    const { file } = await recordedCapture();
    const dir = scratchDir();
    const pems = await selfSignedCertificate();
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.key);
    const target = await upstream(['--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
    const against = ['--target', target.baseUrl, '--token', TOKEN];
    expect((await finished(['replay', file, ...against, '--ca', join(dir, 'cert.pem')])).code).toBe(0);
    const untrusted = await finished(['replay', file, ...against, '--prefix', 'again-']);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(
      /^scim-lab replay: cannot reach https:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users.*\(\w*(CERT|SIGNATURE)\w*\)/,
    );
  });

  it('exits 2 with one line when the target cannot be reached', async () => {
    const { file } = await recordedCapture();
    const run = await finished(['replay', file, '--target', 'http://127.0.0.1:1/scim/v2', '--token', TOKEN]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^scim-lab replay: cannot reach http:\/\/127\.0\.0\.1:1\/scim\/v2\/Users\?filter=.*ECONNREFUSED/,
    );
    expect(run.stderr).not.toContain(TOKEN);
  });

  it.each([
    [
      ['x.har', '--target', 'http://127.0.0.1:1/scim/v2', '--against', 'mock'],
      "scim-lab replay: --target (SCIM_LAB_TARGET_URL) and --against mock exclude each other. Run 'scim-lab replay --help'.\n",
    ],
    [
      ['x.har', '--against', 'mock', '--pace', 'slow'],
      "scim-lab replay: --pace must be recorded, fast, or a speed-up such as 10x, got 'slow'. Run 'scim-lab replay --help'.\n",
    ],
    [
      ['x.har', '--against', 'mock', '--pace', '0x'],
      "scim-lab replay: --pace must be recorded, fast, or a speed-up such as 10x, got '0x'. Run 'scim-lab replay --help'.\n",
    ],
    [
      ['x.har', '--target', 'http://127.0.0.1:1/scim/v2', '--deviation', 'allow-delete', '--token', 't'],
      "scim-lab replay: --deviation and --fault are for --against mock. Run 'scim-lab replay --help'.\n",
    ],
    [
      ['--against', 'mock'],
      "scim-lab replay: give the capture: scim-lab replay FILE.har --target URL --token T. Run 'scim-lab replay --help'.\n",
    ],
  ])('refuses %j in one line with exit 2, before sending anything', async (args, message) => {
    const run = await finished(['replay', ...args]);
    expect([run.code, run.stderr, run.stdout]).toEqual([2, message, '']);
  });

  it('lists every flag in --help, with the exit codes', async () => {
    const run = await finished(['replay', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--target',
      '--token',
      '--against',
      '--deviation',
      '--fault',
      '--prefix',
      '--pace',
      '--mask',
      '--report',
    ])
      expect(run.stdout).toContain(`  ${flag} `);
    expect(run.stdout).toContain('Exit codes: 0 when every response matches');
  });
});

describe('issue 17 done-when: the mock PingOne provisions through the recorder into the mock Code42', () => {
  type PingOneLine = {
    apiUrl: string;
    apiToken: string;
    adminUrl: string;
    adminToken: string;
    environmentId: string;
    populationId: string;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  async function pingoneInto(target: string): Promise<PingOneLine> {
    const run = cli(['pingone', '--port', '0', '--json', '--target', target, '--token', TOKEN]);
    return (await jsonLine<{ pingone: PingOneLine }>(run)).pingone;
  }

  async function waitIdle(p1: PingOneLine): Promise<void> {
    const res = await fetch(`${p1.adminUrl}/wait-idle`, {
      method: 'POST',
      headers: bearer(p1.adminToken),
      body: JSON.stringify({ timeoutMs: 30_000 }),
    });
    expect(res.status).toBe(200);
  }

  it('replays the capture against a clean mock (exit 0) and against one that ignores active (exit 1, with the diff)', async () => {
    const { baseUrl } = await upstream();
    const file = join(scratchDir(), 'pingone.har');
    const rec = await recorder(baseUrl, file);
    const p1 = await pingoneInto(rec.baseUrl);
    const users = `${p1.apiUrl}/environments/${p1.environmentId}/users`;
    const created = await fetch(users, {
      method: 'POST',
      headers: bearer(p1.apiToken),
      body: JSON.stringify({
        username: 'alice@example.com',
        email: 'alice@example.com',
        name: { given: 'Alice', family: 'Liddell' },
        population: { id: p1.populationId },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await waitIdle(p1);
    const disabled = await fetch(`${users}/${id}/enabled`, {
      method: 'PUT',
      headers: bearer(p1.apiToken),
      body: JSON.stringify({ enabled: false }),
    });
    expect(disabled.status).toBe(200);
    await waitIdle(p1);
    await stop(rec.run);

    const har = JSON.parse(readFileSync(file, 'utf8')) as HarFile;
    expect(har.log.entries.map((e) => e.request.method)).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);

    const clean = await finished(['replay', file, '--against', 'mock']);
    expect(clean.stdout).toMatch(/replay: the target behaves as recorded/);
    expect(clean.code).toBe(0);
    const buggy = await finished(['replay', file, '--against', 'mock', '--deviation', 'ignore-active']);
    expect(buggy.stdout).toContain('active: recorded false, replayed true');
    expect(buggy.code).toBe(1);
  });
});
