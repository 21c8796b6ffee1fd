import { createCode42, type Code42 } from '../../mock-code42';
import { createPingOne, type PingOne } from '../../mock-pingone';
import { SEED_DRIVER_SETTINGS } from '../provisioner/context';
import { DriverError, runDriverStep, type GroupStepInput, type StepInput } from './runner';
import { PINGONE_ENV } from './protocol';
import { defaultDriverCommand } from './test-support/compile-driver';

// The built-in default driver as a process speaking protocol v1 (docs/driver-protocol.md), steering a mock PingOne that
// provisions into a mock Code42. What it did is read back over HTTP: Code42's SCIM API and PingOne's management API.

let code42: Code42;
let pingone: PingOne;
let env: Record<string, string | undefined>;
let target: { targetUrl: string; targetToken: string; timeoutMs: number };

beforeEach(async () => {
  code42 = createCode42();
  await code42.listen({ port: 0, host: '127.0.0.1' });
  const c = code42.describe();
  pingone = createPingOne({ target: { url: c.baseUrl, token: c.token }, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  await pingone.listen({ port: 0, host: '127.0.0.1' });
  const p = pingone.describe();
  env = {
    ...process.env,
    [PINGONE_ENV.apiUrl]: p.apiUrl,
    [PINGONE_ENV.apiToken]: p.apiToken,
    [PINGONE_ENV.environmentId]: p.environmentId,
    [PINGONE_ENV.adminUrl]: p.adminUrl,
    [PINGONE_ENV.adminToken]: p.adminToken,
  };
  target = { targetUrl: c.baseUrl, targetToken: c.token, timeoutMs: 10_000 };
});

afterEach(async () => {
  await pingone.close();
  await code42.close();
});

const user = { username: 'ann.lee@example.com', name: { given: 'Ann', family: 'Lee' }, title: 'Engineer' };
const step = (action: StepInput['action'], settings: Partial<StepInput['settings']> = {}, who = user) =>
  runDriverStep(
    defaultDriverCommand(),
    { action, key: who.username, user: who, settings: { ...SEED_DRIVER_SETTINGS, ...settings } },
    { ...target, env },
  );

async function atCode42(userName: string) {
  const c = code42.describe();
  const res = await fetch(`${c.baseUrl}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, {
    headers: { authorization: `Bearer ${c.token}` },
  });
  return ((await res.json()) as { Resources: Record<string, unknown>[] }).Resources;
}

async function pingOneApi(path: string) {
  const p = pingone.describe();
  const res = await fetch(`${p.apiUrl}/environments/${p.environmentId}${path}`, {
    headers: { authorization: `Bearer ${p.apiToken}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('the default driver: actions on the mock PingOne, propagated to the target', () => {
  it('creates the user in PingOne and exits 0 once it is at the target', async () => {
    const outcome = await step('create');
    expect(outcome).toEqual(expect.objectContaining({ code: 0, stdout: '{"status":"SUCCESS"}\n' }));
    expect(await atCode42(user.username)).toEqual([
      expect.objectContaining({ userName: 'ann.lee@example.com', title: 'Engineer', active: true }),
    ]);
  });

  it('points the SCIM store at the step target with the step settings', async () => {
    await step('create', { REMOVE_ACTION: 'Delete', UPDATE_USERS: false });
    const store = await pingOneApi(`/propagation/stores/${pingone.describe().storeId}`);
    expect(store.configuration).toEqual(
      expect.objectContaining({
        SCIM_URL: target.targetUrl,
        USER_FILTER: 'username Eq "%s"',
        REMOVE_ACTION: 'Delete',
        UPDATE_USERS: false,
        OAUTH_ACCESS_TOKEN: '********',
      }),
    );
  });

  it('updates, disables and re-enables the PingOne user found by the step key', async () => {
    await step('create');
    expect((await step('update', {}, { ...user, title: 'Manager' })).code).toBe(0);
    expect(await atCode42(user.username)).toEqual([expect.objectContaining({ title: 'Manager' })]);
    expect((await step('disable')).code).toBe(0);
    expect(await atCode42(user.username)).toEqual([expect.objectContaining({ active: false })]);
    expect((await step('enable')).code).toBe(0);
    expect(await atCode42(user.username)).toEqual([expect.objectContaining({ active: true })]);
  });

  it('exits 3 with the target refusal as detail when a DELETE is refused', async () => {
    await step('create');
    const outcome = await step('delete', { REMOVE_ACTION: 'Delete' });
    expect(outcome.code).toBe(3);
    expect(outcome.detail).toMatch(/The DELETE was refused by the target \(HTTP 405\)/);
    expect(await atCode42(user.username)).toHaveLength(1);
  });

  it('exits 0 with the status Unsynced when "Allow users to be created" is off', async () => {
    const outcome = await step('create', { CREATE_USERS: false });
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual(expect.objectContaining({ status: 'UNSYNCED' }));
    expect(await atCode42(user.username)).toEqual([]);
  });

  it('moves the user out of the synced population, which applies the Remove Action', async () => {
    await step('create');
    expect((await step('leave-population')).code).toBe(0);
    expect(await atCode42(user.username)).toEqual([expect.objectContaining({ active: false })]);
  });

  it('runs a Full Resync of the rule', async () => {
    await step('create');
    expect(await step('resync')).toEqual(expect.objectContaining({ code: 0, stdout: '{"status":"SUCCESS"}\n' }));
  });

  it('finds the rule, store and population itself, or takes them from SCIM_LAB_PINGONE_* ids', async () => {
    const p = pingone.describe();
    env = {
      ...env,
      [PINGONE_ENV.ruleId]: p.ruleId!,
      [PINGONE_ENV.storeId]: p.storeId!,
      [PINGONE_ENV.populationId]: p.populationId!,
    };
    expect((await step('create')).code).toBe(0);
  });
});

const bob = { username: 'bob.ray@example.com', name: { given: 'Bob', family: 'Ray' }, title: 'Analyst' };
const groupStep = (
  action: GroupStepInput['action'],
  members: string[],
  extra: Partial<GroupStepInput> = {},
  settings: Partial<StepInput['settings']> = {},
) =>
  runDriverStep(
    defaultDriverCommand(),
    {
      action,
      key: 'Sales "EU"',
      group: { name: 'Sales "EU"', members },
      settings: { ...SEED_DRIVER_SETTINGS, ...settings },
      ...extra,
    },
    { ...target, env },
  );

async function groupAtCode42(displayName: string) {
  const c = code42.describe();
  const filter = encodeURIComponent(`displayName eq ${JSON.stringify(displayName)}`);
  const res = await fetch(`${c.baseUrl}/Groups?filter=${filter}`, { headers: { authorization: `Bearer ${c.token}` } });
  return ((await res.json()) as { Resources: { id: string; members?: { value: string }[] }[] }).Resources;
}

const idAtCode42 = async (userName: string) => String((await atCode42(userName))[0].id);
const membersAt = async (displayName: string) =>
  ((await groupAtCode42(displayName))[0].members ?? []).map((m) => m.value).sort();

describe('docs/driver-protocol.md group steps: the default driver changes the PingOne group and its rule', () => {
  beforeEach(async () => {
    expect((await step('create')).code).toBe(0);
    expect((await step('create', {}, bob)).code).toBe(0);
  });

  it('creates the group with its members, selects it on the rule, and exits 0 once it is at the target', async () => {
    const outcome = await groupStep('group-create', [user.username]);
    expect(outcome).toEqual(expect.objectContaining({ code: 0, stdout: '{"status":"SUCCESS"}\n' }));
    expect(await membersAt('Sales "EU"')).toEqual([await idAtCode42(user.username)]);
    const rule = await pingOneApi(`/propagation/rules/${pingone.describe().ruleId}`);
    expect(rule.groups).toHaveLength(1);
  });

  it('adds and removes the member the step names', async () => {
    await groupStep('group-create', [user.username]);
    expect((await groupStep('group-add-member', [user.username, bob.username], { member: bob.username })).code).toBe(0);
    expect(await membersAt('Sales "EU"')).toEqual(
      [await idAtCode42(user.username), await idAtCode42(bob.username)].sort(),
    );
    expect((await groupStep('group-remove-member', [bob.username], { member: user.username })).code).toBe(0);
    expect(await membersAt('Sales "EU"')).toEqual([await idAtCode42(bob.username)]);
  });

  it('brings the members to the step group on group-update, by PUT when GROUP_UPDATE_METHOD says so', async () => {
    await groupStep('group-create', [user.username]);
    const outcome = await groupStep('group-update', [bob.username], {}, { GROUP_UPDATE_METHOD: 'PUT' });
    expect(outcome.code).toBe(0);
    expect(await membersAt('Sales "EU"')).toEqual([await idAtCode42(bob.username)]);
    const writes = code42.journal.list().filter((e) => e.method !== 'GET' && /\/Groups\/./.test(e.url));
    expect(new Set(writes.map((e) => e.method))).toEqual(new Set(['PUT']));
  });

  it('deletes the group, which the provisioner deletes at the target', async () => {
    await groupStep('group-create', [user.username]);
    expect((await groupStep('group-delete', [user.username])).code).toBe(0);
    expect(await groupAtCode42('Sales "EU"')).toEqual([]);
  });

  it('exits 3 with the detail when a same-named group at the target is not acknowledged, 0 once it is', async () => {
    const c = code42.describe();
    await fetch(`${c.baseUrl}/Groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales "EU"' }),
    });
    const refused = await groupStep('group-create', [user.username]);
    expect(refused.code).toBe(3);
    expect(refused.detail).toMatch(/already exists at the target/);
    const merged = await groupStep('group-create', [user.username], {}, { GROUP_MERGE_ACKNOWLEDGED: true });
    expect(merged.code).toBe(0);
    expect(await groupAtCode42('Sales "EU"')).toHaveLength(1);
    expect(await membersAt('Sales "EU"')).toEqual([await idAtCode42(user.username)]);
  });

  it('is a driver error when the group names a member PingOne does not have', async () => {
    const error = await groupStep('group-create', ['nobody@example.com']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect((error as DriverError).stderr).toContain('no PingOne user has the username "nobody@example.com"');
  });
});

describe('the default driver: the protocol edges', () => {
  it('exits 4 for an action it does not know', async () => {
    const outcome = await runDriverStep(
      defaultDriverCommand(),
      { action: 'archive' as StepInput['action'], key: user.username, user, settings: SEED_DRIVER_SETTINGS },
      { ...target, env },
    );
    expect(outcome).toEqual(
      expect.objectContaining({ code: 4, detail: "the default driver does not know the action 'archive'" }),
    );
  });

  it('exits 4 for an unknown action even when the step carries neither user nor group', async () => {
    const outcome = await runDriverStep(
      defaultDriverCommand(),
      { action: 'group-archive', key: 'g', settings: SEED_DRIVER_SETTINGS } as unknown as StepInput,
      { ...target, env },
    );
    expect(outcome.code).toBe(4);
  });

  it('is a driver error when a group step has no group', async () => {
    const error = await runDriverStep(
      defaultDriverCommand(),
      { action: 'group-create', key: 'g', settings: SEED_DRIVER_SETTINGS } as unknown as StepInput,
      { ...target, env },
    ).catch((e: unknown) => e);
    expect((error as DriverError).stderr).toContain("the step's 'group' must be an object with a non-empty 'name'");
  });

  it('is a driver error when a step names a user PingOne does not have', async () => {
    const error = await step('disable').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect((error as DriverError).stderr).toContain('no PingOne user has the username "ann.lee@example.com"');
  });

  it('is a driver error, naming the variable, when the PingOne environment variables are missing', async () => {
    env = { ...env, [PINGONE_ENV.apiUrl]: undefined };
    const error = await step('create').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect((error as DriverError).message).toMatch(/exited with code 1.*SCIM_LAB_PINGONE_API_URL is not set/s);
  });
});
