import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from './test-support';
import { startIdleCompaction, type IdleCompaction } from './idle-compaction';

// The idle compaction behind `scim-lab code42`, `pingone` and `up` (docs/performance.md): once the heap has grown and
// the event loop is idle, it compacts, and it leaves the committed heap no larger than it found it. The first case
// runs in a fresh process, whose heap has no slack left by other tests that the growth could hide in.

beforeAll(() => ensureBuilt(), 180_000);

let running: IdleCompaction | undefined;
afterEach(() => running?.stop());

const FRESH_PROCESS = `
const { startIdleCompaction } = require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'idle-compaction.js'))});
let kept;
// The compaction's timer does not hold the process: this does, until it has run.
const hold = setTimeout(() => {}, 20000);
const running = startIdleCompaction({
  checkEveryMs: 20,
  growthBytes: 8 * 1024 * 1024,
  onCompaction(before, after) {
    running.stop();
    clearTimeout(hold);
    console.log(JSON.stringify({ before, after, kept: kept.length }));
  },
});
// About 40 MB of small arrays, kept alive so that V8 cannot shrink the heap back before the check sees it grown.
kept = Array.from({ length: 40000 }, (_, i) => Array.from({ length: 128 }, (_, j) => i + j));
`;

/** A fresh process that grows its heap and compacts with a counting collector: how the collections were spread. */
const COUNTED = (busyAfterFirst: boolean) => `
const { startIdleCompaction } = require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'idle-compaction.js'))});
let kept;
let calls = 0;
let sameTask = 0;
let inTask = false;
const hold = setTimeout(() => {}, 20000);
const running = startIdleCompaction({
  checkEveryMs: 20,
  growthBytes: 8 * 1024 * 1024,
  collect() {
    calls++;
    if (inTask) sameTask++;
    inTask = true;
    setImmediate(() => (inTask = false));
    gc();
    // A client arriving after the first collection: the loop is busy for five check periods.
    if (${busyAfterFirst} && calls === 1) setTimeout(() => { const end = Date.now() + 100; while (Date.now() < end); });
  },
  onCompaction() {
    running.stop();
    clearTimeout(hold);
    console.log(JSON.stringify({ calls, sameTask, kept: kept.length }));
  },
});
kept = Array.from({ length: 40000 }, (_, i) => Array.from({ length: 128 }, (_, j) => i + j));
`;

async function counted(busyAfterFirst: boolean) {
  const script = COUNTED(busyAfterFirst);
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', script], { timeout: 25_000 });
  return JSON.parse(stdout) as { calls: number; sameTask: number; kept: number };
}

describe('idle compaction', () => {
  it('compacts once the heap has grown and the event loop is idle', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', FRESH_PROCESS], { timeout: 25_000 });
    const { before, after, kept } = JSON.parse(stdout) as { before: number; after: number; kept: number };
    expect(kept).toBe(40_000);
    expect(after).toBeLessThanOrEqual(before);
  });

  it('runs one full collection per check period, never several in a row, and at most eight', async () => {
    const { calls, sameTask, kept } = await counted(false);
    expect(kept).toBe(40_000);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(8);
    expect(sameTask).toBe(0);
  });

  it('abandons a compaction as soon as the process is busy again', async () => {
    const { calls } = await counted(true);
    expect(calls).toBe(1);
  });

  it('does not compact a heap that has not grown', async () => {
    const compactions: number[] = [];
    running = startIdleCompaction({
      checkEveryMs: 10,
      growthBytes: 1024 ** 3,
      onCompaction: (b) => compactions.push(b),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(compactions).toEqual([]);
  });
});
