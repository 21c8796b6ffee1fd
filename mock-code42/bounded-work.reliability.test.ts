import { monitorEventLoopDelay } from 'node:perf_hooks';
import { recordSummary } from '../lab/test-support/summary';
import { rawRequest } from '../lab/test-support/raw-http';
import type { Listening } from '../lab/types';
import { URN } from '../scim/urns';
import { DEFAULT_LIMITS } from '../scim/validate';
import { createCode42, type Code42 } from './index';

// Issue 18, bounded work per request: one PATCH of 16,000 operations stalled the whole mock for 12 s (its cost grew
// with the square of the operation count, and the 100-value limit on `emails` was checked only at the end).
// The mock runs in this process, so the event-loop delay measured here is the delay every other client would see.
// That delay is a wall-clock figure: it is measured and printed in the reliability summary, never asserted (on an idle
// machine 10-80 ms, on a loaded 2-core CI runner it measured 746 ms for the same work). What the tests assert is the
// work itself, which does not depend on the machine: the request is refused by its operation count before any
// operation runs, or at the operation that crosses the 100-value limit, and nothing is applied.

const TOKEN = 'bounded-scim-token-0001';
const headers: [string, string][] = [
  ['Authorization', `Bearer ${TOKEN}`],
  ['Content-Type', 'application/scim+json'],
];

let c42: Code42;
let server: Listening;
let userId: string;
beforeEach(async () => {
  c42 = createCode42({ token: TOKEN });
  server = await c42.listen({ host: '127.0.0.1', port: 0, closeGraceMs: 200 });
  const user = c42.store.create(
    { schemas: [URN.User], userName: 'bounded@example.com', emails: [{ value: 'bounded@example.com', type: 'work' }] },
    { location: (id) => id },
  );
  userId = user.id as string;
  // One small PATCH first, so that what is measured is the request's work, not the first compilation of the code.
  await rawRequest(server.port, { method: 'PATCH', target: `/scim/v2/Users/${userId}`, headers, body: patchBody([]) });
});
afterEach(async () => {
  await c42.close();
});

// 16,000 of these make about 997 KB, just under the default body limit of 1 MB.
const addEmail = (i: number) => ({ op: 'add', path: 'emails', value: [{ value: `e${i}@x.io` }] });
const patchBody = (operations: unknown[]) => JSON.stringify({ schemas: [URN.PatchOp], Operations: operations });

/** Sends `body` as a PATCH of the seeded user and, while it is in flight, a GET of the same user. */
async function patchWithConcurrentGet(body: string) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const patching = rawRequest(server.port, { method: 'PATCH', target: `/scim/v2/Users/${userId}`, headers, body });
  const getting = rawRequest(server.port, { method: 'GET', target: `/scim/v2/Users/${userId}`, headers });
  const [patch, get] = await Promise.all([patching, getting]);
  histogram.disable();
  const maxDelayMs = histogram.max / 1e6;
  const operations = (JSON.parse(body) as { Operations?: unknown[] }).Operations?.length ?? 0;
  recordSummary(
    `bounded PATCH of ${operations} operations (${Buffer.byteLength(body)} bytes): answered ${patch.status}, longest event-loop stall ${maxDelayMs.toFixed(1)} ms`,
  );
  return { patch, get };
}

describe('issue 18 bounded work: a PATCH is limited before it is applied', () => {
  it('refuses 16,000 add-emails operations with 400 invalidValue naming the limit, and changes nothing', async () => {
    const operations = Array.from({ length: 16_000 }, (_, i) => addEmail(i));
    const { patch, get } = await patchWithConcurrentGet(patchBody(operations));
    expect(patch.status).toBe(400);
    const error = JSON.parse(patch.body) as { scimType: string; detail: string };
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain(`at most ${DEFAULT_LIMITS.maxOperations} are allowed`);
    expect(get.status).toBe(200);
    expect(c42.store.get(userId).emails).toEqual([{ value: 'bounded@example.com', type: 'work' }]);
  });

  it('stops at the operation that takes emails past 100 values, not after applying them all', async () => {
    const operations = Array.from({ length: 1_000 }, (_, i) => addEmail(i));
    const { patch, get } = await patchWithConcurrentGet(patchBody(operations));
    expect(patch.status).toBe(400);
    const error = JSON.parse(patch.body) as { scimType: string; detail: string };
    expect(error.scimType).toBe('invalidValue');
    // The seeded email plus operations 1 to 99 make 100; operation 100 would make 101.
    expect(error.detail).toBe("operation 100: 'emails' would have 101 values; at most 100 are allowed");
    expect(get.status).toBe(200);
    expect(c42.store.get(userId).emails).toEqual([{ value: 'bounded@example.com', type: 'work' }]);
  });

  it('applies the largest PATCH the limits allow (1,000 operations over 100 emails) and answers a GET sent alongside it', async () => {
    // Operations 1-99 add new emails, the rest add ones already present: each must be compared with all 100.
    const operations = Array.from({ length: DEFAULT_LIMITS.maxOperations }, (_, i) => addEmail(i % 99));
    const { patch, get } = await patchWithConcurrentGet(patchBody(operations));
    expect(patch.status).toBe(200);
    expect((JSON.parse(patch.body) as { emails: unknown[] }).emails).toHaveLength(100);
    expect(get.status).toBe(200);
  });

  it.each([5_000, 100_000])(
    'answers a PATCH value nested %i levels deep with 400 invalidValue, never 500',
    async (depth) => {
      const value = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const body = `{"schemas":["${URN.PatchOp}"],"Operations":[{"op":"add","path":"name","value":${value}}]}`;
      const res = await rawRequest(server.port, { method: 'PATCH', target: `/scim/v2/Users/${userId}`, headers, body });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ scimType: 'invalidValue' });
      expect((JSON.parse(res.body) as { detail: string }).detail).toMatch(/^operation 1: .* is nested deeper than/);
    },
  );
});
