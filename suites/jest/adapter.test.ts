import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, cli, ensureBuilt, jsonLine, ROOT, scratch, type Code42Line } from '../../cli/test-support';
import { describeConformance, optionsFromEnv } from './index';

// The catalogue as jest suites (issue 5 §2): in this very file against the embedded default, then the README's
// example jest project run by jest in its own process against a separately started server.

describeConformance({ only: ['SCIM-AUTH', 'C42-DELETE-REFUSED', 'C42-DEACTIVATE-AFTER-15-MIN'], seed: 11 });

describe('the README example jest project', () => {
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => cleanup());

  /** A user's project: the example files, and scim-lab installed in node_modules (here: a link to this checkout). */
  function exampleProject(): string {
    const dir = mkdtempSync(join(tmpdir(), 'scim-lab-jest-example-'));
    scratch.push(dir);
    cpSync(join(ROOT, 'examples', 'jest'), dir, { recursive: true });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'scim-lab'), 'dir');
    return dir;
  }

  async function runExampleAgainst(deviation?: string) {
    const run = cli(['code42', '--port', '0', '--json', ...(deviation ? ['--deviation', deviation] : [])]);
    const { code42 } = await jsonLine<{ code42: Code42Line }>(run);
    const dir = exampleProject();
    return spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--rootDir', dir],
      {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          SCIM_LAB_TARGET_URL: code42.baseUrl,
          SCIM_LAB_TARGET_TOKEN: code42.token,
          SCIM_LAB_ONLY: 'SCIM-AUTH,C42-DELETE-REFUSED',
        },
      },
    );
  }

  it('passes against a conformant server, one test per requirement', async () => {
    const jest = await runExampleAgainst();
    expect(jest.stderr).toMatch(/✓ C42-DELETE-REFUSED \[MUST\]/);
    expect(jest.stderr).toMatch(/Tests: +4 passed, 4 total/);
    expect(jest.status).toBe(0);
  }, 120_000);

  it('fails the test of the requirement a server breaks, saying why', async () => {
    const jest = await runExampleAgainst('allow-delete');
    expect(jest.stderr).toMatch(/✕ C42-DELETE-REFUSED \[MUST\]/);
    expect(jest.stderr).toMatch(/failed: C42-DELETE-REFUSED \(SEED-6\.1[^)]*\): DELETE \/Users\/\S+ answered 204/);
    expect(jest.stderr).toMatch(/Tests: +1 failed, 3 passed, 4 total/);
    expect(jest.status).toBe(1);
  }, 120_000);
});

describe('the adapter reads the CLI variables (docs/cli.md)', () => {
  it('takes SCIM_LAB_INSECURE for an https target, as --insecure', () => {
    const options = optionsFromEnv({
      SCIM_LAB_TARGET_URL: 'https://127.0.0.1:8443/scim/v2',
      SCIM_LAB_TARGET_TOKEN: 'a-long-token',
      SCIM_LAB_INSECURE: '1',
    });
    expect(options.transport).toEqual({ tls: { insecure: true } });
  });

  it('sets no transport options when neither SCIM_LAB_CA_FILE nor SCIM_LAB_INSECURE is set', () => {
    expect(optionsFromEnv({}).transport).toBeUndefined();
  });
});
