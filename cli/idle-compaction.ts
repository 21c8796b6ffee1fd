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
  /** The heap must have grown by this much since the last compaction (or the start). Default 32 MiB. */
  growthBytes?: number;
  /** The event loop counts as idle below this utilisation over one check period. Default 0.05. */
  idleBelow?: number;
  /** Whether V8 already optimizes for size for good (`--low-memory`): the flag is then left set. */
  lowMemory?: boolean;
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

export function startIdleCompaction(options: IdleCompactionOptions = {}): IdleCompaction {
  const growth = options.growthBytes ?? 32 * 1024 * 1024;
  const idleBelow = options.idleBelow ?? 0.05;
  const gc = exposeGc();
  let baseline = process.memoryUsage().heapTotal;
  let last = performance.eventLoopUtilization();

  const compact = () => {
    const before = process.memoryUsage().heapTotal;
    setFlagsFromString('--optimize-for-size');
    try {
      // Each collection evacuates a bounded number of fragmented pages: collect again while it still frees a page's
      // worth or more, at most MAX_ROUNDS times.
      let committed = before;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        gc();
        const now = process.memoryUsage().heapTotal;
        if (committed - now < MIN_GAIN_BYTES && round > 0) break;
        committed = now;
      }
    } finally {
      if (!options.lowMemory) setFlagsFromString('--no-optimize-for-size');
    }
    baseline = process.memoryUsage().heapTotal;
    options.onCompaction?.(before, baseline);
  };

  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, last).utilization < idleBelow;
    last = now;
    const heapTotal = process.memoryUsage().heapTotal;
    if (heapTotal < baseline)
      baseline = heapTotal; // V8 shrank it on its own
    else if (idle && heapTotal - baseline >= growth) compact();
  }, options.checkEveryMs ?? 250);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
