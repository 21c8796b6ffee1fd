/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read JSON answers field by field */
import { ERROR_URN } from '../fixtures/scim-wire';
import { CODE42_ADMIN, startCode42Lab, type WiredLab } from './test-support/code42-lab';

// Issue 16 §1: the SCIM store options customers use (PING-SCIM-FEATURES, PING-SCIM-CONNECTION), each proven end to
// end: the mock PingOne's management API in, the mock Code42's SCIM API and admin surface out.

let lab: WiredLab;
afterEach(async () => {
  await lab?.close();
});

const origin = () => new URL(lab.code42Url).origin;

/** `/__admin` of the mock Code42, over HTTP. */
async function code42Admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${origin()}/__admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${CODE42_ADMIN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

/** Changes the seeded store's configuration through the management API (secrets written back masked are kept). */
async function configure(changes: Record<string, unknown>, drop: string[] = []) {
  const store = (await lab.api('GET', `/propagation/stores/${lab.ids.storeId}`)).body;
  const configuration: Record<string, unknown> = { ...(store.configuration as object), ...changes };
  for (const key of drop) delete configuration[key];
  const res = await lab.api('PUT', `/propagation/stores/${lab.ids.storeId}`, { ...store, configuration });
  if (res.status !== 200) throw new Error(`store update: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const syncOf = async (userId: string) =>
  (await lab.api('GET', `/users/${userId}/syncedRules/${lab.ids.ruleId}`)).body as Record<string, any>;

const scimUser = async (userName: string) => {
  const res = await fetch(`${lab.code42Url}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, {
    headers: { Authorization: 'Bearer wired-code42-token-0001' },
  });
  return ((await res.json()) as { Resources: Record<string, any>[] }).Resources[0];
};

/** The journal of the mock Code42, inbound, for one method and path glob. */
const code42Journal = async (query: string) =>
  (await code42Admin('GET', `/journal?${query}`)).body.entries as Record<string, any>[];

const clientCredentialsProvider = async (extra: Record<string, unknown> = {}) =>
  (await code42Admin('POST', '/providers', { name: 'PingOne CC', clientCredentials: true, ...extra })).body;

describe('OAuth 2 Client Credentials (PING-SCIM-CONNECTION; RFC 6749 §4.4)', () => {
  it('provisions a user into the mock Code42 with a token from its token endpoint', async () => {
    lab = await startCode42Lab();
    const provider = await clientCredentialsProvider();
    expect(provider).toEqual(
      expect.objectContaining({ tokenUrl: `${origin()}/oauth/token`, clientId: expect.any(String) }),
    );
    const store = await configure(
      {
        AUTHENTICATION_METHOD: 'OAuth 2 Client Credentials',
        // PING-CC-TUTORIAL: "Auth Type Header: Select OAuth Client Credentials" (sent as Bearer).
        AUTHORIZATION_TYPE: 'OAuth Client Credentials',
        OAUTH_TOKEN_REQUEST: provider.tokenUrl,
        OAUTH_CLIENT_ID: provider.clientId,
        OAUTH_CLIENT_SECRET: provider.clientSecret,
      },
      ['OAUTH_ACCESS_TOKEN'],
    );
    // The secret is masked like the bearer token (S5: PingOne never echoes a secret).
    expect((store.configuration as Record<string, unknown>).OAUTH_CLIENT_SECRET).toBe('********');
    // Test Connection of the saved store fetches a token and probes with it.
    const check = await lab.api('POST', `/propagation/stores/${lab.ids.storeId}/connection/status`);
    expect(check.body).toEqual(expect.objectContaining({ status: 'SUCCESS' }));

    const id = await lab.createUser({ username: 'cc-user@example.com', email: 'cc-user@example.com' });
    await lab.idle();
    expect(await syncOf(id)).toEqual(expect.objectContaining({ status: 'SUCCESS', lastAction: 'CREATE' }));
    expect(await scimUser('cc-user@example.com')).toEqual(expect.objectContaining({ active: true }));

    const token = await code42Journal('method=POST&path=/oauth/token');
    expect(token).toHaveLength(1); // one token for the test and the sync: it was cached
    expect(token[0].status).toBe(200);
    // Redacted: the client's Basic credentials and the issued token.
    expect(JSON.stringify(token[0])).not.toContain(provider.clientSecret);
    expect(token[0].response.body.access_token).toBe('[redacted]');
    const posts = await code42Journal('method=POST&path=/scim/v2/Users');
    expect(posts[0]).toEqual(expect.objectContaining({ status: 201, provider: provider.id }));
    // The mock PingOne's journal (and so its HAR) hides the secret it was given and the token it fetched.
    const p1Journal = JSON.stringify(lab.p1.journal.list({}));
    expect(p1Journal).not.toContain(provider.clientSecret);
    expect(p1Journal).toContain('"OAUTH_CLIENT_SECRET":"[redacted]"');
    const outboundToken = lab.p1.journal.list({ direction: 'outbound' }).find((e) => e.url === provider.tokenUrl);
    expect(JSON.stringify(outboundToken?.response)).toContain('"access_token":"[redacted]"');
  });

  it('caches the token, fetches a new one once it expires on the virtual clock, and again after a 401', async () => {
    lab = await startCode42Lab();
    const provider = await clientCredentialsProvider({ tokenLifetimeSeconds: 600 });
    await configure({
      AUTHENTICATION_METHOD: 'OAuth 2 Client Credentials',
      OAUTH_TOKEN_REQUEST: provider.tokenUrl,
      OAUTH_CLIENT_ID: provider.clientId,
      OAUTH_CLIENT_SECRET: provider.clientSecret,
      OAUTH_CLIENT_AUTH_METHOD: 'client_secret_post',
    });
    await lab.createUser({ username: 'cache-1@example.com' });
    await lab.createUser({ username: 'cache-2@example.com' });
    await lab.idle();
    expect(await code42Journal('path=/oauth/token')).toHaveLength(1);

    // Both mocks' clocks move 10 minutes: the token has expired at Code42 and the provisioner knows it.
    lab.c42.clock.advance(600_000);
    lab.p1.clock.advance(600_000);
    await lab.createUser({ username: 'cache-3@example.com' });
    await lab.idle();
    expect(await code42Journal('path=/oauth/token')).toHaveLength(2);
    expect(await code42Journal('status=401')).toHaveLength(0);

    // Code42 alone moves on: the provisioner's token is still fresh to it, the target refuses it (401 invalid_token),
    // and the provisioner fetches a new one and sends the request again.
    lab.c42.clock.advance(600_000);
    const id = await lab.createUser({ username: 'cache-4@example.com' });
    await lab.idle();
    expect(await code42Journal('path=/oauth/token')).toHaveLength(3);
    expect((await code42Journal('status=401')).length).toBe(1);
    expect(await syncOf(id)).toEqual(expect.objectContaining({ status: 'SUCCESS' }));
  });

  it("fails the sync with the token endpoint's answer when the secret is wrong", async () => {
    lab = await startCode42Lab();
    const provider = await clientCredentialsProvider();
    await configure({
      AUTHENTICATION_METHOD: 'OAuth 2 Client Credentials',
      OAUTH_TOKEN_REQUEST: provider.tokenUrl,
      OAUTH_CLIENT_ID: provider.clientId,
      OAUTH_CLIENT_SECRET: 'not-the-secret',
    });
    const id = await lab.createUser({ username: 'cc-wrong@example.com' });
    await lab.idle();
    expect(await syncOf(id)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('401 invalid_client') }),
    );
    expect(await code42Journal('path=/scim/v2/Users*')).toHaveLength(0);
  });
});

describe('Basic, None and a custom Authorization header (PING-SCIM-CONNECTION)', () => {
  it('provisions with Basic credentials of a provider the mock Code42 gave them to', async () => {
    lab = await startCode42Lab();
    const provider = (await code42Admin('POST', '/providers', { name: 'PingOne Basic', basic: true })).body;
    await configure(
      {
        AUTHENTICATION_METHOD: 'Basic Authentication',
        AUTHORIZATION_TYPE: 'Basic',
        BASIC_AUTH_USER: provider.basicUser,
        BASIC_AUTH_PASSWORD: provider.basicPassword,
      },
      ['OAUTH_ACCESS_TOKEN'],
    );
    const id = await lab.createUser({ username: 'basic-user@example.com' });
    await lab.idle();
    expect(await syncOf(id)).toEqual(expect.objectContaining({ status: 'SUCCESS', lastAction: 'CREATE' }));
    const [post] = await code42Journal('method=POST&path=/scim/v2/Users');
    expect(post.provider).toBe(provider.id);
  });

  it('sends the custom header as the Authorization header, and None sends none (refused: 401)', async () => {
    lab = await startCode42Lab();
    await configure(
      { AUTHENTICATION_METHOD: 'None', AUTHORIZATION_TYPE: 'Custom', CUSTOM_HEADER: 'Bearer wired-code42-token-0001' },
      ['OAUTH_ACCESS_TOKEN'],
    );
    const custom = await lab.createUser({ username: 'custom-user@example.com' });
    await lab.idle();
    expect(await syncOf(custom)).toEqual(expect.objectContaining({ status: 'SUCCESS' }));

    await configure({ AUTHENTICATION_METHOD: 'None', AUTHORIZATION_TYPE: 'Bearer' }, ['CUSTOM_HEADER']);
    const none = await lab.createUser({ username: 'none-user@example.com' });
    await lab.idle();
    expect(await syncOf(none)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('HTTP 401') }),
    );
  });
});

describe('SCIM version 1.1 against a SCIM 2.0-only Code42 (PING-SCIM-FEATURES; C42-PINGONE-PROVISIONING)', () => {
  it('sends a SCIM 1.1 User, which the mock Code42 refuses naming the 1.1 URN, and the sync status shows it', async () => {
    lab = await startCode42Lab();
    await configure({ SCIM_VERSION: '1.1' });
    const id = await lab.createUser({ username: 'v11-user@example.com' });
    await lab.idle();
    const [post] = await code42Journal('method=POST&path=/scim/v2/Users');
    expect(post.request.body.schemas).toEqual(['urn:scim:schemas:core:1.0']);
    expect(post.request.headers['content-type']).toBe('application/json');
    expect(post.status).toBe(400);
    expect(post.response.body).toEqual(
      expect.objectContaining({ schemas: [ERROR_URN], scimType: 'invalidSyntax', status: '400' }),
    );
    const sync = await syncOf(id);
    expect(sync).toEqual(expect.objectContaining({ status: 'FAILED', lastAction: 'CREATE' }));
    expect(sync.details).toContain("'urn:scim:schemas:core:1.0' is a SCIM 1.1 schema URN");
  });
});

describe('Update method PATCH (RFC 7644 §3.5.2; PING-SCIM-LIMITS no longer lists "no PATCH")', () => {
  it('sends replace operations for the changed attributes, and active false alone to disable', async () => {
    lab = await startCode42Lab();
    await configure({ UPDATE_METHOD: 'PATCH' });
    const id = await lab.createUser({ username: 'patch-user@example.com', title: 'Engineer', name: { given: 'Ann' } });
    await lab.idle();
    await lab.api('PATCH', `/users/${id}`, { title: 'Manager' });
    await lab.idle();
    await lab.api('PUT', `/users/${id}/enabled`, { enabled: false });
    await lab.idle();
    const patches = await code42Journal('method=PATCH');
    expect(patches.map((p) => p.request.body)).toEqual([
      {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: expect.arrayContaining([{ op: 'replace', path: 'title', value: 'Manager' }]),
      },
      {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      },
    ]);
    expect(await code42Journal('method=PUT')).toHaveLength(0);
    expect(await scimUser('patch-user@example.com')).toEqual(
      expect.objectContaining({ title: 'Manager', active: false, name: expect.objectContaining({ givenName: 'Ann' }) }),
    );
  });
});

describe('Provision disabled users (PING-SCIM-FEATURES "Ability to provision disabled user accounts")', () => {
  it('without the option, a disabled user is not created and its sync is Unsynced', async () => {
    lab = await startCode42Lab();
    const id = await lab.createUser({ username: 'disabled-off@example.com', enabled: false });
    await lab.idle();
    expect(await syncOf(id)).toEqual(expect.objectContaining({ status: 'UNSYNCED', lastAction: 'NONE' }));
    expect(await code42Journal('method=POST&path=/scim/v2/Users')).toHaveLength(0);
  });

  it('with the option, a disabled user is created with active false', async () => {
    lab = await startCode42Lab();
    await configure({ PROVISION_DISABLED_USERS: true });
    const id = await lab.createUser({ username: 'disabled-on@example.com', enabled: false });
    await lab.idle();
    expect(await syncOf(id)).toEqual(expect.objectContaining({ status: 'SUCCESS', lastAction: 'CREATE' }));
    const [post] = await code42Journal('method=POST&path=/scim/v2/Users');
    expect(post.request.body.active).toBe(false);
  });
});

describe('Rules created through the API (S5: no default mappings)', () => {
  it("a new rule sends no user until a mapping is added; the seeded rule keeps the guide's mapping", async () => {
    lab = await startCode42Lab();
    const seededRule = (await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}`)).body as Record<string, any>;
    expect((await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}/mappings`)).body.count).toBe(14);
    expect((await lab.api('DELETE', `/propagation/rules/${lab.ids.ruleId}`)).status).toBe(204);
    const rule = await lab.api('POST', `/propagation/plans/${lab.ids.planId}/rules`, {
      name: 'API rule',
      active: true,
      sourceStore: seededRule.sourceStore,
      targetStore: seededRule.targetStore,
      populationExpression: seededRule.populationExpression,
    });
    expect(rule.status).toBe(201);
    expect((await lab.api('GET', `/propagation/rules/${rule.body.id}/mappings`)).body.count).toBe(0);
    const unmapped = await lab.createUser({ username: 'unmapped@example.com' });
    await lab.idle();
    const unmappedSync = (await lab.api('GET', `/users/${unmapped}/syncedRules/${rule.body.id}`)).body;
    expect(unmappedSync).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('check the attribute mapping') }),
    );
    expect(await code42Journal('path=/scim/v2/Users*')).toHaveLength(0);

    const mapping = { sourceAttribute: 'username', targetAttribute: 'userName' };
    expect((await lab.api('POST', `/propagation/rules/${rule.body.id}/mappings`, mapping)).status).toBe(201);
    const mapped = await lab.createUser({ username: 'mapped@example.com', title: 'Not mapped' });
    await lab.idle();
    const [post] = await code42Journal('method=POST&path=/scim/v2/Users');
    expect(post.request.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'mapped@example.com',
      active: true,
    });
    expect((await lab.api('GET', `/users/${mapped}/syncedRules/${rule.body.id}`)).body.status).toBe('SUCCESS');
  });
});

describe('Two e-mail attributes, one source empty (PING-SCIM-LIMITS)', () => {
  it('fills both with the one address and marks both primary', async () => {
    lab = await startCode42Lab();
    const rules = (await lab.api('GET', `/propagation/rules/${lab.ids.ruleId}/mappings`)).body;
    expect(rules.count).toBe(14);
    const mapping = { sourceAttribute: 'externalId', targetAttribute: 'homeEmail' };
    expect((await lab.api('POST', `/propagation/rules/${lab.ids.ruleId}/mappings`, mapping)).status).toBe(201);
    await lab.createUser({ username: 'two-emails@example.com', email: 'two@example.com' });
    await lab.idle();
    const [post] = await code42Journal('method=POST&path=/scim/v2/Users');
    expect(post.request.body.emails).toEqual([
      { type: 'work', primary: true, value: 'two@example.com' },
      { type: 'home', value: 'two@example.com', primary: true },
    ]);
  });
});

describe('Test Connection (PING-SCIM-CONNECTION: a failed test can be passed with Continue)', () => {
  it('a store whose Test Connection failed can still be saved, and is used as saved', async () => {
    lab = await startCode42Lab();
    const proposed = { ...((await lab.api('GET', `/propagation/stores/${lab.ids.storeId}`)).body as object) };
    const configuration = {
      ...((proposed as { configuration: object }).configuration as object),
      OAUTH_ACCESS_TOKEN: 'not-the-token',
    };
    const check = await lab.api('POST', '/propagation/stores/connection/status', { type: 'scim', configuration });
    expect(check.body).toEqual(expect.objectContaining({ status: 'FAILURE', category: 'credentials' }));
    // "Continue": the admin saves the store anyway; the API does not gate a save on the test.
    const saved = await lab.api('PUT', `/propagation/stores/${lab.ids.storeId}`, { ...proposed, configuration });
    expect(saved.status).toBe(200);
    const id = await lab.createUser({ username: 'continued@example.com' });
    await lab.idle();
    expect(await syncOf(id)).toEqual(
      expect.objectContaining({ status: 'FAILED', details: expect.stringContaining('HTTP 401') }),
    );
  });
});
