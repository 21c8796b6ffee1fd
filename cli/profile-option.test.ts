import { cleanup, cli, ensureBuilt, finished, jsonLine, stop } from './test-support';

// `--profile` of `scim-lab pingone` and `scim-lab up` (docs/cli.md, docs/profiles.md): the seeded store's
// provisioner plays PingOne's, Entra ID's or Okta's SCIM client; its management API shows the choice.

beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => cleanup());

interface UpLine {
  pingone: { apiUrl: string; apiToken: string; environmentId: string; storeId: string };
}

describe('scim-lab up --profile', () => {
  it('seeds the store with PROVISIONER_PROFILE okta, shown by the management API', async () => {
    const run = cli(['up', '--code42-port', '0', '--pingone-port', '0', '--profile', 'okta', '--json']);
    const { pingone } = await jsonLine<UpLine>(run);
    const res = await fetch(
      `${pingone.apiUrl}/environments/${pingone.environmentId}/propagation/stores/${pingone.storeId}`,
      {
        headers: { Authorization: `Bearer ${pingone.apiToken}` },
      },
    );
    const store = (await res.json()) as { configuration: Record<string, unknown> };
    expect(store.configuration.PROVISIONER_PROFILE).toBe('okta');
    await stop(run);
  }, 60_000);
});

describe('scim-lab pingone --profile', () => {
  it('refuses an unknown profile in one line, exit 2, naming the flag and its variable', async () => {
    const result = await finished(['pingone', '--profile', 'onelogin']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      "scim-lab pingone: --profile (SCIM_LAB_PROFILE) must be one of pingone, entra, okta, got 'onelogin'. Run 'scim-lab pingone --help'.",
    ]);
  });
});
