import { inParallel, startCode42Lab, type WiredLab } from './test-support/code42-lab';

// Issue 8, concurrency: many users updated in parallel through the mock PingOne arrive at the mock Code42 with each
// user's changes in the order they were made (the Ping entries of docs/sources.md; the mock's per-user queue), read from Code42's own
// journal rather than from the provisioner's.

let lab: WiredLab;
afterEach(async () => {
  await lab?.close();
});

describe('per-user order through PingOne into Code42', () => {
  const USERS = 24;
  const ROUNDS = 5;

  it('delivers each user’s updates in order while users are provisioned side by side', async () => {
    lab = await startCode42Lab({ p1: { concurrency: 8 } });
    const users: { id: string; username: string }[] = [];
    await inParallel(USERS, 8, async (i) => {
      const username = `ordered.${i}@example.com`;
      users[i] = { id: await lab.createUser({ username, name: { given: 'O', family: `R${i}` } }), username };
    });
    await lab.idle();
    // PUTs are held a little at Code42, so that different users' PUTs overlap there.
    lab.c42.faults.add({ match: { method: 'PUT', path: '/Users/*' }, action: 'latency', latencyMs: [2, 12] });
    lab.c42.journal.clear();

    // Each user's changes are made one after the other; different users' changes at the same time.
    await inParallel(USERS, USERS, async (i) => {
      for (let round = 0; round < ROUNDS; round++) {
        const res = await lab.api('PATCH', `/users/${users[i].id}`, { title: `round ${round}` });
        expect(res.status).toBe(200);
      }
    });
    await lab.idle();

    const puts = lab.c42.journal.list({ method: 'PUT' });
    expect(puts.every((e) => e.status === 200)).toBe(true);
    const idOf = new Map(lab.c42.store.export().map((u) => [u.userName as string, u.id as string]));
    for (const { username } of users) {
      const id = idOf.get(username);
      const titles = puts
        .filter((e) => e.url.endsWith(`/Users/${id}`))
        .map((e) => (e.request.body as { title: string }).title);
      // Every change arrives, in order; a change is never overtaken by an older one.
      expect(titles).toEqual(Array.from({ length: ROUNDS }, (_, r) => `round ${r}`));
      expect(lab.c42.store.get(id!).title).toBe(`round ${ROUNDS - 1}`);
    }
    // Users really were served side by side: the PUTs of different users interleave in Code42's journal.
    const order = puts.map((e) => e.url.split('/').pop());
    const switches = order.filter((id, i) => i > 0 && id !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(USERS);
  });
});
