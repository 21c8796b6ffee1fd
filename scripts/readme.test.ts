// Issue 12 §3: every command block of README.md runs as written, and its output is compared with what the README
// shows. The README marks how each block is run with an HTML comment on the line before it:
//
//   (none)                           a `sh` block: run by bash, in order, from the repository root; variables it sets
//                                    carry over to later blocks; a fenced block right after it (json, text or none)
//                                    is its expected output
//   <!-- readme-test: background --> a server: started in the background, its first stdout lines compared with the
//                                    block after it; it runs until the next `## ` section starts (Ctrl-C by hand)
//   <!-- readme-test: ci -->         run by .ci/run: each of its commands is a line of .ci/run (checked here)
//   <!-- readme-test: by SCRIPT -->  run by that script in CI (containers, a packed install): checked to exist and
//                                    to say where it runs the block, in a comment "README.md (<section>)"
//
// Compared output: UUIDs, ISO timestamps and ETags are normalised on both sides, and `…` in the README stands for
// any text. No other block kinds exist: a `sh` or `console` block without a way to run it fails this test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, ensureBuilt, ROOT } from '../cli/test-support';

interface Block {
  line: number;
  lang: string;
  body: string;
  mark?: string;
  section: string;
  output?: string;
}

const RUNNABLE = new Set(['sh', 'bash', 'console', 'shell']);

/** The fenced blocks of a markdown text, each with the marker comment before it and the output block after it. */
export function readBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) section = lines[i].slice(3);
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(indent));
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const mark = /^\s*<!-- readme-test: (.+?) -->\s*$/.exec(lines[before] ?? '')?.[1];
    blocks.push({ line: start + 1, lang: open[2], body: body.join('\n'), mark, section });
  }
  // A block right after a runnable block, with only blank lines between, is its output.
  const result: Block[] = [];
  for (let k = 0; k < blocks.length; k++) {
    const block = blocks[k];
    const next = blocks[k + 1];
    if (RUNNABLE.has(block.lang) && next && !RUNNABLE.has(next.lang) && next.mark === undefined) {
      const between = lines.slice(block.line + block.body.split('\n').length, next.line - 1);
      if (between.every((l) => /^\s*(```)?\s*$/.test(l))) {
        result.push({ ...block, output: next.body });
        k++;
        continue;
      }
    }
    result.push(block);
  }
  return result;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
const ETAG = /W\/\\?"[^"\\]+\\?"/g;

function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UUID, '<uuid>').replace(TIME, '<time>').replace(ETAG, '<etag>').trimEnd();
}

/** The README's output as a pattern: normalised, `…` matching any text. */
export function outputMatches(expected: string, actual: string): boolean {
  const pattern = normalise(expected)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(normalise(actual));
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const CI = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
const blocks = readBlocks(README).filter((b) => RUNNABLE.has(b.lang));

let work: string;
let stateFile: string;
const background: ChildProcess[] = [];
let backgroundSection = '';

/** Runs a block with the variables earlier blocks set; resolves with its combined output. */
function runBlock(body: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const script = `set -a; [ -f "$README_STATE" ] && . "$README_STATE"; set -eo pipefail\n${body}\nexport -p > "$README_STATE"`;
    const child = spawn('bash', ['-c', script], { cwd: ROOT, env: cleanEnv({ README_STATE: stateFile }) });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Starts a server block; resolves with its stdout once it has printed as many lines as `lines`. */
function startBackground(body: string, lines: number): Promise<string> {
  const script = `set -a; [ -f "$README_STATE" ] && . "$README_STATE"; set +a\nexec ${body.trim()}`;
  const child = spawn('bash', ['-c', script], {
    cwd: ROOT,
    env: cleanEnv({ README_STATE: stateFile }),
    detached: true,
  });
  background.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (c: Buffer) => {
      output += c.toString();
      if (output.split('\n').length > lines) resolve(output);
    };
    child.stdout!.on('data', onData);
    child.on('close', (code) => reject(new Error(`the server exited (${code}) after printing:\n${output}`)));
  });
}

async function stopBackground(): Promise<void> {
  for (const child of background.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const closed = new Promise((resolve) => child.once('close', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await closed;
  }
}

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'scim-lab-readme-'));
  stateFile = join(work, 'state.sh');
}, 180_000);

afterAll(async () => {
  await stopBackground();
  rmSync(work, { recursive: true, force: true });
});

describe('README.md runs as written', () => {
  it('marks every command block with a way to run it, and shows no prompt-style blocks', () => {
    expect(blocks.length).toBeGreaterThan(5);
    const unknown = blocks.filter((b) => b.mark !== undefined && !/^(background|ci|by \S+)$/.test(b.mark));
    expect(unknown.map((b) => `line ${b.line}: ${b.mark}`)).toEqual([]);
    expect(blocks.filter((b) => b.lang === 'console').map((b) => `line ${b.line}`)).toEqual([]);
  });

  for (const block of blocks) {
    const first = block.body.split('\n').find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
    const name = `line ${block.line} (${block.section}): ${first.trim().slice(0, 70)}`;

    if (block.mark === 'ci') {
      it(`${name} is run by .ci/run`, () => {
        const ciLines = new Set(CI.split('\n').map((l) => l.trim()));
        const missing = block.body.split('\n').filter((l) => l.trim() && !ciLines.has(l.trim()));
        expect(missing).toEqual([]);
      });
    } else if (block.mark?.startsWith('by ')) {
      const script = block.mark.slice(3);
      it(`${name} is run by ${script}`, () => {
        expect(existsSync(join(ROOT, script))).toBe(true);
        const says = readFileSync(join(ROOT, script), 'utf8').includes(`README.md (${block.section})`);
        expect(says ? 'names the section' : `${script} has no comment naming "README.md (${block.section})"`).toBe(
          'names the section',
        );
      });
    } else if (block.mark === 'background') {
      it(`${name} starts and prints what the README shows`, async () => {
        if (backgroundSection !== block.section) await stopBackground();
        backgroundSection = block.section;
        const expected = block.output ?? '';
        const output = await startBackground(block.body, expected.split('\n').length);
        expect(outputMatches(expected, output) ? expected : output).toBe(expected);
      }, 60_000);
    } else {
      it(`${name} exits 0${block.output !== undefined ? ' and prints what the README shows' : ''}`, async () => {
        if (backgroundSection && backgroundSection !== block.section) await stopBackground();
        const { code, output } = await runBlock(block.body);
        expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
        if (block.output !== undefined)
          expect(outputMatches(block.output, output) ? block.output : output).toBe(block.output);
      }, 300_000);
    }
  }
});
