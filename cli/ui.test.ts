import { get } from 'node:http';
import { call, cleanup, cli, ensureBuilt, jsonLine, type Code42Line } from './test-support';

// `--ui` (docs/cli.md "The live lab view") as a user runs it: the compiled CLI in its own process, HTTP in and out.

beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => cleanup());

interface UpLine {
  code42: Code42Line;
  pingone: { adminUrl: string; adminToken: string };
}

const uiOf = (adminUrl: string) => adminUrl.replace(/\/__admin$/, '/__ui');

describe('scim-lab up --ui', () => {
  it('serves one lab view on both ports, opened by either admin token, and says where on stderr', async () => {
    const run = cli(['up', '--ui', '--code42-port', '0', '--pingone-port', '0', '--json']);
    const { code42, pingone } = await jsonLine<UpLine>(run);
    for (const adminUrl of [code42.adminUrl, pingone.adminUrl]) {
      const page = await fetch(uiOf(adminUrl));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const lab = await call(`${uiOf(adminUrl)}/api/lab`, { token: code42.adminToken });
      expect(lab.status).toBe(200);
      expect(lab.body.sides.map((s: { name: string }) => s.name)).toEqual(['code42', 'pingone']);
    }
    expect((await call(`${uiOf(pingone.adminUrl)}/api/lab`, { token: code42.token })).status).toBe(401);
    expect(run.stderr()).toContain(`up: live lab view at ${uiOf(pingone.adminUrl)} (and on the code42 port)`);
  });

  it('exits 0 on SIGTERM while a page holds the event stream open', async () => {
    const run = cli(['up', '--ui', '--code42-port', '0', '--pingone-port', '0', '--json']);
    const { pingone } = await jsonLine<UpLine>(run);
    const { body } = await call(`${uiOf(pingone.adminUrl)}/api/tickets`, { method: 'POST', token: pingone.adminToken });
    const ended = new Promise<number | undefined>((resolve, reject) => {
      get(`${uiOf(pingone.adminUrl)}/api/events?ticket=${body.ticket}`, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        // Streaming: only then is it safe to stop the server.
        run.child.kill('SIGTERM');
      }).on('error', reject);
    });
    expect(await ended).toBe(200);
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });
});

describe('scim-lab code42 --ui and pingone --ui', () => {
  it('serves the view of that one mock', async () => {
    const run = cli(['code42', '--ui', '--port', '0', '--json']);
    const { code42 } = await jsonLine(run);
    const lab = await call(`${uiOf(code42.adminUrl)}/api/lab`, { token: code42.adminToken });
    expect(lab.body.sides.map((s: { name: string }) => s.name)).toEqual(['code42']);
    expect(run.stderr()).toContain(`code42: live lab view at ${uiOf(code42.adminUrl)}`);
    const p1 = cli(['pingone', '--ui', '--port', '0', '--json']);
    const { pingone } = await jsonLine<{ pingone: { adminUrl: string; adminToken: string } }>(p1);
    const resync = await call(`${uiOf(pingone.adminUrl)}/api/resync`, { method: 'POST', token: pingone.adminToken });
    // No target, so no live rule: a clear 400, nothing queued.
    expect(resync.status).toBe(400);
    expect(resync.body.detail).toBe(
      'resync: no rule is live (rule active, plan ACTIVE, store ACTIVE); nothing to resync',
    );
  });

  it('serves no /__ui without --ui', async () => {
    const run = cli(['code42', '--port', '0', '--json']);
    const { code42 } = await jsonLine(run);
    expect((await fetch(uiOf(code42.adminUrl))).status).toBe(404);
  });
});
