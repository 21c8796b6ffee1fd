import request from 'supertest';
import { createCode42 } from '../mock-code42';
import { createPingOne } from './index';
import {
  API_TOKEN,
  CODE42_ADMIN,
  CODE42_TOKEN,
  inParallel,
  P1_ADMIN,
  startCode42Lab,
  type WiredLab,
} from './test-support/code42-lab';

// Issue 8, restart: export both mocks' state (as `--state FILE` writes it), start fresh instances, import it: the same
// users, the same Code42 statuses (with pending deactivations still pending), the same PingOne sync status.

const MINUTE = 60_000;

let lab: WiredLab;
afterEach(async () => {
  await lab?.close();
});

describe('issue 8 restart: export, fresh instances, import', () => {
  it('gives back the same users, Code42 statuses and PingOne sync status', async () => {
    lab = await startCode42Lab();
    // A create Code42 refuses (400 is not retried): a sync that failed for good.
    lab.c42.faults.add({ match: { method: 'POST', path: '/Users' }, action: 'status', status: 400, times: 1 });
    const refused = await lab.createUser({ username: 'refused@example.com' });
    await lab.idle();
    const ids: string[] = [];
    await inParallel(10, 4, async (i) => {
      ids[i] = await lab.createUser({ username: `restart.${i}@example.com`, title: `T${i}`, name: { given: `G${i}` } });
    });
    await lab.idle();
    // Two users disabled long enough ago to be deactivated [DOC S7], one disabled just now (blocked, pending).
    for (const id of ids.slice(0, 2)) await lab.api('PUT', `/users/${id}/enabled`, { enabled: false });
    await lab.idle();
    lab.c42.clock.advance(16 * MINUTE);
    await lab.api('PUT', `/users/${ids[2]}/enabled`, { enabled: false });
    await lab.idle();

    const code42Saved = JSON.stringify(lab.c42.exportState());
    const pingoneSaved = JSON.stringify(lab.p1.exportState());
    const statusesBefore = lab.c42.users();
    expect(statusesBefore.users.map((u) => u.status).sort()).toEqual([
      ...Array(7).fill('active'),
      'blocked',
      'deactivated',
      'deactivated',
    ]);
    const summaryBefore = (await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}/syncStatus`)).body;
    expect(summaryBefore.users).toEqual({ impacted: 11, success: 10, unsynced: 0, partiallySynced: 0, failed: 1 });
    const recordsBefore = (await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}/syncStatus/users`)).body;

    const c42 = createCode42({ token: CODE42_TOKEN, adminToken: CODE42_ADMIN });
    const p1 = createPingOne({ apiToken: API_TOKEN, adminToken: P1_ADMIN });
    try {
      c42.importState(JSON.parse(code42Saved));
      p1.importState(JSON.parse(pingoneSaved));

      // Locations are rebuilt from where the new instance serves (every SCIM answer renders them afresh anyway).
      const withoutLocations = (state: { users: unknown[] }) => ({
        ...state,
        users: (state.users as { meta: object }[]).map((u) => ({ ...u, meta: { ...u.meta, location: undefined } })),
      });
      expect(withoutLocations(c42.exportState())).toEqual(withoutLocations(JSON.parse(code42Saved)));
      expect(JSON.stringify(p1.exportState())).toBe(pingoneSaved);
      expect(c42.users()).toEqual(statusesBefore);
      const scim = await request(c42.app).get('/scim/v2/Users?count=50').set('Authorization', `Bearer ${CODE42_TOKEN}`);
      expect(scim.body.totalResults).toBe(10);

      const env = `/v1/environments/${lab.ids.environmentId}`;
      const api = (path: string) =>
        request(p1.app)
          .get(env + path)
          .set('Authorization', `Bearer ${API_TOKEN}`);
      const summary = await api(`/propagation/rules/${lab.ids.ruleId}/syncStatus`);
      expect(summary.body.users).toEqual(summaryBefore.users);
      expect(summary.body.status).toBe(summaryBefore.status);
      const records = await api(`/propagation/rules/${lab.ids.ruleId}/syncStatus/users`);
      // The same records; only the links (another host in this test) may differ.
      const strip = (body: ApiRecords) =>
        body._embedded.syncedUsers.map(({ _links, ...r }: Record<string, unknown>) => r);
      expect(strip(records.body)).toEqual(strip(recordsBefore as unknown as ApiRecords));
      expect((await api(`/users/${refused}/syncedRules/${lab.ids.ruleId}`)).body.status).toBe('FAILED');

      // The pending deactivation was re-armed: it still happens, on the new instance's clock.
      c42.clock.advance(32 * MINUTE);
      expect(c42.users().users.filter((u) => u.status === 'deactivated')).toHaveLength(3);
    } finally {
      await c42.close();
      await p1.close();
    }
  });
});

interface ApiRecords {
  _embedded: { syncedUsers: Record<string, unknown>[] };
}
