import { Network, type StartedNetwork } from 'testcontainers';
import { DEFAULT_IMAGE, MockCode42Container, type StartedMockCode42Container } from './mock-code42-container';
import { MockPingOneContainer, type StartedMockPingOneContainer } from './mock-pingone-container';

/** The mock Code42's alias on the lab's network: the host name in the PingOne store's SCIM URL. */
export const CODE42_ALIAS = 'code42';
export const PINGONE_ALIAS = 'pingone';

export interface WiredLabOptions {
  /** Applied to the Code42 container before it starts, e.g. `(c) => c.withDeviation('allow-delete')`. */
  code42?: (container: MockCode42Container) => MockCode42Container;
  pingone?: (container: MockPingOneContainer) => MockPingOneContainer;
}

export interface StartedWiredLab {
  network: StartedNetwork;
  code42: StartedMockCode42Container;
  pingone: StartedMockPingOneContainer;
  /** Stops both containers, then removes the network. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Both mocks on one network, wired as in the seed: the mock PingOne provisions into the mock Code42
 * by its network alias, with Code42's SCIM token. Both are reached from the host on published ports.
 */
export async function startWiredLab(
  image: string = DEFAULT_IMAGE,
  options: WiredLabOptions = {},
): Promise<StartedWiredLab> {
  const network = await new Network().start();
  let code42: StartedMockCode42Container | undefined;
  try {
    const code42Container = new MockCode42Container(image).withNetwork(network).withNetworkAliases(CODE42_ALIAS);
    code42 = await (options.code42?.(code42Container) ?? code42Container).start();
    const pingoneContainer = new MockPingOneContainer(image)
      .withNetwork(network)
      .withNetworkAliases(PINGONE_ALIAS)
      .withTarget(code42.getNetworkBaseUrl(CODE42_ALIAS), code42.getToken());
    const pingone = await (options.pingone?.(pingoneContainer) ?? pingoneContainer).start();
    const started = code42;
    const stop = async () => {
      await Promise.all([pingone.stop(), started.stop()]);
      await network.stop();
    };
    return { network, code42, pingone, stop, [Symbol.asyncDispose]: stop };
  } catch (err) {
    await code42?.stop();
    await network.stop();
    throw err;
  }
}
