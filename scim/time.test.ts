import { isoClock } from './time';

describe('isoClock', () => {
  it('answers the ISO 8601 text of the current time, and follows the clock when it moves', () => {
    let ms = Date.parse('2026-01-02T03:04:05.006Z');
    const iso = isoClock(() => new Date(ms));
    expect(iso()).toBe('2026-01-02T03:04:05.006Z');
    expect(iso()).toBe('2026-01-02T03:04:05.006Z');
    ms += 1;
    expect(iso()).toBe('2026-01-02T03:04:05.007Z');
    ms -= 60_000;
    expect(iso()).toBe('2026-01-02T03:03:05.007Z');
  });
});
