import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '../lab';
import { call, cleanup, cli, ensureBuilt, finished, jsonLine, ROOT, scratch, stop } from './test-support';
import { CODE42_DEVIATIONS } from '../mock-code42';

// `scim-lab code42` (docs/cli.md) as a user runs it: the compiled CLI in its own process, HTTP in and out.

const FIFTEEN_MINUTES = 15 * 60 * 1000;

beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => cleanup());

async function start(args: string[], env: Record<string, string> = {}) {
  const run = cli(['code42', '--port', '0', '--json', ...args], env);
  const { code42 } = await jsonLine(run);
  return { run, ...code42 };
}

const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  active: true,
  ...extra,
});
const filterUrl = (baseUrl: string, filter: string) => `${baseUrl}/Users?filter=${encodeURIComponent(filter)}`;

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-lab-cli-'));
  scratch.push(dir);
  return dir;
}

describe('docs/cli.md scim-lab code42 --json', () => {
  it('prints exactly one JSON line with baseUrl, token, adminUrl and adminToken, and nothing else on stdout', async () => {
    const { run, ...line } = await start([]);
    expect(line).toEqual({
      baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/),
      token: expect.any(String),
      adminUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__admin$/),
      adminToken: expect.any(String),
    });
    expect(line.token).not.toBe(line.adminToken);
    expect((await call(`${line.baseUrl}/Users`, { token: line.token })).status).toBe(200);
    expect((await call(`${line.adminUrl}/users`, { token: line.adminToken })).status).toBe(200);
    expect(await stop(run)).toEqual({ code: 0, signal: null });
    expect(run.stdout().split('\n')).toEqual([expect.stringMatching(/^\{"code42":\{.*\}\}$/), '']);
    // Logs go to stderr, and never carry a token.
    expect(run.stderr()).toMatch(/SCIM at http:\/\/127\.0\.0\.1/);
    expect(run.stderr()).not.toContain(line.token);
    expect(run.stderr()).not.toContain(line.adminToken);
  });

  it('serves the issue 3 walk-through: create, find, deactivate, see it deactivated, be refused a DELETE', async () => {
    const { baseUrl, adminUrl, run } = await start([
      '--token',
      'walkthrough-token',
      '--admin-token',
      'walkthrough-admin',
    ]);
    const token = 'walkthrough-token';
    const created = await call(`${baseUrl}/Users`, { method: 'POST', body: newUser('bjensen@example.com'), token });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${baseUrl}/Users/${created.body.id}`);
    const found = await call(filterUrl(baseUrl, 'username Eq "bjensen@example.com"'), { token });
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    const userUrl = `${baseUrl}/Users/${created.body.id}`;
    const put = await call(userUrl, { method: 'PUT', body: newUser('bjensen@example.com', { active: false }), token });
    expect(put.status).toBe(200);
    const advance = await call(`${adminUrl}/clock/advance`, {
      method: 'POST',
      body: { ms: FIFTEEN_MINUTES },
      token: 'walkthrough-admin',
    });
    expect(advance.status).toBe(200);
    const side = await call(`${adminUrl}/users`, { token: 'walkthrough-admin' });
    expect(side.body.users).toEqual([expect.objectContaining({ id: created.body.id, status: 'deactivated' })]);
    const refused = await call(userUrl, { method: 'DELETE', token });
    expect(refused.status).toBe(405);
    expect(refused.body.detail).toMatch(/deactivate/);
    await stop(run);
    expect(run.stderr()).not.toContain('walkthrough-token');
    expect(run.stderr()).not.toContain('walkthrough-admin');
  });
});

describe('docs/cli.md container environment', () => {
  it('reads SCIM_LAB_TOKEN, SCIM_LAB_ADMIN_TOKEN and SCIM_LAB_DEVIATIONS as a comma-separated list', async () => {
    const { token, adminToken, baseUrl, run } = await start([], {
      SCIM_LAB_TOKEN: 'token-from-env',
      SCIM_LAB_ADMIN_TOKEN: 'admin-from-env',
      SCIM_LAB_DEVIATIONS: 'allow-delete,no-location',
    });
    expect({ token, adminToken }).toEqual({ token: 'token-from-env', adminToken: 'admin-from-env' });
    const created = await call(`${baseUrl}/Users`, { method: 'POST', body: newUser('env@example.com'), token });
    expect(created.headers.get('location')).toBeNull();
    expect((await call(`${baseUrl}/Users/${created.body.id}`, { method: 'DELETE', token })).status).toBe(204);
    await stop(run);
    expect(run.stderr()).toContain('deviations on: allow-delete, no-location');
  });

  it('lets flags win over the variables', async () => {
    const { token, baseUrl } = await start(['--token', 'token-from-flag', '--deviation', 'no-meta'], {
      SCIM_LAB_TOKEN: 'token-from-env',
      SCIM_LAB_DEVIATIONS: 'allow-delete',
    });
    expect(token).toBe('token-from-flag');
    const created = await call(`${baseUrl}/Users`, { method: 'POST', body: newUser('flags@example.com'), token });
    expect(created.body.meta).toBeUndefined();
    expect((await call(`${baseUrl}/Users/${created.body.id}`, { method: 'DELETE', token })).status).toBe(405);
    expect((await call(`${baseUrl}/Users`, { token: 'token-from-env' })).status).toBe(401);
  });
});

describe('docs/cli.md --help and --version', () => {
  it('lists every option and every deviation in --help, on stdout, exiting 0', async () => {
    const { code, stdout } = await finished(['code42', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: scim-lab code42 \[options\]/);
    for (const flag of ['--port', '--host', '--token', '--admin-token', '--base-path', '--delete-status', '--state'])
      expect(stdout).toContain(flag);
    for (const flag of ['--deviation', '--tls', '--cert', '--key', '--json']) expect(stdout).toContain(flag);
    for (const name of Object.keys(CODE42_DEVIATIONS)) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('prints the package version for `scim-lab --version` and `scim-lab code42 --version`', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await finished(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await finished(['code42', '--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('docs/cli.md --extension-urn: the URN that carries c42OrgName', () => {
  it('declares the given URN in /Schemas', async () => {
    const { run, baseUrl, token } = await start(['--extension-urn', 'urn:example:code42:User']);
    const res = await call(`${baseUrl}/Schemas/urn:example:code42:User`, { token });
    expect(res.status).toBe(200);
    expect((res.body as { attributes: { name: string }[] }).attributes.map((a) => a.name)).toEqual(['c42OrgName']);
    await stop(run);
  });
});

describe('docs/cli.md usage errors exit 2 with a message naming the option', () => {
  it.each([
    [['--colour', 'red'], /'--colour'/],
    [['--delete-status', '404'], /--delete-status \(SCIM_LAB_DELETE_STATUS\) must be 400, 403, 405 or 501, got '404'/],
    [['--port', '70000'], /--port \(SCIM_LAB_PORT\) must be an integer from 0 to 65535, got '70000'/],
    [['--deviation', 'nope'], /deviation 'nope' is unknown/],
    [['--token', 'short'], /'token'/],
    [['--cert', 'only-a-cert.pem'], /--cert \(SCIM_LAB_CERT_FILE\) and --key \(SCIM_LAB_KEY_FILE\) go together/],
    [['--extension-urn', 'not a urn'], /--extension-urn \(SCIM_LAB_EXTENSION_URN\) must be a URN such as/],
  ])('refuses %j', async (args, message) => {
    const { code, stdout, stderr } = await finished(['code42', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain("Run 'scim-lab code42 --help'");
  });

  it('exits 2 saying the port is in use when it is, in one line naming the flag and its variable', async () => {
    const first = await start([]);
    const port = new URL(first.baseUrl).port;
    const { code, stdout, stderr } = await finished(['code42', '--port', port, '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `scim-lab code42: listen: port ${port} on 127.0.0.1 is already in use; choose another port with --port (SCIM_LAB_PORT), or 0 for any free port`,
    ]);
  });
});

describe('docs/cli.md graceful shutdown', () => {
  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const { baseUrl, token, adminUrl, adminToken, run } = await start([]);
    const fault = await call(`${adminUrl}/faults`, {
      method: 'POST',
      body: { match: { method: 'GET', path: '/Users' }, action: 'latency', latencyMs: [1500, 1500] },
      token: adminToken,
    });
    expect(fault.status).toBe(201);
    const inFlight = call(`${baseUrl}/Users`, { token });
    // Bounded polling: the rule's `hits` turns 1 once the request has arrived and is being delayed.
    for (let i = 0; i < 200; i++) {
      const { body } = await call(`${adminUrl}/faults`, { token: adminToken });
      if (body.faults[0].hits === 1) break;
    }
    run.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(0);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('received SIGTERM');
  });

  it('also stops on SIGINT with exit code 0', async () => {
    const { run } = await start([]);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });
});

describe('--state FILE', () => {
  it('writes the state on shutdown, and a second start loads the users and the generated token back', async () => {
    const file = join(scratchDir(), 'code42.json');
    const first = await start(['--state', file]);
    const created = await call(`${first.baseUrl}/Users`, {
      method: 'POST',
      body: newUser('persisted@example.com'),
      token: first.token,
    });
    expect(created.status).toBe(201);
    // Code42 creates a disabled user active (PING-PF-CODE42-SETTINGS): it is disabled by an update.
    const disabled = await call(`${first.baseUrl}/Users/${created.body.id}`, {
      method: 'PUT',
      body: newUser('persisted@example.com', { active: false }),
      token: first.token,
    });
    expect(disabled.status).toBe(200);
    expect(existsSync(file)).toBe(false);
    expect(await stop(first.run)).toEqual({ code: 0, signal: null });
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ kind: 'scim-lab/code42-state', version: 1 });
    expect(saved.users.map((u: { userName: string }) => u.userName)).toEqual(['persisted@example.com']);

    const second = await start(['--state', file]);
    expect(second.run.stderr()).toContain(`state loaded from ${file}`);
    expect(second.token).toBe(first.token);
    const read = await call(`${second.baseUrl}/Users/${created.body.id}`, { token: second.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ userName: 'persisted@example.com', active: false });
    const side = await call(`${second.adminUrl}/users`, { token: second.adminToken });
    expect(side.body.users).toEqual([expect.objectContaining({ id: created.body.id, status: 'blocked' })]);
  });

  it('keeps a --token given on the second start working over the saved one', async () => {
    const file = join(scratchDir(), 'code42.json');
    const first = await start(['--state', file, '--token', 'first-start-token']);
    await call(`${first.baseUrl}/Users`, { method: 'POST', body: newUser('kept@example.com'), token: first.token });
    await stop(first.run);
    const second = await start(['--state', file, '--token', 'second-start-token']);
    expect(second.token).toBe('second-start-token');
    const found = await call(filterUrl(second.baseUrl, 'userName eq "kept@example.com"'), {
      token: 'second-start-token',
    });
    expect(found.body.totalResults).toBe(1);
  });

  it('exits 2 naming the file when it is not a valid state', async () => {
    const file = join(scratchDir(), 'broken.json');
    writeFileSync(file, '{"kind": "scim-lab/code42-state"');
    const { code, stdout, stderr } = await finished(['code42', '--port', '0', '--json', '--state', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`--state ${file}: not valid JSON`);
  });
});

/** A GET over HTTPS; `ca` trusts that certificate, otherwise the peer is not verified (and its certificate returned). */
function httpsGet(url: string, token: string, ca?: string) {
  return new Promise<{ status: number; subject: string; altNames: string }>((resolve, reject) => {
    const req = https.request(
      url,
      { headers: { Authorization: `Bearer ${token}` }, agent: false, ...(ca ? { ca } : { rejectUnauthorized: false }) },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            subject: String(peer.subject.CN),
            altNames: peer.subjectaltname ?? '',
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('--low-memory', () => {
  it.each([
    ['the flag', ['--low-memory'], {}],
    ['SCIM_LAB_LOW_MEMORY=1', [], { SCIM_LAB_LOW_MEMORY: '1' }],
  ])('through %s, serves SCIM as usual and says on stderr that it trades speed for memory', async (_how, args, env) => {
    const { run, baseUrl, token } = await start(args, env);
    expect((await call(`${baseUrl}/Users`, { method: 'POST', body: newUser('lean@example.com'), token })).status).toBe(
      201,
    );
    const found = await call(filterUrl(baseUrl, 'userName eq "lean@example.com"'), { token });
    expect(found.body.totalResults).toBe(1);
    expect(run.stderr()).toContain('low-memory: V8 optimizes for size');
  });

  it('is off unless asked for', async () => {
    const { run, baseUrl, token } = await start([]);
    expect((await call(`${baseUrl}/Users`, { token })).status).toBe(200);
    expect(run.stderr()).not.toContain('low-memory');
  });
});

describe('--tls', () => {
  it('serves HTTPS with a generated self-signed certificate for localhost and 127.0.0.1', async () => {
    const { baseUrl, token } = await start(['--tls']);
    expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    // The generated certificate is not printed anywhere a client could learn to trust it, so this test
    // checks the certificate it is served instead of verifying it.
    const res = await httpsGet(`${baseUrl}/Users`, token);
    expect(res).toEqual({
      status: 200,
      subject: 'localhost',
      altNames: expect.stringContaining('IP Address:127.0.0.1'),
    });
  });

  it('serves HTTPS with the given --cert and --key, which a client that trusts that certificate verifies', async () => {
    const dir = scratchDir();
    const pem = await selfSignedCertificate('127.0.0.1');
    writeFileSync(join(dir, 'cert.pem'), pem.cert);
    writeFileSync(join(dir, 'key.pem'), pem.key);
    const { baseUrl, token } = await start(['--tls', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
    const res = await httpsGet(`${baseUrl}/Users`, token, pem.cert);
    expect(res.status).toBe(200);
  });
});
