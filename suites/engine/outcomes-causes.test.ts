import { fail } from './outcomes';
import { attributeCauses, dependencyProblems, rootCausesFirst } from './outcomes-causes';
import { toJUnit } from './reporters/junit';
import { exitCode, runCatalogue } from './runner';
import type { ContextFactory, ContextScope, Level, Requirement, RequirementResult, RunResult } from './types';

/** Small fake requirements: the check sees the runner's scope, so it can record exchanges of its own. */
const context: ContextFactory<ContextScope> = { capabilities: [], create: (scope) => scope };

function req(
  id: string,
  outcome: 'pass' | 'fail' | 'throw',
  extra: Partial<Requirement<ContextScope>> = {},
): Requirement<ContextScope> {
  return {
    id,
    level: 'MUST' as Level,
    source: 'RFC 7644 §3.6',
    title: `${id} title`,
    suite: 'target',
    async check() {
      if (outcome === 'fail') fail(`${id} saw the target accept DELETE`);
      if (outcome === 'throw') throw new Error('the user it waits for was deleted');
    },
    ...extra,
  };
}

const run = (requirements: Requirement<ContextScope>[], earlier?: RequirementResult[]) =>
  runCatalogue(requirements, { context, seed: 1, runPrefix: 'p-', ...(earlier && { earlier }) });

const byId = (result: RunResult, id: string): RequirementResult => {
  const found = result.requirements.find((r) => r.id === id);
  if (!found) throw new Error(`${id} did not run`);
  return found;
};

describe('issue 13 §3 a dependant of a failed prerequisite', () => {
  it('is reported failed "because C42-DELETE-REFUSED failed", with the prerequisite as its cause', async () => {
    const result = await run([
      req('C42-DELETE-REFUSED', 'fail'),
      req('FLOW-DELETE-REFUSED', 'fail', { suite: 'flow', dependsOn: ['C42-DELETE-REFUSED'] }),
    ]);
    const dependant = byId(result, 'FLOW-DELETE-REFUSED');
    expect(dependant.status).toBe('failed');
    expect(dependant.cause).toBe('C42-DELETE-REFUSED');
    expect(dependant.reason).toBe(
      'because C42-DELETE-REFUSED failed: FLOW-DELETE-REFUSED saw the target accept DELETE',
    );
    expect(byId(result, 'C42-DELETE-REFUSED').cause).toBeUndefined();
    expect(result.causes).toEqual({ rootCauses: 1, dependants: 1 });
  });

  it('warns, not fails, when the dependant is a SHOULD', async () => {
    const result = await run([
      req('C42-DELETE-REFUSED', 'fail'),
      req('FLOW-SYNC-COUNTERS', 'fail', { level: 'SHOULD', dependsOn: ['C42-DELETE-REFUSED'] }),
    ]);
    expect(byId(result, 'FLOW-SYNC-COUNTERS')).toMatchObject({ status: 'warned', cause: 'C42-DELETE-REFUSED' });
  });

  it('stays passed when its own check passes', async () => {
    const result = await run([
      req('C42-DELETE-REFUSED', 'fail'),
      req('FLOW-CREATE', 'pass', { dependsOn: ['C42-DELETE-REFUSED'] }),
    ]);
    expect(byId(result, 'FLOW-CREATE').status).toBe('passed');
    expect(byId(result, 'FLOW-CREATE').cause).toBeUndefined();
  });

  it('is a root cause of its own when its prerequisite passed', async () => {
    const result = await run([
      req('C42-DELETE-REFUSED', 'pass'),
      req('FLOW-DELETE-REFUSED', 'fail', { dependsOn: ['C42-DELETE-REFUSED'] }),
    ]);
    expect(byId(result, 'FLOW-DELETE-REFUSED').cause).toBeUndefined();
    expect(result.causes).toEqual({ rootCauses: 1, dependants: 0 });
  });

  it('turns an error that follows from the failed prerequisite into a failure, so the run exits 1, not 2', async () => {
    const result = await run([
      req('C42-DELETE-REFUSED', 'fail'),
      req('FLOW-DELETE-REFUSED', 'throw', { dependsOn: ['C42-DELETE-REFUSED'] }),
    ]);
    const dependant = byId(result, 'FLOW-DELETE-REFUSED');
    expect(dependant.status).toBe('failed');
    expect(dependant.reason).toBe(
      'because C42-DELETE-REFUSED failed: this check then could not run: the user it waits for was deleted',
    );
    expect(result.summary.MUST).toMatchObject({ failed: 2, error: 0 });
    expect(exitCode(result)).toBe(1);
  });

  it('names its cause when the prerequisite ran in an earlier suite of the run', async () => {
    const target = await run([req('C42-DELETE-REFUSED', 'fail')]);
    const progress: RequirementResult[] = [];
    const flow = await runCatalogue([req('FLOW-DELETE-REFUSED', 'fail', { dependsOn: ['C42-DELETE-REFUSED'] })], {
      context,
      earlier: target.requirements,
      onProgress: (r) => progress.push(r),
    });
    expect(progress[0].cause).toBe('C42-DELETE-REFUSED');
    expect(byId(flow, 'FLOW-DELETE-REFUSED').cause).toBe('C42-DELETE-REFUSED');
  });

  it('is found after the run even when it ran before its prerequisite, and the summary moves with it', async () => {
    const result = await run([
      req('FLOW-SYNC-COUNTERS', 'throw', { dependsOn: ['FLOW-DELETE-REFUSED'] }),
      req('FLOW-DELETE-REFUSED', 'fail', { dependsOn: ['C42-DELETE-REFUSED'] }),
      req('C42-DELETE-REFUSED', 'fail'),
    ]);
    expect(byId(result, 'FLOW-DELETE-REFUSED').cause).toBe('C42-DELETE-REFUSED');
    expect(byId(result, 'FLOW-SYNC-COUNTERS').cause).toBe('FLOW-DELETE-REFUSED');
    expect(result.summary.MUST).toMatchObject({ failed: 3, error: 0 });
    expect(result.causes).toEqual({ rootCauses: 1, dependants: 2 });
    // Idempotent: attributing again changes nothing.
    expect(attributeCauses(result)).toEqual(result);
  });
});

describe('issue 13 §3 root causes first', () => {
  it('orders failed root causes, each followed by its dependants, then errors, warnings, skips and passes', async () => {
    const result = await run([
      req('SCIM-A', 'pass'),
      req('SCIM-W', 'fail', { level: 'SHOULD' }),
      req('FLOW-D', 'fail', { dependsOn: ['C42-ROOT'] }),
      req('SCIM-E', 'throw'),
      req('C42-ROOT', 'fail'),
      req('FLOW-DD', 'fail', { dependsOn: ['FLOW-D'] }),
    ]);
    expect(rootCausesFirst(result.requirements).map((r) => r.id)).toEqual([
      'C42-ROOT',
      'FLOW-D',
      'FLOW-DD',
      'SCIM-E',
      'SCIM-W',
      'SCIM-A',
    ]);
  });
});

describe('issue 13 §3 root causes first in JUnit', () => {
  it('puts the testsuite of the root cause first, and the dependant after it with "because" in its message', async () => {
    const target = await run([req('SCIM-A', 'pass'), req('C42-DELETE-REFUSED', 'fail')]);
    const flow = await run(
      [
        req('FLOW-CREATE', 'pass', { suite: 'flow' }),
        req('FLOW-X', 'fail', { suite: 'flow', dependsOn: ['C42-DELETE-REFUSED'] }),
      ],
      target.requirements,
    );
    const xml = toJUnit({ ...flow, requirements: [...flow.requirements, ...target.requirements] });
    const names = [...xml.matchAll(/<testcase classname="(\w+)" name="([A-Z0-9-]+) /g)].map((m) => `${m[1]} ${m[2]}`);
    expect(names).toEqual(['target C42-DELETE-REFUSED', 'target SCIM-A', 'flow FLOW-X', 'flow FLOW-CREATE']);
    expect(xml).toContain('message="FLOW-X (RFC 7644 §3.6): because C42-DELETE-REFUSED failed: FLOW-X saw the target');
  });
});

describe('issue 13 §5 the JSON report keeps every exchange of a requirement', () => {
  const exchange = (scope: ContextScope, method: string, status: number) =>
    scope.recorder.record({
      from: 'scim-lab',
      to: 'target',
      startedAt: new Date().toISOString(),
      durationMs: 1,
      request: { method, url: 'http://127.0.0.1:1/scim/v2/Users', headers: {} },
      response: { status, headers: {} },
    });

  it('keeps the POST before the failing GET, and marks the exchange the check named as proof', async () => {
    const result = await run([
      req('SCIM-GET-AFTER-CREATE', 'pass', {
        async check(scope) {
          exchange(scope, 'POST', 201);
          fail('GET answered 404', exchange(scope, 'GET', 404));
        },
      }),
    ]);
    const { evidence } = byId(result, 'SCIM-GET-AFTER-CREATE');
    expect(evidence.map((e) => [e.request.method, e.proves ?? false])).toEqual([
      ['POST', false],
      ['GET', true],
    ]);
  });

  it('caps the exchanges it keeps, keeps the proof, and counts those left out', async () => {
    const result = await run([
      req('SCIM-MANY', 'pass', {
        async check(scope) {
          const first = exchange(scope, 'GET', 500);
          for (let i = 0; i < 59; i++) exchange(scope, 'GET', 200);
          fail('the first answer was 500', first);
        },
      }),
    ]);
    const r = byId(result, 'SCIM-MANY');
    expect(r.evidence).toHaveLength(50);
    expect(r.evidenceLeftOut).toBe(10);
    expect(r.evidence[0]).toMatchObject({ proves: true, response: { status: 500 } });
  });
});

describe('issue 13 §3 dependsOn declarations', () => {
  it('names an unknown id, a self-dependency and a cycle', () => {
    expect(
      dependencyProblems([
        { id: 'A', dependsOn: ['B', 'NOPE'] },
        { id: 'B', dependsOn: ['C'] },
        { id: 'C', dependsOn: ['A', 'C'] },
      ]),
    ).toEqual([
      'A: dependsOn names NOPE, which is no requirement',
      'C: depends on itself',
      'dependsOn cycle: A → B → C → A',
    ]);
  });
});
