import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Compacts the V8 heap once the process is idle after its heap grew: a mock filled with 100,000 users through POST
 * held a committed heap of over three times its live data 2 s after the load, and a plain full collection kept most of
 * it (fragmented pages; bench/memory-breakdown.js, docs/performance.md). V8's own memory reducer waits for seconds of
 * idleness first (`--gc-memory-reducer-start-delay-ms`, 8 s by default). Full collections while V8 optimizes for size
 * evacuate the fragmented pages; they pause the process, so they run only when the event loop has been idle for a
 * whole check period.
 */
export interface IdleCompactionOptions {
  /** How often the event loop and the heap are looked at. Default 250 ms. */
  checkEveryMs?: number;
  /**
   * The heap must have grown by at least this much since the last compaction (or the start), and by an eighth of it.
   * Default 32 MiB.
   */
  growthBytes?: number;
  /** The event loop counts as idle below this utilisation over one check period. Default 0.05. */
  idleBelow?: number;
  /** Whether V8 already optimizes for size for good (`--low-memory`): the flag is then left set. */
  lowMemory?: boolean;
  /** The full collection to run. Default: V8's `gc`, exposed without a command-line flag. */
  collect?: () => void;
  /** Told after each compaction, with the heap committed before and after. */
  onCompaction?: (beforeBytes: number, afterBytes: number) => void;
}

export interface IdleCompaction {
  stop(): void;
}

/** `gc` without `--expose-gc` on the command line: the flag is set, and a new context sees the function. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const MAX_ROUNDS = 8;
const MIN_GAIN_BYTES = 1024 * 1024;
/** Growth that triggers a compaction, as a share of the heap after the last one (or at the start). */
const GROWTH_SHARE = 1 / 8;

/**
 * One full collection per check period, never a loop of them: at a million users one collection holds the process for
 * about a second, and eight in a row held it for longer than a load test's request timeout (`npm run bench:million`).
 * A compaction goes on over the next periods while each collection still frees a page's worth or more, at most
 * MAX_ROUNDS of them, and is abandoned as soon as the process is busy again. The growth that starts one is 32 MiB or
 * an eighth of the heap, whichever is larger, so that a large heap is not compacted after every few thousand writes.
 */
export function startIdleCompaction(options: IdleCompactionOptions = {}): IdleCompaction {
  const minGrowth = options.growthBytes ?? 32 * 1024 * 1024;
  const idleBelow = options.idleBelow ?? 0.05;
  const gc = options.collect ?? exposeGc();
  let baseline = process.memoryUsage().heapTotal;
  let last = performance.eventLoopUtilization();
  let running: { before: number; committed: number; rounds: number } | undefined;

  const finish = () => {
    if (!running) return;
    const { before } = running;
    running = undefined;
    if (!options.lowMemory) setFlagsFromString('--no-optimize-for-size');
    baseline = process.memoryUsage().heapTotal;
    options.onCompaction?.(before, baseline);
  };
  /** One collection of a compaction, started if needed. */
  const collectOnce = () => {
    if (!running) {
      setFlagsFromString('--optimize-for-size');
      const heapTotal = process.memoryUsage().heapTotal;
      running = { before: heapTotal, committed: heapTotal, rounds: 0 };
    }
    gc();
    running.rounds++;
    const now = process.memoryUsage().heapTotal;
    const gained = running.committed - now;
    running.committed = now;
    if (running.rounds >= MAX_ROUNDS || (running.rounds > 1 && gained < MIN_GAIN_BYTES)) finish();
  };

  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, last).utilization < idleBelow;
    const heapTotal = process.memoryUsage().heapTotal;
    if (running) {
      if (idle) collectOnce();
      else finish();
    } else if (heapTotal < baseline) {
      baseline = heapTotal; // V8 shrank it on its own
    } else if (idle && heapTotal - baseline >= Math.max(minGrowth, baseline * GROWTH_SHARE)) {
      collectOnce();
    }
    // The collection's own time is not the clients': the next period is measured from here.
    last = performance.eventLoopUtilization();
  }, options.checkEveryMs ?? 250);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      finish();
    },
  };
}
