import { getContainerRuntimeClient } from 'testcontainers';
import { startWiredLab, type StartedWiredLab } from './index';
import { TEST_IMAGE, bearer } from './test-support/image';

interface ListResponse {
  totalResults: number;
  Resources: { id: string; userName: string; active?: boolean }[];
}

async function createPingOneUser(lab: StartedWiredLab, username: string): Promise<string> {
  const { environmentId, populationId } = lab.pingone.getIds();
  const res = await fetch(`${lab.pingone.getApiUrl()}/environments/${environmentId}/users`, {
    method: 'POST',
    headers: bearer(lab.pingone.getApiToken()),
    body: JSON.stringify({
      username,
      email: username,
      name: { given: 'Wired', family: 'Lab' },
      population: { id: populationId },
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function waitIdle(lab: StartedWiredLab): Promise<void> {
  const res = await fetch(`${lab.pingone.getAdminUrl()}/wait-idle`, {
    method: 'POST',
    headers: bearer(lab.pingone.getAdminToken()),
    body: JSON.stringify({ timeoutMs: 30_000 }),
  });
  expect(res.status).toBe(200);
}

async function code42User(lab: StartedWiredLab, userName: string): Promise<ListResponse> {
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await fetch(`${lab.code42.getBaseUrl()}/Users?filter=${filter}`, {
    headers: bearer(lab.code42.getToken()),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ListResponse;
}

describe('startWiredLab: both mocks on one network, wired as in the seed', () => {
  let lab: StartedWiredLab;

  beforeAll(async () => {
    lab = await startWiredLab(TEST_IMAGE);
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('seeds PingOne with a store, plan and rule that provision into Code42', () => {
    const ids = lab.pingone.getIds();
    for (const id of [ids.populationId, ids.storeId, ids.planId, ids.ruleId]) expect(id).toEqual(expect.any(String));
  });

  it("provisions a user created through PingOne's API into Code42 over the network alias", async () => {
    await createPingOneUser(lab, 'wired-create@example.com');
    await waitIdle(lab);
    const found = await code42User(lab, 'wired-create@example.com');
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]).toMatchObject({ userName: 'wired-create@example.com', active: true });
  });

  it('blocks the Code42 user when the PingOne user is disabled (Remove Action: Disable)', async () => {
    const id = await createPingOneUser(lab, 'wired-disable@example.com');
    await waitIdle(lab);
    const { environmentId } = lab.pingone.getIds();
    const res = await fetch(`${lab.pingone.getApiUrl()}/environments/${environmentId}/users/${id}/enabled`, {
      method: 'PUT',
      headers: bearer(lab.pingone.getApiToken()),
      body: JSON.stringify({ enabled: false }),
    });
    expect(res.status).toBe(200);
    await waitIdle(lab);
    const found = await code42User(lab, 'wired-disable@example.com');
    expect(found.Resources[0]).toMatchObject({ active: false });
    // Code42 blocks first, then deactivates after 15 minutes [DOC S7].
    const admin = await fetch(`${lab.code42.getAdminUrl()}/users`, { headers: bearer(lab.code42.getAdminToken()) });
    const { users } = (await admin.json()) as { users: { userName: string; status: string }[] };
    expect(users.find((u) => u.userName === 'wired-disable@example.com')).toMatchObject({ status: 'blocked' });
  });

  it("records PingOne's outbound SCIM calls in Code42's journal under the provider's token", async () => {
    const res = await fetch(`${lab.code42.getAdminUrl()}/journal?method=POST`, {
      headers: bearer(lab.code42.getAdminToken()),
    });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { url: string; status: number }[] };
    expect(entries.some((e) => e.url.includes('/scim/v2/Users') && e.status === 201)).toBe(true);
  });
});

/** Ids of every container (running or not) and of every network testcontainers created. */
async function engineIds(): Promise<{ containers: string[]; networks: string[] }> {
  const { dockerode } = (await getContainerRuntimeClient()).container;
  const containers = await dockerode.listContainers({ all: true });
  const networks = await dockerode.listNetworks({ filters: { label: ['org.testcontainers=true'] } });
  return { containers: containers.map((c) => c.Id), networks: networks.map((n) => n.Id) };
}

describe('startWiredLab teardown', () => {
  it('stop() removes both containers and the network', async () => {
    const lab = await startWiredLab(TEST_IMAGE);
    const started = { containers: [lab.code42.getId(), lab.pingone.getId()], networks: [lab.network.getId()] };
    await lab.stop();
    const after = await engineIds();
    expect(after.containers.filter((id) => started.containers.includes(id))).toEqual([]);
    expect(after.networks.filter((id) => started.networks.includes(id))).toEqual([]);
  });

  it('stops Code42 and removes the network when PingOne fails to start', async () => {
    const before = await engineIds();
    // An unknown deviation is a usage error: the mock exits with code 2 instead of serving.
    await expect(startWiredLab(TEST_IMAGE, { pingone: (c) => c.withDeviation('no-such-deviation') })).rejects.toThrow();
    const after = await engineIds();
    expect(after.containers.filter((id) => !before.containers.includes(id))).toEqual([]);
    expect(after.networks.filter((id) => !before.networks.includes(id))).toEqual([]);
  });
});
