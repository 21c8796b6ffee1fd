import { networkInterfaces } from 'node:os';
import { getContainerRuntimeClient } from 'testcontainers';
import { cleanup, ensureBuilt, finished } from '../cli/test-support';
import { createCode42, type Code42 } from '../mock-code42';
import { runConformance } from './conformance';
import { bridgeGateway, type BridgeInspect } from './containers-runtime';
import { UsageError } from './engine';

/** scripts/test-containers.sh builds the image under its own tag and passes it here. */
const IMAGE = process.env.SCIM_LAB_IMAGE ?? 'scim-lab:local';

/** Containers of the image, and reachability probes, whatever their state. */
async function leftContainers(): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  const all = await client.container.dockerode.listContainers({ all: true });
  return all
    .filter((c) => c.Image === IMAGE || c.Labels['org.scim-lab.probe'] !== undefined)
    .map((c) => `${c.Id.slice(0, 12)} ${c.Image} ${c.State}`);
}

describe('docs/cli.md conformance --runtime containers', () => {
  beforeAll(async () => {
    expect(await leftContainers()).toEqual([]);
  });

  it('runs target and flow requirements against mock Code42 and PingOne containers, then removes them', async () => {
    const lines: string[] = [];
    // FLOW-DELETE-REFUSED sets Remove Action Delete on the shared PingOne's store; FLOW-LEAVE-POPULATION, run after
    // it, passes only with the seed's Remove Action Disable back (and FLOW-SYNC-COUNTERS only from reset counters).
    const only = [
      'SCIM-DISCOVERY-SPC',
      'SCIM-CREATE-201',
      'C42-LOOKUP-FILTER',
      'FLOW-CREATE',
      'FLOW-DELETE-REFUSED',
      'FLOW-LEAVE-POPULATION',
      'FLOW-SYNC-COUNTERS',
    ];
    let during: Promise<string[]> | undefined;
    const run = await runConformance({
      runtime: 'containers',
      image: IMAGE,
      only,
      log: (l) => lines.push(l),
      onProgress: () => {
        during ??= leftContainers();
      },
    });

    expect(run.result.requirements.map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining(only.map((id) => [id, 'passed'])),
    );
    expect(run.result.requirements.filter((r) => r.suite !== 'provisioner')).toHaveLength(only.length);
    // The suites reached the container through its published port, not an in-process server.
    expect(lines).toContainEqual(expect.stringMatching(/^conformance: mock Code42 container \(.+\) at http:\/\//));
    expect(lines).toContainEqual(expect.stringMatching(/^conformance: mock PingOne container at http:\/\//));
    // While it ran, the two mocks' containers were there (the filter sees them); afterwards none.
    expect(await during).toHaveLength(2);
    expect(await leftContainers()).toEqual([]);
  });

  describe('--target unreachable from inside a container', () => {
    let onHost: Code42;

    beforeAll(async () => {
      // Reachable from this process, on the host's loopback, which a container cannot reach.
      onHost = createCode42();
      await onHost.listen({ port: 0, host: '127.0.0.1' });
    });

    afterAll(async () => {
      await onHost?.close();
    });

    it("fails with a usage error explaining the host's loopback, and leaves no probe container", async () => {
      const d = onHost.describe();
      const run = runConformance({
        runtime: 'containers',
        image: IMAGE,
        target: { baseUrl: d.baseUrl, token: d.token },
        only: ['SCIM-DISCOVERY-SPC'],
      });
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(
        /a container cannot reach the target .*Inside a container, 127\.0\.0\.1\/localhost is the container itself.*host networking/,
      );
      expect(await leftContainers()).toEqual([]);
    });
  });

  it("runs against a --target that containers reach: a server on the Docker bridge's gateway address", async () => {
    const client = await getContainerRuntimeClient();
    const bridge = await client.container.dockerode.getNetwork('bridge').inspect();
    // Some engines report no Gateway (issue 13 §7): then docker0's address, or the subnet's first host.
    const gateway = bridgeGateway(bridge as BridgeInspect, networkInterfaces());
    // On the host, but on the bridge's own address (not loopback, not every interface): containers reach it.
    const onBridge = createCode42();
    await onBridge.listen({ port: 0, host: gateway });
    try {
      const d = onBridge.describe();
      const lines: string[] = [];
      const run = await runConformance({
        runtime: 'containers',
        image: IMAGE,
        target: { baseUrl: d.baseUrl, token: d.token },
        only: ['SCIM-DISCOVERY-SPC', 'FLOW-CREATE'],
        log: (l) => lines.push(l),
      });
      expect(run.result.requirements.map((r) => [r.id, r.status])).toEqual([
        ['SCIM-DISCOVERY-SPC', 'passed'],
        ['FLOW-CREATE', 'passed'],
      ]);
      expect(lines).toContainEqual(expect.stringMatching(/^conformance: flow suite: mock PingOne in process/));
      expect(await leftContainers()).toEqual([]);
    } finally {
      await onBridge.close();
    }
  });

  it('fails with a usage error naming scripts/build-image.sh when the image is missing', async () => {
    const run = runConformance({
      runtime: 'containers',
      image: 'scim-lab:no-such-tag',
      only: ['SCIM-DISCOVERY-SPC'],
    });
    await expect(run).rejects.toThrow(
      /the image scim-lab:no-such-tag is missing; build it with .*scripts\/build-image\.sh/,
    );
  });

  describe('the CLI passes --runtime and --image through', () => {
    beforeAll(() => ensureBuilt(), 180_000);
    afterEach(() => cleanup());

    it('exits 0 after the target and flow requirements pass against the containers', async () => {
      const only = 'SCIM-DISCOVERY-SPC,FLOW-CREATE';
      const run = await finished(['conformance', '--runtime', 'containers', '--image', IMAGE, '--only', only]);
      expect(run.stderr).toMatch(/conformance: mock PingOne container at http:\/\//);
      expect(run.stdout).toMatch(/PASS {2}FLOW-CREATE/);
      expect(run.code).toBe(0);
      expect(await leftContainers()).toEqual([]);
    });

    it('exits 2 with the explanation when a container cannot reach --target', async () => {
      const onHost = createCode42();
      await onHost.listen({ port: 0, host: '127.0.0.1' });
      try {
        const d = onHost.describe();
        const args = ['--runtime', 'containers', '--image', IMAGE, '--target', d.baseUrl, '--token', d.token];
        const run = await finished(['conformance', ...args]);
        expect(run.stderr).toMatch(/a container cannot reach the target/);
        expect(run.code).toBe(2);
      } finally {
        await onHost.close();
      }
    });
  });
});
