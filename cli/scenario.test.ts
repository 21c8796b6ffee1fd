import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCode42, type Code42 } from '../mock-code42';
import { ensureBuilt, finished } from './test-support';

// `scim-lab scenario run` and `scenario from` (docs/scenarios.md) as a user runs them, in a process of its own: the embedded
// mocks, or a mock Code42 of the test as --target; HTTP in and out.

jest.setTimeout(60_000);

const EXAMPLES = join(__dirname, '..', 'examples', 'scenarios');
const TOKEN = 'scenario-target-token-0123456789';

beforeAll(() => ensureBuilt(), 180_000);

async function run(argv: string[]) {
  const { code, stdout, stderr } = await finished(argv);
  return { code, stdout: stdout.trimEnd(), stderr: stderr.trimEnd() };
}

const dirs: string[] = [];
const servers: Code42[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const server of servers.splice(0)) await server.close();
});

function scratchFile(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-lab-scenario-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function code42(deviations: string[] = []) {
  const server = createCode42({ token: TOKEN, deviations });
  servers.push(server);
  await server.listen({ port: 0, host: '127.0.0.1' });
  return server.describe();
}

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

describe('examples/scenarios: reproductions of this project’s bugs', () => {
  it('holds at least five scenarios', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('%s passes against the embedded mocks', async (file) => {
    const result = await run(['scenario', 'run', join(EXAMPLES, file)]);
    expect(result).toEqual(expect.objectContaining({ code: 0 }));
    expect(result.stdout).toMatch(/^passed: \d+ steps$/m);
  });

  it.each(examples)('%s, run with the deviation it documents, fails naming the bug', async (file) => {
    const bug = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')).reproduces.bug as string;
    const result = await run(['scenario', 'run', join(EXAMPLES, file), '--reproduce']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^failed at step \d+ \(.+\): .+ expected .+/m);
    expect(result.stdout).toContain(`this is the bug the scenario reproduces: ${bug}`);
    expect(result.stdout).toContain('exchanges involved:');
  });
});

describe('scenario run: every kind of step, end to end', () => {
  const frank = { username: 'frank.fox@example.com', name: { given: 'Frank', family: 'Fox' }, title: 'Engineer' };
  const scimUser = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: frank.username, active: true };
  const steps = [
    { createUser: { as: 'frank', user: frank } },
    { updateUser: { user: 'frank', set: { title: 'Manager' } } },
    { expectTarget: { user: 'frank', attributes: { title: 'Manager', name: { givenName: 'Frank' } } } },
    {
      scim: {
        method: 'GET',
        path: `/Users?filter=${encodeURIComponent('userName eq "frank.fox@example.com"')}`,
        as: 'frankAtTarget',
        expect: { status: 200, body: { totalResults: 1 } },
      },
    },
    {
      note: 'someone changes the title at the target',
      scim: {
        method: 'PUT',
        path: '/Users/{{frankAtTarget}}',
        body: { ...scimUser, title: 'Tampered' },
        expect: { status: 200 },
      },
    },
    { expectTarget: { userName: frank.username, attributes: { title: 'Tampered' } } },
    { resync: {} },
    { expectTarget: { user: 'frank', attributes: { title: 'Manager' } } },
    { movePopulation: { user: 'frank', population: 'Contractors' } },
    { expectTarget: { user: 'frank', attributes: { active: false } } },
    {
      fault: {
        on: 'code42',
        rule: { match: { method: 'GET', path: '/Users/*' }, action: 'status', status: 503, times: 1 },
      },
    },
    { scim: { method: 'GET', path: '/Users/{{frankAtTarget}}', expect: { status: 503 } } },
    { waitIdle: { timeoutMs: 5000 } },
    { expectSync: { user: 'frank', status: 'SUCCESS' } },
    { expectTraffic: { method: 'PUT', requestBody: { title: 'Manager', active: false }, count: { min: 1 } } },
    { expectTarget: { userName: 'nobody@example.com', exists: false } },
  ];

  it('passes, one line per step', async () => {
    const result = await run(['scenario', 'run', scratchFile('all.json', { scenario: 1, name: 'all', steps })]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'scenario: all',
      ...steps.map((step, i) =>
        expect.stringMatching(new RegExp(`^  ok +${i + 1} ${Object.keys(step).find((k) => k !== 'note')}`)),
      ),
      `passed: ${steps.length} steps`,
    ]);
  });
});

describe('scenario run --target: the mock PingOne provisions into your server', () => {
  const file = join(EXAMPLES, 'filter-escaping.json');

  it('passes against a server that decodes filter strings', async () => {
    const target = await code42();
    expect((await run(['scenario', 'run', file, '--target', target.baseUrl, '--token', TOKEN])).code).toBe(0);
  });

  it('fails against a server that does not, and never shows the token', async () => {
    const target = await code42(['no-filter-unescape']);
    const result = await run(['scenario', 'run', file, '--target', target.baseUrl, '--token', TOKEN, '--json']);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(1);
    const verdict = JSON.parse(lines[0]);
    expect(verdict).toEqual(
      expect.objectContaining({ passed: false, failure: expect.objectContaining({ step: 3, action: 'expectTarget' }) }),
    );
    expect(verdict.failure.message).toBe('carol"q\\x@example.com: expected the user at the target, found none');
    // The lookup that found nobody, then the provisioner's calls about the user: it created her again.
    expect(verdict.failure.evidence.map((e: { method: string; status: number }) => `${e.method} ${e.status}`)).toEqual([
      'GET 200',
      'GET 200',
      'POST 201',
    ]);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('refuses a Code42 deviation, which only the embedded mock can apply', async () => {
    const result = await run([
      'scenario',
      'run',
      file,
      '--target',
      'http://127.0.0.1:9/scim/v2',
      '--token',
      TOKEN,
      '--deviation',
      'code42:ignore-active',
    ]);
    expect(result).toEqual(expect.objectContaining({ code: 2 }));
    expect(result.stderr).toBe(
      "scim-lab scenario: code42:ignore-active applies to the embedded mock Code42; with --target your server is the target. Run 'scim-lab scenario --help'.",
    );
  });
});

describe('scenario run: bad input is one line and exit 2', () => {
  it.each([
    [
      { scenario: 1, name: 'n', steps: [{ createUser: { as: 'a', user: {} } }] },
      [],
      "step 1 (createUser): createUser/user: 'username' is required",
    ],
    [
      { scenario: 1, name: 'n', steps: [{ resync: {} }] },
      ['--deviation', 'pingone:no-such'],
      "--deviation: pingone has no deviation 'no-such'",
    ],
    [{ scenario: 1, name: 'n', steps: [{ resync: {} }] }, ['--reproduce'], 'has no reproduces block'],
    [
      { scenario: 1, name: 'n', steps: [{ resync: {} }] },
      ['--target', 'http://127.0.0.1:9/scim/v2'],
      '--target (SCIM_LAB_TARGET_URL) needs --token',
    ],
  ])('refuses %j %j', async (document, flags, message) => {
    const result = await run(['scenario', 'run', scratchFile('s.json', document), ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('says which step the lab could not run', async () => {
    const document = {
      scenario: 1,
      name: 'n',
      steps: [{ fault: { on: 'code42', rule: { match: {}, action: 'oops' } } }],
    };
    const result = await run(['scenario', 'run', scratchFile('s.json', document)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^scim-lab scenario: step 1 \(fault\): code42 admin POST \/faults answered 400: .*action/,
    );
  });
});

describe('scenario from: a capture drafted as a scenario', () => {
  async function capture(): Promise<string> {
    const server = await code42();
    const alice = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'alice@example.com',
      active: true,
    };
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const id = ((await (await send('POST', '/Users', alice)).json()) as { id: string }).id;
    await send('GET', `/Users?filter=${encodeURIComponent('userName eq "alice@example.com"')}`);
    await send('PUT', `/Users/${id}`, { ...alice, active: false });
    await send('DELETE', `/Users/${id}`);
    const har = await fetch(`${server.adminUrl}/journal.har`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    return scratchFile('capture.har', await har.text());
  }

  it('names the ids the server assigned and expects the recorded answers', async () => {
    const draft = await run(['scenario', 'from', await capture(), '--name', 'Alice cannot be deleted']);
    expect(draft.code).toBe(0);
    const scenario = JSON.parse(draft.stdout);
    expect(scenario.name).toBe('Alice cannot be deleted');
    expect(scenario.steps.map((s: { scim: { method: string; path: string; as?: string } }) => s.scim)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/Users',
        as: 'user1',
        expect: expect.objectContaining({ status: 201 }),
      }),
      expect.objectContaining({ method: 'GET', path: '/Users?filter=userName%20eq%20%22alice%40example.com%22' }),
      expect.objectContaining({
        method: 'PUT',
        path: '/Users/{{user1}}',
        expect: expect.objectContaining({ status: 200 }),
      }),
      expect.objectContaining({
        method: 'DELETE',
        path: '/Users/{{user1}}',
        expect: expect.objectContaining({ status: 405 }),
      }),
    ]);
    expect(draft.stdout).not.toContain(TOKEN);
  });

  it('drafts a scenario that passes on a clean mock and fails on one that deletes', async () => {
    const file = scratchFile('alice.json', '');
    rmSync(file);
    expect((await run(['scenario', 'from', await capture(), '--out', file])).code).toBe(0);
    expect((await run(['scenario', 'run', file])).code).toBe(0);
    const deviated = await run(['scenario', 'run', file, '--deviation', 'code42:allow-delete']);
    expect(deviated.code).toBe(1);
    expect(deviated.stdout).toMatch(
      /failed at step 4 \(scim DELETE \/Users\/\{\{user1\}\}\): DELETE \/Users\/\S+: status: expected 405, saw 204/,
    );
  });
});
