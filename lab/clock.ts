import type { Clock } from './types';

// setTimeout stores its delay as a signed 32-bit integer; longer delays fire at once (Node prints a
// TimeoutOverflowWarning). Long waits are therefore armed in steps of at most this much.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface Timer {
  handle: number;
  dueMs: number;
  fn: () => void;
}

/**
 * The virtual clock (docs/admin-api.md): real time plus an offset. Timers fire when the virtual time
 * reaches them, either because real time passed (one unref'd `setTimeout` for the earliest timer) or
 * because `advance()` moved the offset. Due timers fire in due order, ties in scheduling order, and a
 * timer scheduled by a firing timer fires in the same pass when it is already due.
 *
 * A callback that throws does not stop the others: the first error is rethrown once every due timer has
 * run (from `advance()` to its caller; from a real timer as an uncaught exception, as `setTimeout` would).
 */
export function createClock(): Clock {
  let offset = 0;
  let nextHandle = 1;
  let disposed = false;
  let firing = false;
  let realTimer: NodeJS.Timeout | undefined;
  const timers = new Map<number, Timer>();

  const nowMs = () => Date.now() + offset;

  function earliest(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of timers.values()) {
      // Map iteration follows insertion order, i.e. handle order, so `<` keeps ties in scheduling order.
      if (!first || timer.dueMs < first.dueMs) first = timer;
    }
    return first;
  }

  function arm(): void {
    if (realTimer) clearTimeout(realTimer);
    realTimer = undefined;
    if (disposed || firing) return;
    const first = earliest();
    if (!first) return;
    const delay = Math.min(Math.max(first.dueMs - nowMs(), 0), MAX_TIMER_DELAY_MS);
    realTimer = setTimeout(fireDue, delay);
    realTimer.unref();
  }

  function fireDue(): void {
    if (firing) return; // a callback called advance(): the outer loop picks up whatever became due
    firing = true;
    let failure: { error: unknown } | undefined;
    try {
      for (let timer = earliest(); timer && timer.dueMs <= nowMs(); timer = earliest()) {
        timers.delete(timer.handle);
        try {
          timer.fn();
        } catch (error) {
          failure ??= { error };
        }
      }
    } finally {
      firing = false;
      arm();
    }
    if (failure) throw failure.error;
  }

  return {
    now: () => new Date(nowMs()),
    nowMs,
    offsetMs: () => offset,
    advance(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`clock: 'ms' must be a non-negative finite number, got ${String(ms)}`);
      }
      offset += ms;
      fireDue();
    },
    at(dueMs, fn) {
      if (typeof dueMs !== 'number' || Number.isNaN(dueMs)) {
        throw new RangeError(`clock: 'dueMs' must be a number, got ${String(dueMs)}`);
      }
      const handle = nextHandle++;
      timers.set(handle, { handle, dueMs, fn });
      arm();
      return handle;
    },
    cancel(handle) {
      if (timers.delete(handle)) arm();
    },
    pending: () => timers.size,
    reset() {
      offset = 0;
      timers.clear();
      arm();
    },
    dispose() {
      disposed = true;
      timers.clear();
      arm();
    },
  };
}
