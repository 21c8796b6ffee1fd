import { fakeResult, fakeRun } from '../test-support/fake-run';
import type { Evidence, RequirementResult } from '../types';
import { toHtml } from './html';

// Issue 13 §3, §5, §7: what the HTML report shows a vendor engineer first, checked on a small, made-up run.

const evidence = (seq: number, status: number, proves = false): Evidence => ({
  seq,
  from: 'scim-lab',
  to: 'target',
  request: { method: 'GET', url: `http://127.0.0.1:1/scim/v2/Users/${seq}`, headers: {} },
  response: { status, headers: {} },
  ...(proves ? { proves: true as const } : {}),
});

const requirement = (over: Partial<RequirementResult>) =>
  fakeResult({ source: 'RFC 7644 §3.6', section: 'RFC 7644 §3.6', title: 'a title', ...over });
const run = fakeRun;

const root = requirement({
  id: 'C42-DELETE-REFUSED',
  status: 'failed',
  reason: 'DELETE answered 204',
  evidence: [evidence(1, 204, true), ...Array.from({ length: 14 }, (_, i) => evidence(i + 2, 200))],
});
const dependant = requirement({
  id: 'FLOW-DELETE-REFUSED',
  suite: 'flow',
  status: 'failed',
  cause: 'C42-DELETE-REFUSED',
  reason: 'because C42-DELETE-REFUSED failed: the sync status is SUCCESS',
});
const html = toHtml(run([requirement({ id: 'SCIM-OK' }), dependant, root]), []);
const section = (id: string) =>
  html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));

describe('the HTML report puts root causes first', () => {
  it('lists the root cause in the summary, linked, with its dependant under it', () => {
    const summary = section('summary');
    expect(summary).toContain('1 root cause(s) and 1 dependant(s)');
    expect(summary.indexOf('href="#req-C42-DELETE-REFUSED"')).toBeLessThan(
      summary.indexOf('href="#req-FLOW-DELETE-REFUSED"'),
    );
    expect(summary).toMatch(/<ul><li>↳ <a href="#req-FLOW-DELETE-REFUSED">.*\(because C42-DELETE-REFUSED failed\)/);
  });

  it('shows the failures before all requirements, the root cause first, and the dependant linking back to it', () => {
    expect(html.indexOf('<section id="failures">')).toBeLessThan(html.indexOf('<section id="results">'));
    const failures = section('failures');
    expect(failures.indexOf('id="req-C42-DELETE-REFUSED"')).toBeLessThan(
      failures.indexOf('id="req-FLOW-DELETE-REFUSED"'),
    );
    expect(failures).toContain('Follows from <a href="#req-C42-DELETE-REFUSED">C42-DELETE-REFUSED</a>');
    expect(failures).not.toContain('SCIM-OK');
  });

  it('collapses passed requirements', () => {
    expect(section('results')).toMatch(/<details class="passed-group"><summary>1 passed<\/summary>.*req-SCIM-OK/);
  });

  it('always shows the exchange the check named as proof, even when it is older than the last ten', () => {
    const failures = section('failures');
    expect(failures).toContain('#1 scim-lab → target (the proof named by the check)');
    expect(failures).not.toContain('#2 scim-lab → target');
    expect(failures).toContain('#15 scim-lab → target');
    expect(failures).toContain('5 earlier exchange(s) are in the HAR report.');
  });
});
