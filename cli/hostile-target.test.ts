import { mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, cli, ensureBuilt, scratch, type Run } from './test-support';

// Issue 18 "bounded reading": `scim-lab conformance` against a target that streams a body forever, or that answers the
// preflight and then hangs, ends with exit 2, a line that says the target stopped answering, its reports written, and
// a bounded memory: the child's peak RSS (VmHWM) is read from /proc while it runs. Jest's timeout of a minute is the
// issue's time bound.

const MAX_PEAK_RSS_BYTES = 300 * 1024 * 1024;

beforeAll(() => ensureBuilt(), 180_000);
afterEach(async () => {
  await cleanup();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const servers: Server[] = [];

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

async function hostile(behaviour: Behaviour): Promise<string> {
  const server = createServer(behaviour);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`;
}

/** Writes as fast as the reader takes it, forever. */
const endless: Behaviour = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/scim+json' });
  res.write('{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":["');
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
};

/** Never answers. */
const hang: Behaviour = () => undefined;

/** Answers the preflight's two requests like a SCIM server, then behaves as `after` for everything else. */
function afterPreflight(after: Behaviour): Behaviour {
  let answered = 0;
  return (req, res) => {
    if (answered >= 2) return after(req, res);
    answered += 1;
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end(
      req.url?.startsWith('/scim/v2/ServiceProviderConfig')
        ? JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'] })
        : JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
            totalResults: 0,
            Resources: [],
          }),
    );
  };
}

/** The child's peak resident set (VmHWM), polled from /proc until it exits. */
function watchPeakRss(run: Run): Promise<number> {
  let peak = 0;
  const read = async () => {
    try {
      const status = await readFile(`/proc/${run.child.pid}/status`, 'utf8');
      const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status);
      if (kb) peak = Math.max(peak, Number(kb[1]) * 1024);
    } catch {
      // The process has exited between two polls.
    }
  };
  const timer = setInterval(() => void read(), 100);
  return run.exited.then(() => {
    clearInterval(timer);
    return peak;
  });
}

async function conformanceAgainst(baseUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'scim-lab-hostile-'));
  scratch.push(dir);
  const report = join(dir, 'report.json');
  const run = cli(['conformance', '--target', baseUrl, '--token', 'hostile-token-1', '--report', `json=${report}`], {
    NO_COLOR: '1',
  });
  const peak = watchPeakRss(run);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr(), peakRss: await peak, report };
}

describe('scim-lab conformance against a hostile target (issue 18)', () => {
  it('ends with exit 2 within bounded memory when the target streams an endless body, and writes its report', async () => {
    const outcome = await conformanceAgainst(await hostile(endless));
    expect(`${outcome.stderr}\nexit ${outcome.code}`).toMatch(/exit 2$/);
    expect(outcome.stderr).toMatch(/preflight: the target \S+ sent more than the run reads of one response/);
    expect(outcome.peakRss).toBeGreaterThan(0);
    expect(outcome.peakRss).toBeLessThan(MAX_PEAK_RSS_BYTES);
    expect(JSON.parse(readFileSync(outcome.report, 'utf8')).stopped).toMatch(/maximum response size/);
  }, 60_000);

  it('ends with exit 2 and says the target stopped answering when it hangs after the preflight', async () => {
    const outcome = await conformanceAgainst(await hostile(afterPreflight(hang)));
    expect(`${outcome.stderr}\nexit ${outcome.code}`).toMatch(/exit 2$/);
    expect(outcome.stderr).toMatch(/the run stopped early: the target stopped answering \(GET \S+: no complete answer/);
    expect(outcome.stdout).toMatch(/^E ERROR /m);
    expect(outcome.peakRss).toBeLessThan(MAX_PEAK_RSS_BYTES);
    const json = JSON.parse(readFileSync(outcome.report, 'utf8'));
    expect(json.stopped).toMatch(/^the target stopped answering/);
    expect(json.requirements.at(-1)).toMatchObject({ status: 'error' });
  }, 60_000);

  it('ends with exit 2 within bounded memory when the target streams endless bodies after the preflight', async () => {
    const outcome = await conformanceAgainst(await hostile(afterPreflight(endless)));
    expect(`${outcome.stderr}\nexit ${outcome.code}`).toMatch(/exit 2$/);
    expect(outcome.stderr).toMatch(/the target stopped answering \(GET \S+: the response body passed 4194304 bytes/);
    expect(outcome.peakRss).toBeLessThan(MAX_PEAK_RSS_BYTES);
    expect(JSON.parse(readFileSync(outcome.report, 'utf8')).requirements.at(-1)).toMatchObject({ status: 'error' });
  }, 60_000);
});

describe('scim-lab conformance on SIGINT (issue 13 §7)', () => {
  it('prints "interrupted" and the summary so far, writes the requested reports, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-lab-sigint-'));
    scratch.push(dir);
    const report = join(dir, 'report.json');
    const interrupt: { run?: Run } = {};
    // The first request after the preflight hangs; it is the moment to interrupt a run that is under way.
    const baseUrl = await hostile(afterPreflight(() => interrupt.run?.child.kill('SIGINT')));
    const run = cli(['conformance', '--target', baseUrl, '--token', 'hostile-token-1', '--report', `json=${report}`], {
      NO_COLOR: '1',
    });
    interrupt.run = run;
    const { code } = await run.exited;
    expect(`${run.stdout()}\n${run.stderr()}\nexit ${code}`).toMatch(/exit 2$/);
    expect(run.stdout()).toMatch(/^interrupted$/m);
    expect(run.stdout()).toMatch(/^level +passed +failed/m);
    expect(run.stdout()).toMatch(/stopped early: interrupted \(SIGINT\)/);
    expect(run.stderr()).toContain(`conformance: wrote ${report}`);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ stopped: 'interrupted (SIGINT)' });
  }, 60_000);
});
