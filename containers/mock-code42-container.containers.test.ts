import { execFileSync } from 'node:child_process';
import { MockCode42Container, type StartedMockCode42Container } from './index';
import { TEST_IMAGE, bearer } from './test-support/image';

const newUser = (userName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  name: { givenName: 'Container', familyName: 'Test' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
});

async function createUser(code42: StartedMockCode42Container, userName: string): Promise<string> {
  const res = await fetch(`${code42.getBaseUrl()}/Users`, {
    method: 'POST',
    headers: bearer(code42.getToken()),
    body: JSON.stringify(newUser(userName)),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('MockCode42Container: the mock Code42 as a testcontainers module', () => {
  let code42: StartedMockCode42Container;

  beforeAll(async () => {
    code42 = await new MockCode42Container(TEST_IMAGE)
      .withToken('container-test-scim-token')
      .withAdminToken('container-test-admin-token')
      .start();
  });

  afterAll(async () => {
    await code42?.stop();
  });

  it('serves SCIM at getBaseUrl() to the token given with withToken()', async () => {
    expect(code42.getToken()).toBe('container-test-scim-token');
    expect(code42.getBaseUrl()).toMatch(/^http:\/\/localhost:\d+\/scim\/v2$/);
    const res = await fetch(`${code42.getBaseUrl()}/Users`, { headers: bearer(code42.getToken()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] });
  });

  it('refuses the admin token on SCIM and the SCIM token on /__admin (docs/admin-api.md)', async () => {
    const scim = await fetch(`${code42.getBaseUrl()}/Users`, { headers: bearer(code42.getAdminToken()) });
    expect(scim.status).toBe(401);
    const admin = await fetch(`${code42.getAdminUrl()}/users`, { headers: bearer(code42.getToken()) });
    expect(admin.status).toBe(401);
  });

  it('shows a user created over SCIM in /__admin/users with the admin token', async () => {
    await createUser(code42, 'admin-view@example.com');
    const res = await fetch(`${code42.getAdminUrl()}/users`, { headers: bearer(code42.getAdminToken()) });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('admin-view@example.com');
  });

  it('publishes its port on 127.0.0.1 only, never on every interface', () => {
    const inspect = JSON.parse(execFileSync('/usr/bin/docker', ['inspect', code42.getId()], { encoding: 'utf8' }));
    const bindings = Object.values(inspect[0].HostConfig.PortBindings as Record<string, { HostIp: string }[]>).flat();
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.map((b) => b.HostIp)).toEqual(bindings.map(() => '127.0.0.1'));
  });

  it('answers /__admin/health without auth', async () => {
    const res = await fetch(`${code42.getAdminUrl()}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses user deletion by default, as Code42 does (seed: "Code42 doesn\'t support user deletion")', async () => {
    const id = await createUser(code42, 'not-deletable@example.com');
    const res = await fetch(`${code42.getBaseUrl()}/Users/${id}`, {
      method: 'DELETE',
      headers: bearer(code42.getToken()),
    });
    expect(res.status).toBe(405);
  });
});

describe('MockCode42Container options reach the mock through SCIM_LAB_* variables (docs/cli.md)', () => {
  it('withDeviation("allow-delete") makes DELETE /Users/{id} answer 204', async () => {
    const code42 = await new MockCode42Container(TEST_IMAGE).withDeviation('allow-delete').start();
    try {
      const id = await createUser(code42, 'deletable@example.com');
      const res = await fetch(`${code42.getBaseUrl()}/Users/${id}`, {
        method: 'DELETE',
        headers: bearer(code42.getToken()),
      });
      expect(res.status).toBe(204);
    } finally {
      await code42.stop();
    }
  });

  it('withDeleteStatus(501) changes the status of the deletion refusal', async () => {
    const code42 = await new MockCode42Container(TEST_IMAGE).withDeleteStatus(501).start();
    try {
      const id = await createUser(code42, 'refused-501@example.com');
      const res = await fetch(`${code42.getBaseUrl()}/Users/${id}`, {
        method: 'DELETE',
        headers: bearer(code42.getToken()),
      });
      expect(res.status).toBe(501);
    } finally {
      await code42.stop();
    }
  });

  it('fails to start, without waiting for the startup timeout, when the mock refuses an option', async () => {
    // An unknown deviation is a usage error: the mock exits with code 2 instead of serving.
    await expect(new MockCode42Container(TEST_IMAGE).withDeviation('no-such-deviation').start()).rejects.toThrow(
      /exited/i,
    );
  });

  it('generates distinct SCIM and admin tokens when none are given', async () => {
    const code42 = await new MockCode42Container(TEST_IMAGE).start();
    try {
      expect(code42.getToken()).not.toBe(code42.getAdminToken());
      const res = await fetch(`${code42.getBaseUrl()}/Users`, { headers: bearer(code42.getToken()) });
      expect(res.status).toBe(200);
    } finally {
      await code42.stop();
    }
  });
});
