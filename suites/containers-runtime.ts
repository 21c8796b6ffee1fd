// `--runtime containers` (issue 7, docs/cli.md): the mock Code42 runs as a container of the scim-lab image and the
// suites reach it over HTTP only, through its published port (docs/admin-api.md). testcontainers is a devDependency, so
// it is loaded here, lazily, only when this runtime is asked for: the embedded runtime never needs it.
import type { ContainerRuntimeClient } from 'testcontainers';
import { UsageError } from './engine';
import type { ExternalPingOne } from './flow';

type ContainersLib = typeof import('../containers');
type Testcontainers = typeof import('testcontainers');

/** The image scripts/build-image.sh builds (SCIM_LAB_IMAGE overrides it there and here). */
export const DEFAULT_CONTAINER_IMAGE = 'scim-lab:local';

/** How long the probe container may take to reach a target before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 5000;

/** Run inside the probe container: exit 0 when the URL answers anything, 3 with the reason otherwise. */
const PROBE_SCRIPT =
  'fetch(process.argv[1],{signal:AbortSignal.timeout(Number(process.argv[2]))})' +
  '.then(()=>process.exit(0),e=>{console.log(e.cause?.code||e.cause?.message||e.name||e.message);process.exit(3)})';

function load(): { lib: ContainersLib; tc: Testcontainers } {
  // stack-notes.md "Docker": the Ryuk image cannot be pulled here, and traffic stays on loopback. Without Ryuk,
  // removing the containers is this module's job (every caller stops them in `finally`).
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return { tc: require('testcontainers') as Testcontainers, lib: require('../containers') as ContainersLib };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && /testcontainers/.test(String(err))) {
      throw new UsageError(
        '--runtime containers needs the testcontainers package, which is not installed (it is a devDependency: ' +
          'run `npm install` in a scim-lab checkout), or use --runtime embedded',
      );
    }
    throw err;
  }
}

/** The engine and the image, or a usage error saying what to do — never a hang on a pull (no registry here). */
async function prepare(tc: Testcontainers, image: string): Promise<ContainerRuntimeClient> {
  let client: ContainerRuntimeClient;
  try {
    client = await tc.getContainerRuntimeClient();
  } catch (err) {
    throw new UsageError(
      `--runtime containers needs a Docker engine, and none is reachable (${(err as Error).message}); start one ` +
        '(as root: bash scripts/docker-setup.sh) or use --runtime embedded',
    );
  }
  if (!(await client.image.exists(tc.ImageName.fromString(image)))) {
    throw new UsageError(
      `--runtime containers: the image ${image} is missing; build it with \`bash scripts/build-image.sh\` ` +
        '(or name another with --image / SCIM_LAB_IMAGE)',
    );
  }
  return client;
}

export interface ContainerLab {
  /** The mock Code42 container, reached through its published port and its /__admin. */
  code42: { baseUrl: string; token: string; adminUrl: string; adminToken: string };
  /** The mock PingOne container, wired to provision into the Code42 container over the network; with `pingone`. */
  pingone?: ExternalPingOne;
  /** Stops and removes the containers (and the network). */
  stop(): Promise<void>;
}

/**
 * A mock Code42 container; with `pingone`, a mock PingOne container too, on one network with it, seeded to provision
 * into it by its network alias (containers/wired-lab.ts). The suites reach both through their published ports.
 */
export async function startContainerLab(image: string, options: { pingone: boolean }): Promise<ContainerLab> {
  const { lib, tc } = load();
  await prepare(tc, image);
  if (!options.pingone) {
    const code42 = await new lib.MockCode42Container(image).start();
    return { code42: endpointsOf(code42), stop: async () => void (await code42.stop()) };
  }
  const lab = await lib.startWiredLab(image);
  const ids = lab.pingone.getIds();
  const { populationId, storeId, ruleId } = ids;
  if (!populationId || !storeId || !ruleId) {
    await lab.stop();
    throw new Error('the mock PingOne container started without its seed configuration');
  }
  return {
    code42: endpointsOf(lab.code42),
    pingone: {
      apiUrl: lab.pingone.getApiUrl(),
      apiToken: lab.pingone.getApiToken(),
      adminUrl: lab.pingone.getAdminUrl(),
      adminToken: lab.pingone.getAdminToken(),
      ids: { environmentId: ids.environmentId, populationId, storeId, ruleId },
    },
    stop: () => lab.stop(),
  };
}

function endpointsOf(code42: import('../containers').StartedMockCode42Container): ContainerLab['code42'] {
  return {
    baseUrl: code42.getBaseUrl(),
    token: code42.getToken(),
    adminUrl: code42.getAdminUrl(),
    adminToken: code42.getAdminToken(),
  };
}

/**
 * Whether a container of the image reaches `url` (docs/containers.md "Testing a server that runs on the host"): a short-lived container runs
 * one fetch and exits. A URL on the host's loopback is the usual failure — inside a container, 127.0.0.1 is the
 * container itself — and it is reported as a usage error within seconds rather than as timeouts later.
 */
export async function checkReachableFromContainer(image: string, url: string): Promise<void> {
  const { tc } = load();
  const client = await prepare(tc, image);
  const container = await client.container.create({
    Image: image,
    Entrypoint: ['node'],
    Cmd: ['-e', PROBE_SCRIPT, url, String(PROBE_TIMEOUT_MS)],
    Labels: { 'org.scim-lab.probe': 'reachability' },
    // A TTY: the logs come back as plain text, not multiplexed.
    Tty: true,
  });
  let status: number;
  let output = '';
  try {
    await client.container.start(container);
    status = ((await container.wait()) as { StatusCode: number }).StatusCode;
    // Not testcontainers' log stream, whose socket is unref'd: the CLI's process could end while reading it.
    if (status !== 0) output = String(await container.logs({ stdout: true, stderr: true, follow: false }));
  } finally {
    await client.container.remove(container, { removeVolumes: true });
  }
  if (status === 0) return;
  const why = output.trim() || `probe exit ${status}`;
  const loopback = /^(localhost|127\.|\[::1\]$)/.test(new URL(url).hostname);
  throw new UsageError(
    `--runtime containers: a container cannot reach the target ${new URL(url).origin} (${why}). ` +
      (loopback
        ? 'Inside a container, 127.0.0.1/localhost is the container itself, not this machine. '
        : 'The server must be reachable from the Docker network. ') +
      'Either target an address containers reach (host.docker.internal with ' +
      '--add-host=host.docker.internal:host-gateway and the server listening on 0.0.0.0, or a container on the same ' +
      'network), run the image with host networking (docker run --network host scim-lab:local conformance --target …), ' +
      'or use --runtime embedded; see docs/containers.md "Testing a server that runs on the host"',
  );
}

/** What `docker network inspect bridge` (or dockerode's `inspect()`) says about the bridge's addresses. */
export interface BridgeInspect {
  IPAM?: { Config?: ({ Gateway?: string; Subnet?: string } | null)[] | null } | null;
}

/** `os.networkInterfaces()`, or the part of it that matters here. */
export type NetworkInterfaces = Record<
  string,
  { address: string; family: string | number; internal?: boolean }[] | undefined
>;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The host's address on the Docker bridge, which containers on that bridge reach. Some engines report no `Gateway` in
 * `docker network inspect bridge` (e.g. one started with `--iptables=false`); then the `docker0` interface's IPv4
 * address, and failing that the first host of the bridge's IPv4 subnet (what Docker assigns the bridge by default).
 */
export function bridgeGateway(inspect: BridgeInspect, interfaces: NetworkInterfaces): string {
  const configs = (inspect.IPAM?.Config ?? []).filter((c): c is { Gateway?: string; Subnet?: string } => Boolean(c));
  const gateway = configs.map((c) => c.Gateway?.split('/')[0]).find((g) => g !== undefined && IPV4.test(g));
  if (gateway) return gateway;
  const docker0 = (interfaces.docker0 ?? []).find((i) => i.family === 'IPv4' || i.family === 4);
  if (docker0) return docker0.address;
  for (const { Subnet } of configs) {
    const [network, bits] = (Subnet ?? '').split('/');
    const m = IPV4.exec(network ?? '');
    if (!m || !(Number(bits) >= 0 && Number(bits) <= 30)) continue;
    const value = m.slice(1).reduce((n, octet) => n * 256 + Number(octet), 0);
    const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
    const first = (((value & mask) >>> 0) + 1) >>> 0;
    return [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join('.');
  }
  throw new Error(
    'cannot find the Docker bridge gateway: `docker network inspect bridge` gives no IPv4 Gateway or Subnet, and ' +
      'this machine has no docker0 interface with an IPv4 address',
  );
}
