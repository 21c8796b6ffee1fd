/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers field by field */
import { CODE42_ADMIN, CODE42_TOKEN, startCode42Lab, type WiredLab } from './test-support/code42-lab';

// Issue 16 §3: the provisioner plays the SCIM client of PingOne, Entra ID or Okta (docs/profiles.md). Each
// profile's traffic is read where it lands: the mock Code42's journal (HTTP in, HTTP out).

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let lab: WiredLab;
afterEach(async () => {
  await lab?.close();
});

async function code42Journal(query: string): Promise<Record<string, any>[]> {
  const origin = new URL(lab.code42Url).origin;
  const res = await fetch(`${origin}/__admin/journal?${query}`, {
    headers: { Authorization: `Bearer ${CODE42_ADMIN}` },
  });
  return ((await res.json()) as { entries: Record<string, any>[] }).entries;
}

async function scimUser(userName: string): Promise<Record<string, any>> {
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await fetch(`${lab.code42Url}/Users?filter=${filter}`, {
    headers: { Authorization: `Bearer ${CODE42_TOKEN}` },
  });
  return ((await res.json()) as { Resources: Record<string, any>[] }).Resources[0];
}

const lookups = async () =>
  (await code42Journal('method=GET')).map((e) => new URL(e.url).searchParams.get('filter')).filter(Boolean);

/** Creates a user, changes its title, disables it, and re-enables it, waiting for each change to propagate. */
async function lifecycle(username: string) {
  const id = await lab.createUser({ username, email: username, externalId: `ext-${username}`, title: 'Engineer' });
  await lab.idle();
  await lab.api('PATCH', `/users/${id}`, { title: 'Manager' });
  await lab.idle();
  await lab.api('PUT', `/users/${id}/enabled`, { enabled: false });
  await lab.idle();
  const disabled = await scimUser(username);
  await lab.api('PUT', `/users/${id}/enabled`, { enabled: true });
  await lab.idle();
  return { disabled, enabled: await scimUser(username) };
}

describe('Profile pingone (the default): the store configuration decides the wire', () => {
  it('looks up with the configured "username Eq" filter and updates and disables with PUT', async () => {
    lab = await startCode42Lab();
    const { disabled, enabled } = await lifecycle('p1-profile@example.com');
    expect(await lookups()).toContain('username Eq "p1-profile@example.com"');
    expect(await code42Journal('method=PATCH')).toHaveLength(0);
    const puts = (await code42Journal('method=PUT')).map((e) => e.request.body);
    expect(puts.map((b) => b.active)).toEqual([true, false, true]);
    expect(disabled).toEqual(expect.objectContaining({ active: false, title: 'Manager' }));
    expect(enabled).toEqual(expect.objectContaining({ active: true, title: 'Manager' }));
  });
});

describe('Profile entra (ENTRA-SCIM-ENDPOINT, ENTRA-SCIM-KNOWN-ISSUES)', () => {
  it('looks up by "userName eq" then by externalId, and PATCHes with "Replace" and the strings "False"/"True"', async () => {
    lab = await startCode42Lab({ p1: { profile: 'entra' } });
    const { disabled, enabled } = await lifecycle('entra-profile@example.com');
    const filters = await lookups();
    expect(filters[0]).toBe('userName eq "entra-profile@example.com"');
    expect(filters[1]).toBe('externalId eq "ext-entra-profile@example.com"');
    expect(await code42Journal('method=PUT')).toHaveLength(0);
    const patches = (await code42Journal('method=PATCH')).map((e) => e.request.body);
    expect(patches[0]).toEqual({
      schemas: [PATCH_OP],
      Operations: expect.arrayContaining([{ op: 'Replace', path: 'title', value: 'Manager' }]),
    });
    expect(patches.slice(1)).toEqual([
      { schemas: [PATCH_OP], Operations: expect.arrayContaining([{ op: 'Replace', path: 'active', value: 'False' }]) },
      { schemas: [PATCH_OP], Operations: expect.arrayContaining([{ op: 'Replace', path: 'active', value: 'True' }]) },
    ]);
    // The mock Code42 reads the strings as the booleans they stand for, and the user is not corrupted.
    expect(disabled).toEqual(expect.objectContaining({ active: false, title: 'Manager' }));
    expect(enabled).toEqual(expect.objectContaining({ active: true, title: 'Manager' }));
  });
});

describe('Profile okta (OKTA-SCIM-20)', () => {
  it('looks up by "userName eq", updates with PUT, and deactivates with a PATCH of {"active": false} without a path', async () => {
    lab = await startCode42Lab({ p1: { profile: 'okta' } });
    const { disabled, enabled } = await lifecycle('okta-profile@example.com');
    expect(new Set(await lookups())).toEqual(new Set(['userName eq "okta-profile@example.com"']));
    const puts = (await code42Journal('method=PUT')).map((e) => e.request.body);
    expect(puts).toEqual([expect.objectContaining({ title: 'Manager', active: true })]);
    const patches = (await code42Journal('method=PATCH')).map((e) => e.request.body);
    expect(patches).toEqual([
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] },
    ]);
    expect(disabled).toEqual(expect.objectContaining({ active: false, title: 'Manager' }));
    expect(enabled).toEqual(expect.objectContaining({ active: true, title: 'Manager' }));
  });

  it('keeps Remove Action Delete from reaching the target: Okta deactivates, it never deletes', async () => {
    lab = await startCode42Lab({ p1: { profile: 'okta' } });
    const store = (await lab.api('GET', `/propagation/stores/${lab.ids.storeId}`)).body;
    const configuration = { ...(store.configuration as object), REMOVE_ACTION: 'Delete' };
    expect((await lab.api('PUT', `/propagation/stores/${lab.ids.storeId}`, { ...store, configuration })).status).toBe(
      200,
    );
    const id = await lab.createUser({ username: 'okta-leaver@example.com' });
    await lab.idle();
    await lab.api('DELETE', `/users/${id}`);
    await lab.idle();
    expect(await code42Journal('method=DELETE')).toHaveLength(0);
    expect(await scimUser('okta-leaver@example.com')).toEqual(expect.objectContaining({ active: false }));
  });
});

describe('The store setting PROVISIONER_PROFILE', () => {
  it('is shown by the management API and refuses an unknown profile with a clear error', async () => {
    lab = await startCode42Lab({ p1: { profile: 'entra' } });
    const store = (await lab.api('GET', `/propagation/stores/${lab.ids.storeId}`)).body;
    expect((store.configuration as Record<string, unknown>).PROVISIONER_PROFILE).toBe('entra');
    const configuration = { ...(store.configuration as object), PROVISIONER_PROFILE: 'onelogin' };
    const res = await lab.api('PUT', `/propagation/stores/${lab.ids.storeId}`, { ...store, configuration });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      expect.objectContaining({
        target: 'configuration.PROVISIONER_PROFILE',
        message: 'PROVISIONER_PROFILE must be one of "pingone", "entra", "okta"',
      }),
    ]);
  });
});
