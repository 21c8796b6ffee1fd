import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_SETTINGS } from '../../fixtures/mapping';
import { DriverError, runDriverStep, type StepInput } from './runner';

// Drivers written for the test: small Node scripts, run through a shell as `--idp-driver "node script.js"` would be.
const dir = mkdtempSync(join(tmpdir(), 'scim-lab-runner-'));
function driver(name: string, source: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, source);
  return `"${process.execPath}" "${path}"`;
}
const readAll = `const chunks = []; process.stdin.on('data', (c) => chunks.push(c));`;

const { USER_FILTER, UNIQUE_USER_IDENTIFIER, REMOVE_ACTION, CREATE_USERS, UPDATE_USERS, DISABLE_USERS } = SEED_SETTINGS;
const input: StepInput = {
  action: 'create',
  key: 'ann.lee',
  user: { username: 'ann.lee', name: { given: 'Ann' } },
  settings: { USER_FILTER, UNIQUE_USER_IDENTIFIER, REMOVE_ACTION, CREATE_USERS, UPDATE_USERS, DISABLE_USERS },
};
const options = { targetUrl: 'http://127.0.0.1:9/scim/v2', targetToken: 'target-token', timeoutMs: 10_000 };

/** A killed process may linger as a zombie until something reaps it; that counts as dead (Linux /proc). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('docs/driver-protocol.md driver protocol v1: the step', () => {
  it('writes the step as one JSON document on stdin, with protocol 1', async () => {
    const echo = driver(
      'echo-stdin',
      `${readAll} process.stdin.on('end', () => { process.stdout.write(JSON.stringify({ detail: Buffer.concat(chunks).toString() })); });`,
    );
    const outcome = await runDriverStep(echo, input, options);
    expect(JSON.parse(outcome.detail!)).toEqual({
      protocol: 1,
      action: 'create',
      key: 'ann.lee',
      user: { username: 'ann.lee', name: { given: 'Ann' } },
      settings: {
        USER_FILTER: 'username Eq "%s"',
        UNIQUE_USER_IDENTIFIER: 'userName',
        REMOVE_ACTION: 'Disable',
        CREATE_USERS: true,
        UPDATE_USERS: true,
        DISABLE_USERS: true,
      },
    });
  });

  it('adds SCIM_LAB_TARGET_URL, SCIM_LAB_TARGET_TOKEN and SCIM_LAB_STEP_TIMEOUT_MS to the harness environment', async () => {
    const env = driver(
      'echo-env',
      `const e = process.env; console.log(JSON.stringify({ detail: JSON.stringify([e.SCIM_LAB_TARGET_URL, e.SCIM_LAB_TARGET_TOKEN, e.SCIM_LAB_STEP_TIMEOUT_MS, e.HARNESS_ONLY]) }));`,
    );
    const outcome = await runDriverStep(env, input, { ...options, env: { ...process.env, HARNESS_ONLY: 'kept' } });
    expect(JSON.parse(outcome.detail!)).toEqual(['http://127.0.0.1:9/scim/v2', 'target-token', '10000', 'kept']);
  });
});

describe('docs/driver-protocol.md driver protocol v1: exit codes', () => {
  it('reads exit 0 as propagated', async () => {
    const outcome = await runDriverStep(driver('ok', 'process.exitCode = 0;'), input, options);
    expect(outcome).toEqual(expect.objectContaining({ code: 0, stdout: '', stderr: '' }));
    expect(outcome.detail).toBeUndefined();
  });

  it('reads exit 3 as a failed sync, with the detail the driver printed on stdout', async () => {
    const failed = driver(
      'failed',
      `console.log(JSON.stringify({ detail: 'DELETE refused: HTTP 405' })); process.exitCode = 3;`,
    );
    expect(await runDriverStep(failed, input, options)).toEqual(
      expect.objectContaining({ code: 3, detail: 'DELETE refused: HTTP 405' }),
    );
  });

  it('takes the detail of exit 3 from the last line when the driver logged before it', async () => {
    const chatty = driver(
      'chatty',
      `console.log('working…'); console.log(JSON.stringify({ detail: 'refused' })); process.exitCode = 3;`,
    );
    expect((await runDriverStep(chatty, input, options)).detail).toBe('refused');
  });

  it('reads exit 4 as "cannot perform", with an optional detail', async () => {
    const cannot = driver('cannot', `console.log(JSON.stringify({ detail: 'no resync here' })); process.exitCode = 4;`);
    expect(await runDriverStep(cannot, input, options)).toEqual(
      expect.objectContaining({ code: 4, detail: 'no resync here' }),
    );
    expect((await runDriverStep(driver('cannot-bare', 'process.exitCode = 4;'), input, options)).code).toBe(4);
  });

  it('rejects an exit 3 without {"detail"} on stdout as a driver error', async () => {
    const bare = driver('bare-3', `console.log('it failed'); process.exitCode = 3;`);
    await expect(runDriverStep(bare, input, options)).rejects.toThrow(/exited 3 \(failed sync\) without printing/);
  });

  it('rejects an unknown exit code as a driver error that quotes its stderr', async () => {
    const broken = driver('broken', `console.error('TypeError: cannot read "id" of undefined'); process.exitCode = 7;`);
    const error = await runDriverStep(broken, input, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect((error as DriverError).message).toMatch(/exited with code 7, which driver protocol v1 does not define/);
    expect((error as DriverError).message).toContain('TypeError: cannot read "id" of undefined');
    expect((error as DriverError).stderr).toContain('TypeError');
  });

  it('rejects a command the shell cannot find as a driver error (exit 127)', async () => {
    await expect(runDriverStep('scim-lab-no-such-driver-command', input, options)).rejects.toThrow(
      /exited with code 127/,
    );
  });

  it('runs an argv array without a shell: its arguments reach the driver as they are', async () => {
    const argv = [
      process.execPath,
      '-e',
      'console.log(JSON.stringify({ detail: process.argv[1] }))',
      'a b; echo $HOME',
    ];
    expect((await runDriverStep(argv, input, options)).detail).toBe('a b; echo $HOME');
  });

  it('rejects an empty command', async () => {
    await expect(runDriverStep('  ', input, options)).rejects.toThrow(/the driver command is empty/);
    await expect(runDriverStep([], input, options)).rejects.toThrow(/the driver command is empty/);
  });
});

describe('docs/driver-protocol.md driver protocol v1: a step never hangs the run', () => {
  it('kills the whole process group of a step that overruns SCIM_LAB_STEP_TIMEOUT_MS', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const hang = driver(
      'hang',
      `const { spawn } = require('node:child_process');
       const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
       console.error('waiting for a target that never answers');
       setInterval(() => {}, 1000);`,
    );
    const error = await runDriverStep(hang, input, { ...options, timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect((error as Error).message).toMatch(/did not finish within 1500 ms \(SCIM_LAB_STEP_TIMEOUT_MS\)/);
    expect((error as Error).message).toContain('waiting for a target that never answers');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('stops a step when the requirement is aborted', async () => {
    const slow = driver('slow', 'setInterval(() => {}, 1000);');
    const controller = new AbortController();
    const step = runDriverStep(slow, input, { ...options, signal: controller.signal });
    controller.abort(new Error('the requirement timed out'));
    await expect(step).rejects.toThrow(/was stopped: the requirement timed out/);
  });

  it('does not wait for a child the driver left behind holding its stdout', async () => {
    const leaver = driver(
      'leaver',
      `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
       console.log(JSON.stringify({ detail: 'done' }));
       process.exit(0);`,
    );
    expect(await runDriverStep(leaver, input, options)).toEqual(expect.objectContaining({ code: 0, detail: 'done' }));
  });
});
