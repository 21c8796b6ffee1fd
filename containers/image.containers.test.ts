import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { CODE42_PORT, PINGONE_PORT } from './index';
import { TEST_IMAGE, outputOf } from './test-support/image';

async function healthStatus(container: StartedTestContainer): Promise<string | undefined> {
  const client = await getContainerRuntimeClient();
  const info = await client.container.inspect(client.container.getById(container.getId()));
  return info.State.Health?.Status;
}

describe('The scim-lab image (issue 7)', () => {
  it('runs as a non-root user', async () => {
    const container = await new GenericContainer(TEST_IMAGE)
      .withEntrypoint(['node', '-e', 'console.log(process.getuid() + ":" + process.getgid())'])
      .withCommand([])
      .withWaitStrategy(Wait.forOneShotStartup())
      .start();
    try {
      const logs = await outputOf(container);
      expect(logs.trim()).toBe('10001:10001');
    } finally {
      await container.stop();
    }
  });

  it('prints the CLI version with --version', async () => {
    const container = await new GenericContainer(TEST_IMAGE)
      .withCommand(['--version'])
      .withWaitStrategy(Wait.forOneShotStartup())
      .start();
    try {
      const logs = await outputOf(container);
      expect(logs.trim()).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await container.stop();
    }
  });

  it('reports healthy through its own HEALTHCHECK when `up` serves both mocks', async () => {
    const container = await new GenericContainer(TEST_IMAGE)
      .withCommand(['up'])
      .withExposedPorts(CODE42_PORT, PINGONE_PORT)
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000)
      .start();
    try {
      expect(await healthStatus(container)).toBe('healthy');
      for (const port of [CODE42_PORT, PINGONE_PORT]) {
        const res = await fetch(`http://${container.getHost()}:${container.getMappedPort(port)}/__admin/health`);
        expect(res.status).toBe(200);
      }
    } finally {
      await container.stop();
    }
  });

  it("reports healthy through its HEALTHCHECK for `code42 --port N`, probing the flag's port", async () => {
    const container = await new GenericContainer(TEST_IMAGE)
      .withCommand(['code42', '--port', '9090'])
      .withExposedPorts(9090)
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(60_000)
      .start();
    try {
      expect(await healthStatus(container)).toBe('healthy');
    } finally {
      await container.stop();
    }
  });
});
