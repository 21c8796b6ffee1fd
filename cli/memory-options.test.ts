import { call, cleanup, cli, ensureBuilt, finished, jsonLine, type Code42Line } from './test-support';

// `--journal off|errors|all`, `--journal-max-bytes` and `--idle-compaction` (docs/cli.md) as a load test runs them: the compiled CLI in
// its own process, SCIM requests in, GET /__admin/journal out.

beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => cleanup());

interface PingOneLine {
  apiUrl: string;
  apiToken: string;
  adminUrl: string;
  adminToken: string;
  environmentId: string;
}

async function code42(args: string[], env: Record<string, string> = {}): Promise<Code42Line> {
  const run = cli(['code42', '--port', '0', '--json', ...args], env);
  return (await jsonLine(run)).code42;
}

const send = (url: string, token: string, method = 'GET', body?: unknown) => call(url, { method, body, token });

const user = (userName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });

/** A POST (201), the same POST again (409), a GET of an unknown user (404) and a list (200). */
async function mixedExchanges({ baseUrl, token }: Code42Line): Promise<void> {
  expect((await send(`${baseUrl}/Users`, token, 'POST', user('bjensen@example.com'))).status).toBe(201);
  expect((await send(`${baseUrl}/Users`, token, 'POST', user('bjensen@example.com'))).status).toBe(409);
  expect((await send(`${baseUrl}/Users/no-such-user`, token)).status).toBe(404);
  expect((await send(`${baseUrl}/Users`, token)).status).toBe(200);
}

async function journalOf({ adminUrl, adminToken }: { adminUrl: string; adminToken: string }) {
  const { body } = await send(`${adminUrl}/journal`, adminToken);
  return body as {
    entries: { method: string; url: string; status: number; request: { body?: { userName?: string } } }[];
    dropped: number;
  };
}

describe('docs/cli.md scim-lab code42 --journal', () => {
  it('records every exchange by default', async () => {
    const line = await code42([]);
    await mixedExchanges(line);
    expect((await journalOf(line)).entries.map((e) => e.status)).toEqual([201, 409, 404, 200]);
  });

  it('with errors, records only the exchanges answered 400 or above', async () => {
    const line = await code42(['--journal', 'errors']);
    await mixedExchanges(line);
    const { entries, dropped } = await journalOf(line);
    expect(entries.map((e) => [e.method, e.status])).toEqual([
      ['POST', 409],
      ['GET', 404],
    ]);
    expect(dropped).toBe(0);
  });

  it('with off, records nothing, and the mock serves as before', async () => {
    const line = await code42(['--journal', 'off']);
    await mixedExchanges(line);
    expect(await journalOf(line)).toEqual({ entries: [], dropped: 0 });
  });

  it('reads SCIM_LAB_JOURNAL', async () => {
    const line = await code42([], { SCIM_LAB_JOURNAL: 'off' });
    await mixedExchanges(line);
    expect((await journalOf(line)).entries).toEqual([]);
  });

  it('with --journal-max-bytes, drops the oldest exchanges first once the journal holds that many bytes', async () => {
    const line = await code42(['--journal-max-bytes', '8kb']);
    for (let i = 0; i < 20; i++) {
      const created = await send(`${line.baseUrl}/Users`, line.token, 'POST', user(`user${i}@example.com`));
      expect(created.status).toBe(201);
    }
    const { entries, dropped } = await journalOf(line);
    expect(entries.length).toBeLessThan(20);
    expect(dropped).toBe(20 - entries.length);
    // The newest are kept, oldest first, and dropping them from the journal leaves the users stored.
    const kept = entries.map((e) => e.request.body?.userName);
    expect(kept).toEqual(
      Array.from({ length: entries.length }, (_, i) => `user${20 - entries.length + i}@example.com`),
    );
    expect((await send(`${line.baseUrl}/Users?count=200`, line.token)).body.totalResults).toBe(20);
  });

  it.each([
    [['--journal', 'some'], /^scim-lab code42: --journal \(SCIM_LAB_JOURNAL\) must be all, errors or off, got 'some'/],
    [['--journal-max-bytes', 'lots'], /--journal-max-bytes \(SCIM_LAB_JOURNAL_MAX_BYTES\) must be a size/],
    [['--journal-max-bytes', '10'], /--journal-max-bytes .* at least 1kb/],
    [['--idle-compaction', 'maybe'], /--idle-compaction \(SCIM_LAB_IDLE_COMPACTION\) must be on or off, got 'maybe'/],
  ])('exits 2 with one line naming the flag for %j', async (args, message) => {
    const { code, stdout, stderr } = await finished(['code42', '--port', '0', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('docs/cli.md scim-lab pingone and up --journal', () => {
  it('pingone --journal errors records its management API’s error answers only', async () => {
    const run = cli(['pingone', '--port', '0', '--json', '--journal', 'errors']);
    const { pingone } = await jsonLine<{ pingone: PingOneLine }>(run);
    const users = `${pingone.apiUrl}/environments/${pingone.environmentId}/users`;
    expect((await send(users, pingone.apiToken)).status).toBe(200);
    expect((await send(`${users}/no-such-user`, pingone.apiToken)).status).toBe(404);
    const { entries } = await journalOf(pingone);
    expect(entries.map((e) => e.status)).toEqual([404]);
  });

  it('up --code42-journal off leaves the mock Code42’s journal empty while PingOne’s records', async () => {
    const run = cli(['up', '--code42-port', '0', '--pingone-port', '0', '--json', '--code42-journal', 'off']);
    const line = await jsonLine<{ code42: Code42Line; pingone: PingOneLine }>(run);
    await mixedExchanges(line.code42);
    expect((await journalOf(line.code42)).entries).toEqual([]);
    const users = `${line.pingone.apiUrl}/environments/${line.pingone.environmentId}/users`;
    expect((await send(users, line.pingone.apiToken)).status).toBe(200);
    expect((await journalOf(line.pingone)).entries.length).toBeGreaterThan(0);
  });
});

describe('docs/cli.md --idle-compaction', () => {
  it.each([['on'], ['off']])('serves as usual with --idle-compaction %s', async (value) => {
    const line = await code42(['--idle-compaction', value]);
    await mixedExchanges(line);
    expect((await journalOf(line)).entries).toHaveLength(4);
  });
});

describe('docs/cli.md scim-lab code42 --shell', () => {
  it('with express, serves the same SCIM answers through the express shell and says so', async () => {
    const run = cli(['code42', '--port', '0', '--json', '--shell', 'express']);
    const line = (await jsonLine(run)).code42;
    await mixedExchanges(line);
    expect(run.stderr()).toMatch(/code42: served through the express shell/);
    expect((await journalOf(line)).entries.map((e) => e.status)).toEqual([201, 409, 404, 200]);
  });

  it('reads SCIM_LAB_SHELL, and refuses an unknown shell in one line with exit 2', async () => {
    const { code, stderr } = await finished(['code42', '--port', '0'], { SCIM_LAB_SHELL: 'koa' });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      "scim-lab code42: --shell (SCIM_LAB_SHELL) must be node or express, got 'koa'. Run 'scim-lab code42 --help'.",
    ]);
  });
});

describe('docs/cli.md scim-lab pingone and up --shell', () => {
  /** A user created (201), the same username again (409), an unknown user (404) and the list (200). */
  async function managementExchanges({ apiUrl, apiToken, environmentId }: PingOneLine): Promise<number[]> {
    const users = `${apiUrl}/environments/${environmentId}/users`;
    const created = await send(users, apiToken, 'POST', { username: 'ada@example.com' });
    const again = await send(users, apiToken, 'POST', { username: 'ada@example.com' });
    const missing = await send(`${users}/no-such-user`, apiToken);
    const list = await send(users, apiToken);
    return [created.status, again.status, missing.status, list.status];
  }

  it('pingone --shell express serves the same management API answers through the express shell and says so', async () => {
    const run = cli(['pingone', '--port', '0', '--json', '--shell', 'express']);
    const { pingone } = await jsonLine<{ pingone: PingOneLine }>(run);
    expect(await managementExchanges(pingone)).toEqual([201, 409, 404, 200]);
    expect(run.stderr()).toMatch(/pingone: served through the express shell/);
    expect((await journalOf(pingone)).entries.map((e) => e.status)).toEqual([201, 409, 404, 200]);
  });

  it('pingone reads SCIM_LAB_SHELL, and refuses an unknown shell in one line with exit 2', async () => {
    const { code, stderr } = await finished(['pingone', '--port', '0'], { SCIM_LAB_SHELL: 'koa' });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      "scim-lab pingone: --shell (SCIM_LAB_SHELL) must be node or express, got 'koa'. Run 'scim-lab pingone --help'.",
    ]);
  });

  it('up --shell express serves both mocks through the express shell', async () => {
    const run = cli(['up', '--code42-port', '0', '--pingone-port', '0', '--json', '--shell', 'express']);
    const line = await jsonLine<{ code42: Code42Line; pingone: PingOneLine }>(run);
    await mixedExchanges(line.code42);
    expect(await managementExchanges(line.pingone)).toEqual([201, 409, 404, 200]);
    expect(run.stderr()).toMatch(/up: both mocks served through the express shell/);
  });
});
