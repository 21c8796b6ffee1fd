import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCode42, type Code42 } from '../mock-code42';
import { DEFAULT_DRIVER_NAME, runConformance } from './conformance';
import { defaultDriverCommand } from './driver/test-support/compile-driver';
import { exitCode, UsageError } from './engine';

// runConformance picks the suites from what is under test (docs/cli.md) and merges their runs into one report.

const dir = mkdtempSync(join(tmpdir(), 'scim-lab-conformance-'));
function driver(name: string, source: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, source);
  return `"${process.execPath}" "${path}"`;
}

describe('docs/cli.md scim-lab conformance: which suites run', () => {
  it('runs all three suites against embedded mocks when neither --target nor --idp-driver is given', async () => {
    const progress: string[] = [];
    const { result } = await runConformance({
      only: ['SCIM-AUTH-MISSING', 'P1-AUTH-BEARER', 'FLOW-CREATE'],
      defaultDriver: defaultDriverCommand(),
      seed: 3,
      onProgress: (r, p) => progress.push(`${p.index + 1}/${p.total} ${r.id}`),
    });
    expect(result.requirements.map((r) => [r.id, r.suite, r.status])).toEqual([
      ['SCIM-AUTH-MISSING', 'target', 'passed'],
      ['P1-AUTH-BEARER', 'provisioner', 'passed'],
      ['FLOW-CREATE', 'flow', 'passed'],
    ]);
    expect(progress).toEqual(['1/3 SCIM-AUTH-MISSING', '2/3 P1-AUTH-BEARER', '3/3 FLOW-CREATE']);
    expect(result.summary.MUST).toEqual({ passed: 3, failed: 0, warned: 0, skipped: 0, error: 0 });
    expect(result.provisioner.driver).toBe(DEFAULT_DRIVER_NAME);
    expect(result.target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(result.seed).toBe(3);
    expect(exitCode(result)).toBe(0);
  }, 60_000);

  describe('with --target', () => {
    let code42: Code42;
    beforeEach(async () => {
      code42 = createCode42();
      await code42.listen({ port: 0, host: '127.0.0.1' });
    });
    afterEach(() => code42.close());

    it('runs the target and flow suites against that server, and no provisioner suite', async () => {
      const d = code42.describe();
      const { result } = await runConformance({
        target: { baseUrl: d.baseUrl, token: d.token },
        only: ['SCIM-AUTH-MISSING', 'FLOW-DELETE-REFUSED'],
      });
      expect(result.requirements.map((r) => [r.id, r.status])).toEqual([
        ['SCIM-AUTH-MISSING', 'passed'],
        ['FLOW-DELETE-REFUSED', 'passed'],
      ]);
      expect(result.target.baseUrl).toBe(d.baseUrl);
      expect(result.provisioner.driver).toBeNull();
    }, 60_000);

    it('leaves out the Code42-side flow requirement without the target /__admin, and logs it', async () => {
      const d = code42.describe();
      const log: string[] = [];
      const { result } = await runConformance({
        target: { baseUrl: d.baseUrl, token: d.token },
        only: ['FLOW-C42'],
        log: (line) => log.push(line),
      });
      expect(result.requirements).toEqual([]);
      expect(log).toContain('conformance: not applicable to this target (no admin): FLOW-C42-LIFECYCLE');
      expect(exitCode(result)).toBe(2);
    });

    it('refuses --only entries that name provisioner requirements, which this run does not include', async () => {
      const d = code42.describe();
      await expect(
        runConformance({ target: { baseUrl: d.baseUrl, token: d.token }, only: ['P1-AUTH-BEARER'] }),
      ).rejects.toThrow(/"P1-AUTH-BEARER" names provisioner-suite requirements, which this run does not include/);
    });
  });

  it('with --idp-driver alone, refuses --only entries of the target and flow suites, which do not run', async () => {
    await expect(runConformance({ idpDriver: 'true', only: ['FLOW-CREATE'] })).rejects.toThrow(
      /"FLOW-CREATE" names flow-suite requirements/,
    );
  });

  it('refuses an --only entry that matches nothing in any suite (exit 2)', async () => {
    const error = await runConformance({ only: ['P1-NO-SUCH-THING'], defaultDriver: 'true' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/"P1-NO-SUCH-THING" matches no requirement/);
  });
});

describe('docs/driver-protocol.md the verdict on a driver that breaks the protocol or cannot perform', () => {
  it('reports a driver error as `error` (exit 2) with the driver stderr, and runs on', async () => {
    const broken = driver('broken', `console.error('cannot reach the IdP API'); process.exitCode = 9;`);
    const { result } = await runConformance({ idpDriver: broken, only: ['P1-AUTH-BEARER', 'P1-TOGGLE-CREATE'] });
    expect(result.requirements.map((r) => r.status)).toEqual(['error', 'error']);
    expect(result.requirements[0].reason).toMatch(/exited with code 9.*cannot reach the IdP API/);
    expect(result.provisioner.driver).toBe(broken);
    expect(exitCode(result)).toBe(2);
  }, 60_000);

  it('fails a MUST and skips an INFO requirement when the driver cannot perform the action (exit 4)', async () => {
    const cannot = driver('cannot', `console.log(JSON.stringify({ detail: 'read-only IdP' })); process.exitCode = 4;`);
    const { result } = await runConformance({ idpDriver: cannot, only: ['P1-AUTH-BEARER', 'P1-RETRY-503'] });
    expect(result.requirements.map((r) => [r.id, r.status, r.reason])).toEqual([
      [
        'P1-AUTH-BEARER',
        'failed',
        'the provisioner cannot perform "create" (driver exit 4: read-only IdP), which this MUST requirement needs',
      ],
      ['P1-RETRY-503', 'skipped', 'the provisioner cannot perform "create" (driver exit 4: read-only IdP)'],
    ]);
    expect(exitCode(result)).toBe(1);
  }, 60_000);
});
