import { createTerminalReporter, shouldUseColor } from './terminal';
import { fakeResult, fakeRun } from './test-support/fake-run';

const requirement = fakeResult;
const run = fakeRun;

function capture(color: boolean) {
  let text = '';
  const reporter = createTerminalReporter({ stream: { write: (s: string) => (text += s) }, color });
  return { reporter, text: () => text };
}

const failed = requirement({
  id: 'C42-DELETE-REFUSED',
  source: 'seed step 6.1',
  quote: "Code42 doesn't support user deletion",
  title: 'DELETE is refused',
  status: 'failed',
  reason: 'DELETE /Users/123 answered 204; expected 4xx or 501 with a SCIM Error',
});

describe('terminal progress', () => {
  it('prints one plain line per requirement, and the reason with id and quoted source under a non-pass', () => {
    const { reporter, text } = capture(false);
    reporter.progress(requirement({}));
    reporter.progress(failed);
    reporter.progress(requirement({ id: 'SCIM-P', level: 'SHOULD', status: 'skipped', reason: 'patch unsupported' }));
    reporter.progress(requirement({ id: 'SCIM-W', level: 'SHOULD', status: 'warned', reason: 'w' }));
    reporter.progress(requirement({ id: 'SCIM-E', status: 'error', reason: 'ECONNREFUSED' }));
    expect(text().split('\n')).toEqual([
      '✔ PASS  SCIM-X Create answers 201',
      '✖ FAIL  C42-DELETE-REFUSED DELETE is refused',
      `        C42-DELETE-REFUSED (seed step 6.1: "Code42 doesn't support user deletion"): DELETE /Users/123 answered 204; expected 4xx or 501 with a SCIM Error`,
      '- SKIP  SCIM-P Create answers 201',
      '        SCIM-P (RFC 7644 §3.3): patch unsupported',
      '! WARN  SCIM-W Create answers 201',
      '        SCIM-W (RFC 7644 §3.3): w',
      'E ERROR SCIM-E Create answers 201',
      '        SCIM-E (RFC 7644 §3.3): ECONNREFUSED',
      '',
    ]);
  });

  it('colours marks only when asked to', () => {
    const plain = capture(false);
    plain.reporter.progress(failed);
    expect(plain.text()).not.toContain('\u001b[');
    const coloured = capture(true);
    coloured.reporter.progress(failed);
    expect(coloured.text()).toContain('\u001b[31m✖ FAIL \u001b[0m');
  });
});

describe('colour decision: a TTY and NO_COLOR unset (no-color.org)', () => {
  it.each([
    [true, undefined, true],
    [true, '', true],
    [true, '1', false],
    [false, undefined, false],
    [undefined, undefined, false],
  ])('isTTY %s with NO_COLOR %s → %s', (isTTY, noColor, expected) => {
    expect(shouldUseColor(isTTY, noColor)).toBe(expected);
  });
});

describe('closing summary per level', () => {
  it('tabulates every level and status and gives the verdict with its exit code', () => {
    const { reporter, text } = capture(false);
    reporter.summary(run([requirement({}), failed, requirement({ id: 'SCIM-I', level: 'INFO', status: 'warned' })]));
    expect(text().split('\n')).toEqual([
      '',
      'level    passed  failed  warned skipped   error     n/a',
      'MUST          1       1       0       0       0       0',
      'SHOULD        0       0       0       0       0       0',
      'INFO          0       0       1       0       0       0',
      '',
      'Root causes first:',
      '✖ FAIL  C42-DELETE-REFUSED DELETE is refused',
      '! WARN  SCIM-I Create answers 201',
      '',
      'FAILED: 1 MUST requirement(s) failed (exit 1, 3 requirements in 1.2 s, seed 7)',
      '',
    ]);
  });

  it('says INCOMPLETE for errors and for a run where nothing ran, PASSED with warnings otherwise', () => {
    const errors = capture(false);
    errors.reporter.summary(run([requirement({ status: 'error' })]));
    expect(errors.text()).toContain('INCOMPLETE: 1 requirement(s) could not run (exit 2,');
    const none = capture(false);
    none.reporter.summary(run([]));
    expect(none.text()).toContain('INCOMPLETE: no requirement ran (exit 2,');
    const warned = capture(false);
    warned.reporter.summary(run([requirement({}), requirement({ level: 'SHOULD', status: 'warned' })]));
    expect(warned.text()).toContain('PASSED with 1 warning(s) (exit 0,');
  });

  it('counts not-applicable requirements in their own column and lists them with the reason', () => {
    const { reporter, text } = capture(false);
    const why = 'no /__admin of the target';
    reporter.summary({
      ...run([requirement({})]),
      notApplicable: [
        { id: 'C42-DEACTIVATE-BLOCKS', level: 'MUST', reason: why },
        { id: 'C42-DEACTIVATE-LICENSE', level: 'MUST', reason: why },
        { id: 'C42-CLOCK', level: 'INFO', reason: why },
      ],
    });
    expect(text()).toContain('MUST          1       0       0       0       0       2\n');
    expect(text()).toContain('INFO          0       0       0       0       0       1\n');
    expect(text()).toContain(`n/a: C42-DEACTIVATE-BLOCKS, C42-DEACTIVATE-LICENSE, C42-CLOCK (${why})`);
  });

  it('says the run stopped early, and why, with exit 2 when no MUST failed', () => {
    const { reporter, text } = capture(false);
    reporter.summary({
      ...run([requirement({ status: 'error' })]),
      stopped: 'the target stopped answering (ETIMEDOUT)',
    });
    expect(text()).toContain('stopped early: the target stopped answering (ETIMEDOUT)\n');
    expect(text()).toContain('INCOMPLETE: the run stopped early (exit 2,');
  });
});

describe('issue 13 §3 one failure per cause, in the terminal', () => {
  const dependant = requirement({
    id: 'FLOW-DELETE-REFUSED',
    suite: 'flow',
    title: 'the refused delete shows as a failed sync',
    status: 'failed',
    cause: 'C42-DELETE-REFUSED',
    dependsOn: ['C42-DELETE-REFUSED'],
    reason: 'because C42-DELETE-REFUSED failed: the sync status is SUCCESS',
  });
  const counters = requirement({
    id: 'FLOW-SYNC-COUNTERS',
    suite: 'flow',
    title: 'counters',
    level: 'SHOULD',
    status: 'warned',
    cause: 'FLOW-DELETE-REFUSED',
    reason: 'because FLOW-DELETE-REFUSED failed: no failure counted',
  });

  it('lists the root cause before the requirements that ran earlier, with its dependants on the line below', () => {
    const { reporter, text } = capture(false);
    const early = requirement({ id: 'SCIM-EARLY', level: 'SHOULD', status: 'warned', reason: 'w' });
    reporter.summary(run([early, requirement({}), dependant, failed, counters]));
    const lines = text().split('\n');
    const start = lines.indexOf('Root causes first:');
    expect(lines.slice(start, start + 4)).toEqual([
      'Root causes first:',
      '✖ FAIL  C42-DELETE-REFUSED DELETE is refused',
      '        ↳ 2 dependant(s), because C42-DELETE-REFUSED failed: FLOW-DELETE-REFUSED (FLOW-SYNC-COUNTERS)',
      '! WARN  SCIM-EARLY Create answers 201',
    ]);
  });

  it('counts root causes and dependants apart in the verdict', () => {
    const { reporter, text } = capture(false);
    reporter.summary(run([failed, dependant, counters]));
    expect(text()).toContain('FAILED: 2 MUST requirement(s) failed (1 root cause(s), 1 dependant(s)) (exit 1,');
  });

  it('says "inferred" and why on the line of a requirement that rests on an inference', () => {
    const { reporter, text } = capture(false);
    reporter.progress(
      requirement({
        id: 'P1-X',
        level: 'INFO',
        status: 'warned',
        reason: 'r',
        inference: 'no public source states it',
      }),
    );
    expect(text()).toContain('P1-X (RFC 7644 §3.3) [inferred: no public source states it]: r');
  });
});
