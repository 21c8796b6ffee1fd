// Runs the compiled `scim-lab` CLI in its own process, as a user does (shared by the CLI tests).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'scim-lab.js');
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const SOURCE_DIRS = ['scim', 'lab', 'mock-code42', 'mock-pingone', 'suites', 'fixtures', 'cli', 'containers'];

/** The newest mtime of the sources `npm run build` compiles (tests and test-support excluded). */
function newestSourceMs(): number {
  let newest = statSync(join(ROOT, 'index.ts')).mtimeMs;
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'test-support' && entry.name !== '__tests__') visit(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(ROOT, dir));
  return newest;
}

/** `npm run build`, when dist/ is older than the sources. Call in beforeAll with a long timeout. */
export function ensureBuilt(): void {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSourceMs()) return;
  // `npm run build`. tsc still emits when a file outside the CLI has a type error; only a missing output fails here.
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (err) {
    if (!existsSync(MAIN)) throw err;
  }
}

export interface Code42Line {
  baseUrl: string;
  token: string;
  adminUrl: string;
  adminToken: string;
}

export interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const runs: Run[] = [];
export const scratch: string[] = [];

/** Kills what a test left running and removes its scratch folders. Call in afterEach. */
export async function cleanup(): Promise<void> {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.exited;
  }
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The environment without any SCIM_LAB_* variable of the machine running the tests, plus `env`. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SCIM_LAB_')));
  return { ...base, ...env };
}

export function cli(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env) });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const run = { child, stdout: () => out, stderr: () => err, exited };
  runs.push(run);
  return run;
}

/** Waits for the first complete stdout line (the `--json` line); fails with stderr if the process exits first. */
export function jsonLine<T = { code42: Code42Line }>(run: Run): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const newline = run.stdout().indexOf('\n');
      if (newline < 0) return;
      run.child.stdout!.off('data', check);
      resolve(JSON.parse(run.stdout().slice(0, newline)));
    };
    run.child.stdout!.on('data', check);
    check();
    void run.exited.then(({ code }) =>
      reject(new Error(`scim-lab exited (${code}) before its --json line; stderr:\n${run.stderr()}`)),
    );
  });
}

/** Runs a command that exits by itself (help, version, usage errors). */
export async function finished(args: string[], env: Record<string, string> = {}) {
  const run = cli(args, env);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export async function stop(run: Run) {
  run.child.kill('SIGTERM');
  return run.exited;
}

type Call = { method?: string; body?: unknown; token: string };

/** One HTTP call with a bearer token and a SCIM JSON body; the answer's status, headers and parsed body. */
export async function call(url: string, { method = 'GET', body, token }: Call) {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'Content-Type': 'application/scim+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
