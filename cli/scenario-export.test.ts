import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCode42, type Code42 } from '../mock-code42';
import { runConformance } from '../suites/conformance';
import { exportScenarios } from './scenario-export';
import { ensureBuilt, finished } from './test-support';

// `conformance --export-scenarios DIR` (docs/scenarios.md): a failed requirement becomes a scenario that fails
// against the deviated server it failed on, and passes against a clean one.

jest.setTimeout(90_000);
beforeAll(() => ensureBuilt(), 180_000);

const TOKEN = 'export-target-token-0123456789';
const ADMIN = 'export-admin-token-0123456789';
let dir: string;
let deviated: Code42;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scim-lab-export-'));
  deviated = createCode42({ token: TOKEN, adminToken: ADMIN, deviations: ['allow-delete'] });
  await deviated.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await deviated.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('conformance --export-scenarios', () => {
  it('writes a scenario of the failed requirement that fails on the deviated server and passes on a clean lab', async () => {
    const target = deviated.describe().baseUrl;
    const conformance = await finished([
      'conformance',
      ...['--target', target, '--token', TOKEN, '--only', 'C42-DELETE-REFUSED', '--seed', '7'],
      ...['--export-scenarios', dir],
    ]);
    expect(conformance.code).toBe(1);
    const file = join(dir, 'c42-delete-refused.json');
    expect(conformance.stderr).toContain(`conformance: wrote ${file}`);
    const scenario = JSON.parse(readFileSync(file, 'utf8'));
    expect(scenario.reproduces).toEqual(
      expect.objectContaining({ requirement: 'C42-DELETE-REFUSED', seed: 7, target, deviations: [] }),
    );
    expect(scenario.steps).toEqual([{ conformance: { requirement: 'C42-DELETE-REFUSED', seed: 7 } }]);
    expect(JSON.stringify(scenario)).not.toContain(TOKEN);

    const again = await finished(['scenario', 'run', file, '--target', target, '--token', TOKEN]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(
      /failed at step 1 \(conformance C42-DELETE-REFUSED\): C42-DELETE-REFUSED failed: DELETE \/Users\/\S+ answered 204; expected 4xx or 501/,
    );
    expect((await finished(['scenario', 'run', file])).code).toBe(0);
  });

  it('keeps the deviations of embedded mocks, which --reproduce applies again', async () => {
    const run = await runConformance({
      only: ['C42-DELETE-REFUSED'],
      seed: 11,
      embedded: { code42Deviations: ['allow-delete'] },
    });
    expect(run.result.requirements.map((r) => r.status)).toEqual(['failed']);
    const [file] = exportScenarios(run, dir, { deviations: ['code42:allow-delete'] });
    expect(readdirSync(dir)).toEqual(['c42-delete-refused.json']);

    expect((await finished(['scenario', 'run', file])).code).toBe(0);
    const reproduced = await finished(['scenario', 'run', file, '--reproduce']);
    expect(reproduced.code).toBe(1);
    expect(reproduced.stderr).toContain('scenario: deviations code42:allow-delete');
    expect(reproduced.stdout).toContain('this is the bug the scenario reproduces: C42-DELETE-REFUSED failed:');
  });
});
