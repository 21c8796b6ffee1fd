import { startLab } from './test-support/lab';
import type { Lab } from './test-support/lab';

// Issue 4 "Ordering": one user's changes are applied in order; different users run in parallel, up to a
// configurable concurrency.

let lab: Lab;
afterEach(async () => {
  await lab?.close();
});

describe('per-user ordering under concurrency', () => {
  const USERS = 12;
  const ROUNDS = 4;
  const CONCURRENCY = 4;

  it('ends with every user at its last change, each user\u2019s PUTs in change order, users in parallel', async () => {
    lab = await startLab({ p1: { concurrency: CONCURRENCY, journalCap: 10_000 } });
    const created = [];
    for (let i = 0; i < USERS; i++) created.push(await lab.createUser(lab.nextUser('full')));
    await lab.idle();
    // Every PUT is held a little at the target, so that users overlap there.
    lab.target.fail({ method: 'PUT', status: 0, delayMs: 15 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const user of created) await lab.api.patch(`/users/${user.id}`, { title: `round ${round}` }).expect(200);
    }
    await lab.idle();

    for (const user of created) {
      const atTarget = lab.target.byUserName(user.username);
      expect(atTarget?.title).toBe(`round ${ROUNDS - 1}`);
      const titlesAtTarget = lab.target.requests
        .filter((r) => r.method === 'PUT' && r.path === `/Users/${atTarget?.id}`)
        .map((r) => (r.body as { title: string }).title);
      expect(titlesAtTarget).toEqual(Array.from({ length: ROUNDS }, (_, round) => `round ${round}`));
      const titlesInJournal = lab
        .outbound()
        .filter((e) => e.method === 'PUT' && e.url.endsWith(`/Users/${atTarget?.id}`))
        .map((e) => (e.request.body as { title: string }).title);
      expect(titlesInJournal).toEqual(titlesAtTarget);
    }
    expect(lab.target.maxInFlight()).toBeGreaterThan(1);
    expect(lab.target.maxInFlight()).toBeLessThanOrEqual(CONCURRENCY);
  });

  it('with a concurrency of 1, talks to the target one request at a time', async () => {
    lab = await startLab({ p1: { concurrency: 1 } });
    lab.target.fail({ method: 'POST', status: 0, delayMs: 10 });
    for (let i = 0; i < 5; i++) await lab.createUser(lab.nextUser('minimal'));
    await lab.idle();
    expect(lab.target.users.size).toBe(5);
    expect(lab.target.maxInFlight()).toBe(1);
  });
});
