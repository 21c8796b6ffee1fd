import { randomBytes } from 'node:crypto';
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { publishOnLoopback } from './loopback';

/** The image scripts/build-image.sh builds. Tag it yourself for another name. */
export const DEFAULT_IMAGE = 'scim-lab:local';
/** The port the mock Code42 listens on inside its container. */
export const CODE42_PORT = 8080;
/** The mock's SCIM base path (its `--base-path` default). */
export const CODE42_BASE_PATH = '/scim/v2';
export const HEALTH_PATH = '/__admin/health';
export const STARTUP_TIMEOUT_MS = 60_000;

export function newContainerToken(): string {
  return randomBytes(24).toString('hex'); // hex: a generated token never starts with '-', which argv parsers read as an option
}

/**
 * The mock Code42 (`scim-lab code42`) as a testcontainers module:
 * `const code42 = await new MockCode42Container().withDeviation('allow-delete').start()`.
 * It is configured through the SCIM_LAB_* variables of contracts.md §1; tokens are generated when not given.
 */
export class MockCode42Container extends GenericContainer {
  private token = newContainerToken();
  private adminToken = newContainerToken();
  private readonly deviations: string[] = [];
  private deleteStatus?: 400 | 403 | 405 | 501;

  constructor(image: string = DEFAULT_IMAGE) {
    super(image);
    this.withCommand(['code42'])
      .withExposedPorts(CODE42_PORT)
      // The image has no shell, so not forListeningPorts: the mock's own health route (contracts.md §2).
      .withWaitStrategy(Wait.forHttp(HEALTH_PATH, CODE42_PORT, { abortOnContainerExit: true }).forStatusCode(200))
      .withStartupTimeout(STARTUP_TIMEOUT_MS);
  }

  /** The SCIM bearer token of the first provider (`--token`). */
  withToken(token: string): this {
    this.token = token;
    return this;
  }

  /** The bearer token of `/__admin` (`--admin-token`). */
  withAdminToken(adminToken: string): this {
    this.adminToken = adminToken;
    return this;
  }

  /** A deviation from mock-code42/deviations.ts, e.g. `allow-delete` or `drop-attribute=addresses.locality`. */
  withDeviation(name: string, value?: string): this {
    this.deviations.push(value === undefined ? name : `${name}=${value}`);
    return this;
  }

  /** The status of the user-deletion refusal (`--delete-status`). */
  withDeleteStatus(status: 400 | 403 | 405 | 501): this {
    this.deleteStatus = status;
    return this;
  }

  override async start(): Promise<StartedMockCode42Container> {
    this.withEnvironment({
      SCIM_LAB_PORT: String(CODE42_PORT),
      SCIM_LAB_TOKEN: this.token,
      SCIM_LAB_ADMIN_TOKEN: this.adminToken,
      ...(this.deviations.length ? { SCIM_LAB_DEVIATIONS: this.deviations.join(',') } : {}),
      ...(this.deleteStatus ? { SCIM_LAB_DELETE_STATUS: String(this.deleteStatus) } : {}),
    });
    publishOnLoopback(this.hostConfig);
    return new StartedMockCode42Container(await super.start(), this.token, this.adminToken);
  }
}

export class StartedMockCode42Container extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly token: string,
    private readonly adminToken: string,
  ) {
    super(started);
  }

  private origin(): string {
    return `http://${this.getHost()}:${this.getMappedPort(CODE42_PORT)}`;
  }

  /** The SCIM base URL from the host, e.g. `http://localhost:32768/scim/v2`. */
  getBaseUrl(): string {
    return this.origin() + CODE42_BASE_PATH;
  }

  getToken(): string {
    return this.token;
  }

  getAdminUrl(): string {
    return `${this.origin()}/__admin`;
  }

  getAdminToken(): string {
    return this.adminToken;
  }

  /** The SCIM base URL seen from another container on a shared network, by one of this container's aliases. */
  getNetworkBaseUrl(alias: string): string {
    return `http://${alias}:${CODE42_PORT}${CODE42_BASE_PATH}`;
  }
}
