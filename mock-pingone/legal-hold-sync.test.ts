import { CODE42_ADMIN, startCode42Lab, type WiredLab } from './test-support/code42-lab';

// Issue 16 §2: a deactivation the mock Code42 refuses (legal hold) reaches the provisioner as a Failed sync.

let lab: WiredLab;
afterEach(async () => {
  await lab?.close();
});

describe('Legal hold at the target (CRASHPLAN-BLOCK-DEAUTHORIZE-DEACTIVATE; inferred refusal)', () => {
  it('shows a disable of a user on legal hold as a Failed sync with the target refusal in its details', async () => {
    lab = await startCode42Lab();
    const id = await lab.createUser({ username: 'held@example.com' });
    await lab.idle();
    const target = lab.c42.store.query({}).resources.find((u) => u.userName === 'held@example.com')!;
    const hold = await fetch(`${new URL(lab.code42Url).origin}/__admin/users/${target.id}/legal-hold`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CODE42_ADMIN}` },
    });
    expect(hold.status).toBe(200);
    await lab.api('PUT', `/users/${id}/enabled`, { enabled: false });
    await lab.idle();
    const sync = (await lab.api('GET', `/users/${id}/syncedRules/${lab.ids.ruleId}`)).body;
    expect(sync.status).toBe('FAILED');
    expect(sync.details).toContain('on legal hold and cannot be deactivated');
  });
});
