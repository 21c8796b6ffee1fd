import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetContext } from './context';
import { createExchangeLog, type ExchangeLog } from './exchange-log';
import { CatalogueError, CheckFailure, UsageError } from './outcomes';
import { exitCode, runCatalogue, sectionOf } from './runner';
import { exampleCatalogue } from './test-support/example-catalogue';
import { ADMIN_TOKEN, TOKEN, startTinyScim, type TinyScim } from './test-support/tiny-scim';
import type { CheckContext, Requirement, RequirementResult, RunResult, Status } from './types';

let server: TinyScim;
beforeAll(async () => {
  server = await startTinyScim();
});
afterAll(() => server.close());

function context(withAdmin = true) {
  return targetContext({
    target: { baseUrl: server.baseUrl, token: TOKEN },
    ...(withAdmin ? { admin: { baseUrl: server.adminUrl, token: ADMIN_TOKEN } } : {}),
  });
}

describe('docs/reports.md statuses, run against a real HTTP server', () => {
  let result: RunResult;
  let log: ExchangeLog;
  const progress: string[] = [];
  const byId = (id: string): RequirementResult => {
    const found = result.requirements.find((r) => r.id === id);
    if (!found) throw new Error(`${id} did not run`);
    return found;
  };

  beforeAll(async () => {
    log = createExchangeLog();
    result = await runCatalogue(exampleCatalogue(), {
      context: context(),
      seed: 42,
      runPrefix: 'scimlab-test-',
      target: { baseUrl: server.baseUrl },
      exchanges: log,
      onProgress: (r, { index, total }) => progress.push(`${index + 1}/${total} ${r.id} ${r.status}`),
    });
  });

  it('passes a check that returns, with its exchanges as evidence', () => {
    const r = byId('SCIM-CREATE-201');
    expect(r.status).toBe('passed');
    expect(r.reason).toBe('');
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0].request.method).toBe('POST');
    expect(r.evidence[0].response?.status).toBe(201);
  });

  it('fails a MUST whose check throws CheckFailure, stating the request, what came back and what was expected', () => {
    const r = byId('C42-DELETE-REFUSED');
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/^DELETE \/Users\/\d+ answered 204; expected 4xx or 501 with a SCIM Error$/);
  });

  it('keeps every exchange as evidence and marks the proving one when the failure names one (issue 13 §5)', () => {
    const r = byId('C42-DELETE-REFUSED');
    const proving = r.evidence.filter((e) => e.proves);
    expect(proving.map((e) => `${e.request.method} ${e.response?.status}`)).toEqual(['DELETE 204']);
    expect(r.evidence.length).toBeGreaterThan(proving.length);
  });

  it('warns, not fails, when a SHOULD or INFO check fails', () => {
    expect(byId('SCIM-ERROR-STATUS-STRING').status).toBe('warned');
    expect(byId('SCIM-ERROR-STATUS-STRING').reason).toBe(
      'GET /numeric-status-error answered 400 with a body status of 400, not the string "400"; expected 400 with a SCIM Error (scimType invalidFilter)',
    );
    expect(byId('SCIM-AUTH-LEAK').status).toBe('warned');
  });

  it('skips a SHOULD with the reason the check gives', () => {
    expect(byId('SCIM-PATCH-REPLACE')).toMatchObject({
      status: 'skipped',
      reason: '/ServiceProviderConfig declares patch unsupported',
    });
  });

  it('passes an INFO check', () => {
    expect(byId('C42-DISABLED-READABLE').status).toBe('passed');
  });

  it('reports a MUST that skips as an error, because a MUST can never be skipped', () => {
    const r = byId('C42-MUST-SKIPS');
    expect(r.status).toBe('error');
    expect(r.reason).toContain('a MUST requirement cannot be skipped');
    expect(r.reason).toContain('bulk is not supported');
  });

  it('ends a check that outlives its timeout in error, aborts its request, and moves on', () => {
    const r = byId('SCIM-HANG');
    expect(r.status).toBe('error');
    expect(r.reason).toBe('did not finish within 300 ms (the per-requirement timeout)');
    const hung = log.list().find((e) => e.requirementId === 'SCIM-HANG');
    expect(hung?.response).toBeUndefined();
    expect(hung?.error).toBe('aborted (did not finish within 300 ms (the per-requirement timeout))');
    expect(r.evidence.map((e) => e.error)).toEqual([hung?.error]);
    expect(result.requirements.map((x) => x.id).indexOf('SCIM-HANG')).toBeLessThan(result.requirements.length - 1);
  });

  it('reports any other exception as an error with its message', () => {
    const r = byId('FLOW-CRASH');
    expect(r.status).toBe('error');
    expect(r.reason).toMatch(/^TypeError: /);
  });

  it('runs a requirement that needs the admin surface when the run provides it', () => {
    expect(byId('C42-ADMIN-HEALTH').status).toBe('passed');
  });

  it('counts every level and every status in the summary', () => {
    expect(result.summary).toEqual({
      MUST: { passed: 1, failed: 1, warned: 0, skipped: 0, error: 3 },
      SHOULD: { passed: 0, failed: 0, warned: 2, skipped: 1, error: 0 },
      INFO: { passed: 2, failed: 0, warned: 1, skipped: 0, error: 0 },
    });
  });

  it('reports progress once per requirement, in catalogue order', () => {
    expect(progress).toHaveLength(exampleCatalogue().length);
    expect(progress[0]).toBe(`1/${exampleCatalogue().length} SCIM-CREATE-201 passed`);
  });

  it('fills the report header of docs/reports.md', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(result).toMatchObject({
      reportVersion: 1,
      tool: { name: 'scim-lab', version: pkg.version },
      target: { baseUrl: server.baseUrl },
      provisioner: { driver: null },
      seed: 42,
      runPrefix: 'scimlab-test-',
    });
    expect(Number.isNaN(Date.parse(result.startedAt))).toBe(false);
    expect(result.requirements.map((r) => r.id)).toEqual(exampleCatalogue().map((r) => r.id));
  });

  it('groups by the given section, or by the first source with seed steps at step level', () => {
    expect(byId('MAP-HOSTILE-NAME').section).toBe('SEED-7');
    expect(byId('C42-DELETE-REFUSED').section).toBe('seed step 6');
    expect(sectionOf('RFC 7644 §3.4.2.2; DOC S4')).toBe('RFC 7644 §3.4.2.2');
    expect(sectionOf('C42-DEACTIVATE-USERS [INF]')).toBe('C42-DEACTIVATE-USERS');
  });

  it('creates users whose userName starts with the run prefix (docs/reports.md)', () => {
    const posts = log.list().filter((e) => e.request.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) expect((post.request.body as { userName: string }).userName).toMatch(/^scimlab-test-/);
  });

  it('numbers exchanges in run order and tags each with its requirement', () => {
    const seqs = log.list().map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(log.list().every((e) => typeof e.requirementId === 'string')).toBe(true);
  });

  it('never records the tokens: Authorization is [redacted] and literal tokens are replaced', () => {
    const recorded = JSON.stringify({ result, exchanges: log.list() });
    expect(recorded).not.toContain(TOKEN);
    expect(recorded).not.toContain(ADMIN_TOKEN);
    expect(log.list().every((e) => e.request.headers.authorization === '[redacted]')).toBe(true);
    expect(byId('SCIM-AUTH-LEAK').reason).toBe('the token [redacted] was echoed');
  });
});

describe('capabilities a requirement needs', () => {
  it('reports an error, not a skip, when the run lacks one', async () => {
    const result = await runCatalogue(exampleCatalogue(), { context: context(false), only: ['C42-ADMIN-HEALTH'] });
    expect(result.requirements[0]).toMatchObject({
      status: 'error',
      reason: "could not run: it needs 'admin', which this run does not provide",
    });
    expect(exitCode(result)).toBe(2);
  });
});

describe('issue 18: a target that stops answering, and a run that is stopped', () => {
  const requirements = (statuses: ('pass' | 'fail')[]): Requirement[] =>
    statuses.map((outcome, i) => ({
      id: `SCIM-STEP-${i + 1}`,
      level: 'MUST',
      source: 'RFC 7644 §3.3',
      title: `step ${i + 1}`,
      suite: 'target',
      async check() {
        if (outcome === 'fail') throw new CheckFailure('the target answered nothing useful');
      },
    }));

  it('turns a failed requirement into error and stops the run when the target no longer answers', async () => {
    const asked: string[] = [];
    const result = await runCatalogue(requirements(['pass', 'fail', 'pass']), {
      context: context(false),
      liveness: async () => {
        asked.push('probe');
        return 'GET /ServiceProviderConfig: ETIMEDOUT';
      },
    });
    expect(result.requirements.map((r) => [r.id, r.status])).toEqual([
      ['SCIM-STEP-1', 'passed'],
      ['SCIM-STEP-2', 'error'],
    ]);
    expect(result.requirements[1].reason).toMatch(
      /^the target stopped answering \(GET \/ServiceProviderConfig: ETIMEDOUT\); the run stops here\. What the check saw: the target answered nothing useful$/,
    );
    expect(result.stopped).toBe('the target stopped answering (GET /ServiceProviderConfig: ETIMEDOUT)');
    expect(asked).toEqual(['probe']);
    expect(exitCode(result)).toBe(2);
  });

  it('keeps the verdict of a failed requirement when the target still answers', async () => {
    const result = await runCatalogue(requirements(['fail', 'pass']), {
      context: context(false),
      liveness: async () => undefined,
    });
    expect(result.requirements.map((r) => r.status)).toEqual(['failed', 'passed']);
    expect(result.stopped).toBeUndefined();
  });

  it('stops at a stop signal, leaves the abandoned requirement out, and says why', async () => {
    const stop = new AbortController();
    const catalogue: Requirement[] = [
      ...requirements(['pass']),
      {
        id: 'SCIM-STEP-HANGS',
        level: 'MUST',
        source: 'RFC 7644 §3.3',
        title: 'hangs until aborted',
        suite: 'target',
        check: (ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
            stop.abort(new Error('interrupted (SIGINT)'));
          }),
      },
      { ...requirements(['pass'])[0], id: 'SCIM-STEP-AFTER' },
    ];
    const result = await runCatalogue(catalogue, { context: context(false), stop: stop.signal });
    expect(result.requirements.map((r) => r.id)).toEqual(['SCIM-STEP-1']);
    expect(result.stopped).toBe('interrupted (SIGINT)');
    expect(exitCode(result)).toBe(2);
  });
});

describe('issue 13 §7: log lines of a check', () => {
  const logging = (id: string, fails: boolean): Requirement => ({
    id,
    level: 'MUST',
    source: 'RFC 7644 §3.3',
    title: id,
    suite: 'target',
    async check(ctx) {
      ctx.log('the driver answered exit 3 (sync failed), as this requirement wants');
      if (fails) throw new CheckFailure('the target kept the user');
    },
  });

  it('shows them only under a requirement that did not pass, so an expected refusal never reads like an error', async () => {
    const lines: string[] = [];
    await runCatalogue([logging('SCIM-LOG-PASS', false), logging('SCIM-LOG-FAIL', true)], {
      context: context(false),
      log: (line) => lines.push(line),
    });
    expect(lines).toEqual(['SCIM-LOG-FAIL: the driver answered exit 3 (sync failed), as this requirement wants']);
  });
});

describe('docs/cli.md --only', () => {
  const ids = async (only: string[]) =>
    (await runCatalogue(cheap(), { context: context(), only })).requirements.map((r) => r.id);
  const cheap = (): Requirement<CheckContext>[] =>
    exampleCatalogue().map((r) => ({ ...r, check: async () => undefined, needs: undefined }));

  it('selects by exact id', async () => {
    expect(await ids(['C42-DELETE-REFUSED'])).toEqual(['C42-DELETE-REFUSED']);
  });

  it('selects by id prefix on dash boundaries, with or without a trailing dash or star', async () => {
    const c42 = ['C42-DELETE-REFUSED', 'C42-DISABLED-READABLE', 'C42-ADMIN-HEALTH', 'C42-MUST-SKIPS'];
    expect(await ids(['C42'])).toEqual(c42);
    expect(await ids(['c42-'])).toEqual(c42);
    expect(await ids(['C42-*'])).toEqual(c42);
    expect(await ids(['SCIM-PATCH'])).toEqual(['SCIM-PATCH-REPLACE']);
  });

  it('does not match an id prefix inside a word', async () => {
    await expect(ids(['SCIM-PAT'])).rejects.toThrow(UsageError);
  });

  it('selects by level, and unions entries in catalogue order', async () => {
    expect(await ids(['SHOULD'])).toEqual(['SCIM-ERROR-STATUS-STRING', 'SCIM-PATCH-REPLACE', 'MAP-HOSTILE-NAME']);
    expect(await ids(['FLOW', 'info'])).toEqual([
      'C42-DISABLED-READABLE',
      'SCIM-AUTH-LEAK',
      'C42-ADMIN-HEALTH',
      'FLOW-CRASH',
    ]);
  });

  it('is a usage error naming the entry when an entry matches nothing, so a typo never shrinks a run', async () => {
    await expect(ids(['C42-DELETE-REFUSD'])).rejects.toThrow(
      /^--only: "C42-DELETE-REFUSD" matches no requirement; use an id, an id prefix \(SCIM, C42, MAP, FLOW\) or a level/,
    );
    await expect(ids(['MUST', 'NOPE'])).rejects.toThrow('"NOPE"');
    await expect(ids([' '])).rejects.toThrow(UsageError);
  });
});

describe('the same seed gives each requirement the same users, whatever else runs', () => {
  it('sends the same user to the target for one requirement alone or within a prefix selection', async () => {
    const bodyOf = async (only: string[]) => {
      const log = createExchangeLog();
      await runCatalogue(exampleCatalogue(), { context: context(), only, seed: 9, runPrefix: 'p-', exchanges: log });
      return log.list().find((e) => e.requirementId === 'SCIM-CREATE-201')?.request.body;
    };
    const alone = await bodyOf(['SCIM-CREATE-201']);
    expect(alone).toMatchObject({ userName: expect.stringMatching(/^p-scim-create-201\./) });
    expect(await bodyOf(['SCIM-CREATE'])).toEqual(alone);
    expect(await bodyOf(['MUST'])).toEqual(alone);
  });
});

describe('docs/cli.md exit codes', () => {
  const run = (...statuses: Status[]) => ({
    requirements: statuses.map((status) => ({ status }) as RequirementResult),
  });

  it('is 1 when any MUST failed, even with errors', () => {
    expect(exitCode(run('passed', 'failed'))).toBe(1);
    expect(exitCode(run('error', 'failed'))).toBe(1);
  });

  it('is 2 when a requirement ended in error and no MUST failed', () => {
    expect(exitCode(run('passed', 'error', 'warned'))).toBe(2);
  });

  it('is 0 with warnings and skips only', () => {
    expect(exitCode(run('passed', 'warned', 'skipped'))).toBe(0);
  });

  it('is never 0 when nothing ran', () => {
    expect(exitCode(run())).toBe(2);
  });
});

describe('docs/reports.md catalogue rules, checked before anything runs', () => {
  const base: Requirement<CheckContext> = {
    id: 'SCIM-OK',
    level: 'MUST',
    source: 'RFC 7644 §3.3',
    title: 't',
    suite: 'target',
    check: async () => undefined,
  };
  const validate = (overrides: Partial<Requirement<CheckContext>>[]) =>
    runCatalogue(
      overrides.map((o) => ({ ...base, ...o })),
      { context: context() },
    );

  it.each([
    ['lower case', 'scim-lower', 'scim-lower: id must match PREFIX-TOPIC[-DETAIL]'],
    ['an unknown prefix', 'XYZ-THING', 'XYZ-THING: id must match'],
    ['no topic', 'SCIM', 'SCIM: id must match'],
    ['a trailing dash', 'C42-DELETE-', 'C42-DELETE-: id must match'],
  ])('refuses an id with %s, naming it', async (_what, id, message) => {
    await expect(validate([{ id }])).rejects.toThrow(message);
  });

  it('refuses a duplicate id', async () => {
    await expect(validate([{}, {}])).rejects.toThrow('SCIM-OK: the id is used twice');
  });

  it('refuses an unknown level', async () => {
    await expect(validate([{ level: 'MAY' as never }])).rejects.toThrow('SCIM-OK: level must be MUST, SHOULD or INFO');
  });

  it('refuses an [INF]-sourced requirement that is not INFO', async () => {
    await expect(validate([{ id: 'C42-DELETE-STATUS', source: 'C42-DEACTIVATE-USERS [SEED + INF]' }])).rejects.toThrow(
      /^C42-DELETE-STATUS: its source "C42-DEACTIVATE-USERS \[SEED \+ INF\]" includes an \[INF\] inference, so its level must be INFO, not MUST/,
    );
    await expect(validate([{ level: 'SHOULD', source: 'DOC S4 [INF]' }])).rejects.toThrow(CatalogueError);
    await expect(validate([{ level: 'INFO', source: 'DOC S4 [INF]' }])).resolves.toBeDefined();
  });

  it('refuses an empty title or source and a bad timeout', async () => {
    await expect(validate([{ title: ' ' }])).rejects.toThrow('SCIM-OK: title is empty');
    await expect(validate([{ source: '' }])).rejects.toThrow('SCIM-OK: source is empty');
    await expect(validate([{ timeoutMs: 0 }])).rejects.toThrow('SCIM-OK: timeoutMs must be a positive integer');
  });

  it('refuses bad run options, naming them', async () => {
    await expect(runCatalogue([base], { context: context(), seed: -1 })).rejects.toThrow('--seed');
    await expect(runCatalogue([base], { context: context(), timeoutMs: 1.5 })).rejects.toThrow('timeout');
  });
});
