import { getContainerRuntimeClient } from 'testcontainers';
import { createCode42, type Code42 } from '../mock-code42';
import { runConformance } from './conformance';
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

describe('contracts.md §1 conformance --runtime containers', () => {
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
        /a container cannot reach the target .*Inside a container, 127\.0\.0\.1\/localhost is the container itself/,
      );
      expect(await leftContainers()).toEqual([]);
    });
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
});
