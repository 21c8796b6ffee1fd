import { FUZZ_TIMEOUT_MS, runs, SOAK } from '../lab/test-support/hostile';
import type { FaultRule } from '../lab/types';
import { inParallel, startCode42Lab, type WiredLab } from './test-support/code42-lab';

// Issue 8, faults: PingOne provisions into a mock Code42 that, at random, answers 429 (with and without a small
// Retry-After), 503, holds a request beyond the provisioner's client timeout, resets the connection or closes it
// without an answer. While the faults last, what PingOne's sync status says must be true: a user it reports as
// synced is at Code42 with its latest attributes. After healing, PingOne-like behaviour [INF, mock-pingone README]:
// the provisioner does not go back to failed users on its own; the admin's Full Resync does. After it, every user is at
// Code42 exactly once with its latest attributes, and nothing is reported failed.

const USERS = runs(40);
const DISABLED = Math.floor(USERS / 4);

/** About one request in five faulted, each kind as likely; the first rule that matches applies. */
const FAULTS: FaultRule[] = [
  { match: { path: '/Users*' }, action: 'status', status: 429, retryAfter: 1, percent: 2 },
  { match: { path: '/Users*' }, action: 'status', status: 429, percent: 4 },
  { match: { path: '/Users*' }, action: 'status', status: 503, percent: 4 },
  // Beyond the provisioner's 250 ms timeout: Code42 still applies the request once the delay is over.
  { match: { path: '/Users*' }, action: 'latency', latencyMs: [300, 400], percent: 3 },
  { match: { path: '/Users*' }, action: 'reset', percent: 3 },
  { match: { path: '/Users*' }, action: 'empty', percent: 3 },
];

let lab: WiredLab;
afterEach(async () => {
  await lab?.close();
});

interface PingOneUser {
  id: string;
  username: string;
  title: string;
  enabled: boolean;
}

/** What Code42 holds for a PingOne user, and whether that is the user's latest state. */
function atCode42(u: PingOneUser) {
  const found = lab.c42.store.query({ filter: `userName eq ${JSON.stringify(u.username)}` }).resources;
  const current = found.length === 1 && found[0].title === u.title && found[0].active === u.enabled;
  return { copies: found.length, current };
}

describe('issue 8 faults soak: PingOne into a misbehaving Code42', () => {
  it(
    'reports only true successes while Code42 misbehaves, and converges after healing and a Full Resync',
    async () => {
      lab = await startCode42Lab({
        p1: { retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, timeoutMs: 250, maxRetryAfterMs: 1500 } },
      });
      for (const rule of FAULTS) lab.c42.faults.add(rule);

      const users: PingOneUser[] = [];
      await inParallel(USERS, 8, async (i) => {
        const username = `soak.${i}@example.com`;
        const id = await lab.createUser({ username, title: 'created', name: { given: 'S', family: `${i}` } });
        users[i] = { id, username, title: 'created', enabled: true };
      });
      // Two rounds of changes to every user, and some users disabled, while the faults go on.
      for (const round of [1, 2]) {
        await inParallel(USERS, 8, async (i) => {
          users[i].title = `changed ${round}`;
          expect((await lab.api('PATCH', `/users/${users[i].id}`, { title: users[i].title })).status).toBe(200);
        });
      }
      await inParallel(DISABLED, 8, async (i) => {
        users[i].enabled = false;
        expect((await lab.api('PUT', `/users/${users[i].id}/enabled`, { enabled: false })).status).toBe(200);
      });
      await lab.idle(SOAK ? 1_800_000 : 120_000);
      expect(lab.c42.faults.list().reduce((n, f) => n + f.hits, 0)).toBeGreaterThan(0);
      // One change that fails for good: all four attempts of its PUT are refused (this rule first, then the others).
      lab.c42.faults.clear();
      lab.c42.faults.add({ match: { method: 'PUT', path: '/Users/*' }, action: 'status', status: 503, times: 4 });
      for (const rule of FAULTS) lab.c42.faults.add(rule);
      const last = users[USERS - 1];
      last.title = 'never delivered';
      expect((await lab.api('PATCH', `/users/${last.id}`, { title: last.title })).status).toBe(200);
      await lab.idle(SOAK ? 1_800_000 : 120_000);

      // While faulted: a SUCCESS is never a lie. A user that is missing, duplicated or stale is reported FAILED.
      const records = new Map<string, string>();
      for (const u of users) {
        const sync = await lab.api('GET', `/users/${u.id}/syncedRules/${lab.ids.ruleId}`);
        expect(sync.status).toBe(200);
        records.set(u.id, sync.body.status!);
        const there = atCode42(u);
        if (there.copies !== 1 || !there.current)
          expect({ user: u.username, status: sync.body.status }).toEqual({
            user: u.username,
            status: 'FAILED',
          });
      }
      const failedForGood = await lab.api('GET', `/users/${last.id}/syncedRules/${lab.ids.ruleId}`);
      expect(failedForGood.body).toMatchObject({ status: 'FAILED', details: expect.stringContaining('503') });
      const summary = (await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}/syncStatus`)).body;
      expect(summary.users!.failed).toBe([...records.values()].filter((s) => s === 'FAILED').length);
      expect(summary.users!.impacted).toBe(USERS);

      // Healing: the faults stop; an admin runs a Full Resync.
      lab.c42.faults.clear();
      const resync = await lab.api('POST', `/propagation/rules/${lab.ids.ruleId}/resync`);
      expect(resync.status).toBe(202);
      expect(resync.body.queued).toBe(USERS);
      await lab.idle(SOAK ? 1_800_000 : 120_000);

      for (const u of users)
        expect({ user: u.username, ...atCode42(u) }).toEqual({ user: u.username, copies: 1, current: true });
      expect(lab.c42.store.size()).toBe(USERS);
      const healed = (await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}/syncStatus`)).body;
      expect(healed.users).toEqual({ impacted: USERS, success: USERS, unsynced: 0, partiallySynced: 0, failed: 0 });
      expect(healed.status).toBe('ACTIVE');
      // Code42's side: disabled users are blocked [DOC S7], the others active.
      const statuses = new Map(lab.c42.users().users.map((s) => [s.userName, s.status]));
      for (const u of users) expect(statuses.get(u.username)).toBe(u.enabled ? 'active' : 'blocked');
    },
    FUZZ_TIMEOUT_MS,
  );
});
