// The mocks the provisioner and flow suites start per requirement (issue 6 §2, §3): each on a free local port, and
// stopped when its requirement ends, so that every requirement starts from fresh mocks.
import { createCode42 } from '../mock-code42';
import type { ProfileName } from '../fixtures/profiles';
import { createPingOne } from '../mock-pingone';

/**
 * [INF] retries of an embedded mock PingOne, kept short: a failing target does not slow the run, and the retry
 * requirements run in well under a second.
 */
export const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 100, timeoutMs: 5000 };

export function embeddedMocks() {
  const open = new Set<() => Promise<void>>();
  const closing = new Set<Promise<void>>();

  /** Starts the mocks of the requirement that `signal` belongs to. */
  function forRequirement(signal: AbortSignal) {
    const stops: (() => Promise<void>)[] = [];
    const stop = async () => {
      open.delete(stop);
      await Promise.allSettled(stops.map((s) => s()));
    };
    open.add(stop);
    // Nothing of a requirement outlives it: its mocks stop when the runner ends it (its signal aborts).
    signal.addEventListener(
      'abort',
      () => {
        const done = stop();
        closing.add(done);
        void done.finally(() => closing.delete(done));
      },
      { once: true },
    );
    return {
      async code42() {
        const code42 = createCode42();
        stops.push(() => code42.close());
        await code42.listen({ port: 0, host: '127.0.0.1' });
        return code42.describe();
      },
      /**
       * A mock PingOne configured as in the seed document (steps 1–9) to provision into `target`, its provisioner
       * playing `profile` (docs/profiles.md; PingOne's by default).
       */
      async pingone(
        target: { url: string; token: string; ca?: string; insecure?: boolean },
        deviations?: string[],
        profile?: ProfileName,
      ) {
        const { ca, insecure, ...where } = target;
        const pingone = createPingOne({ target: where, retry: FAST_RETRY, deviations, ca, insecure, profile });
        stops.push(() => pingone.close());
        await pingone.listen({ port: 0, host: '127.0.0.1' });
        return pingone.describe();
      },
    };
  }

  return {
    forRequirement,
    /** Stops the mocks of requirements still running. */
    async close() {
      await Promise.allSettled([...[...open].map((stop) => stop()), ...closing]);
    },
  };
}
