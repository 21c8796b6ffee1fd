import { createClock } from './clock';
import type { Clock } from './types';

let clock: Clock;
afterEach(() => {
  clock?.dispose();
  jest.useRealTimers();
});

describe('docs/admin-api.md virtual clock: real time plus an offset', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z') });
    clock = createClock();
  });

  it('reads real time while the offset is 0', () => {
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(clock.offsetMs()).toBe(0);
  });

  it('moves now() forward by what advance() was given', () => {
    clock.advance(90_000);
    expect(clock.offsetMs()).toBe(90_000);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:01:30.000Z');
    expect(clock.nowMs()).toBe(Date.parse('2025-01-01T00:01:30.000Z'));
  });

  it('keeps following real time after an advance', () => {
    clock.advance(1_000);
    jest.advanceTimersByTime(500);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:01.500Z');
  });

  it('refuses a negative, NaN or infinite advance, naming ms', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => clock.advance(bad)).toThrow(/'ms'/);
    }
    expect(clock.offsetMs()).toBe(0);
  });

  it('goes back to real time and drops pending timers on reset()', () => {
    const fired: string[] = [];
    clock.advance(5_000);
    clock.at(clock.nowMs() + 1_000, () => fired.push('late'));
    clock.reset();
    expect(clock.offsetMs()).toBe(0);
    expect(clock.pending()).toBe(0);
    clock.advance(10_000);
    jest.advanceTimersByTime(10_000);
    expect(fired).toEqual([]);
  });
});

describe('docs/admin-api.md virtual clock: advancing fires what became due', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z') });
    clock = createClock();
  });

  it('fires every due timer in due order, whatever order they were scheduled in', () => {
    const fired: number[] = [];
    const t0 = clock.nowMs();
    for (const offset of [300, 100, 200]) clock.at(t0 + offset, () => fired.push(offset));
    clock.advance(300);
    expect(fired).toEqual([100, 200, 300]);
    expect(clock.pending()).toBe(0);
  });

  it('fires timers due at the same moment in the order they were scheduled', () => {
    const fired: string[] = [];
    const due = clock.nowMs() + 50;
    clock.at(due, () => fired.push('first'));
    clock.at(due, () => fired.push('second'));
    clock.advance(50);
    expect(fired).toEqual(['first', 'second']);
  });

  it('does not fire a timer before it is due', () => {
    const fired: string[] = [];
    clock.at(clock.nowMs() + 100, () => fired.push('due at 100'));
    clock.advance(99);
    expect(fired).toEqual([]);
    expect(clock.pending()).toBe(1);
    clock.advance(1);
    expect(fired).toEqual(['due at 100']);
  });

  it('also fires a timer that a firing timer scheduled when it is already due', () => {
    const fired: string[] = [];
    const t0 = clock.nowMs();
    clock.at(t0 + 10, () => {
      fired.push('parent');
      clock.at(t0 + 20, () => fired.push('child'));
      clock.at(t0 + 500, () => fired.push('not yet'));
    });
    clock.at(t0 + 30, () => fired.push('sibling'));
    clock.advance(100);
    expect(fired).toEqual(['parent', 'child', 'sibling']);
    expect(clock.pending()).toBe(1);
  });

  it('does not fire a cancelled timer', () => {
    const fired: string[] = [];
    const handle = clock.at(clock.nowMs() + 10, () => fired.push('cancelled'));
    clock.at(clock.nowMs() + 20, () => fired.push('kept'));
    clock.cancel(handle);
    clock.advance(100);
    expect(fired).toEqual(['kept']);
  });

  it('runs the other due timers when one throws, then rethrows the first error', () => {
    const fired: string[] = [];
    const t0 = clock.nowMs();
    clock.at(t0 + 1, () => {
      throw new Error('boom');
    });
    clock.at(t0 + 2, () => fired.push('after the failure'));
    expect(() => clock.advance(10)).toThrow('boom');
    expect(fired).toEqual(['after the failure']);
  });
});

describe('docs/admin-api.md virtual clock: timers also fire as real time passes', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z') });
    clock = createClock();
  });

  it('fires a timer when real time reaches it, not before', () => {
    const fired: string[] = [];
    clock.at(clock.nowMs() + 1_000, () => fired.push('due'));
    jest.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['due']);
  });

  it('counts real time from the virtual now, so an advance brings the real timer forward', () => {
    const fired: string[] = [];
    clock.at(clock.nowMs() + 10_000, () => fired.push('due'));
    clock.advance(9_000);
    jest.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['due']);
  });

  it('waits correctly for a timer further away than setTimeout can hold (2^31-1 ms)', () => {
    const fired: string[] = [];
    const thirtyDays = 30 * 24 * 3_600_000;
    clock.at(clock.nowMs() + thirtyDays, () => fired.push('a month later'));
    jest.advanceTimersByTime(thirtyDays - 1);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['a month later']);
  });

  it('fires a timer that is already due on the next turn rather than synchronously', () => {
    const fired: string[] = [];
    clock.at(clock.nowMs() - 5, () => fired.push('overdue'));
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['overdue']);
  });

  it('stops real timers on dispose()', () => {
    const fired: string[] = [];
    clock.at(clock.nowMs() + 100, () => fired.push('due'));
    clock.dispose();
    jest.advanceTimersByTime(1_000);
    expect(fired).toEqual([]);
  });
});

describe('the virtual clock with real timers', () => {
  it('does not keep the process alive for a pending timer (unref)', () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    try {
      clock = createClock();
      clock.at(clock.nowMs() + 60_000, () => undefined);
      const armed = setTimeoutSpy.mock.results.map((result) => result.value as NodeJS.Timeout);
      expect(armed.length).toBeGreaterThan(0);
      expect(armed.every((timer) => !timer.hasRef())).toBe(true);
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });
});
