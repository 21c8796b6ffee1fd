import { randomBytes } from 'node:crypto';
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { publishOnLoopback } from './loopback';

// What both mock containers share: the image, the health wait, the admin token, deviations, loopback-only ports
// (configured side), and the origin and admin surface (started side). Each mock adds its own options and URLs.

/** The image scripts/build-image.sh builds. Tag it yourself for another name. */
export const DEFAULT_IMAGE = 'scim-lab:local';
export const HEALTH_PATH = '/__admin/health';
export const STARTUP_TIMEOUT_MS = 60_000;

export function newContainerToken(): string {
  return randomBytes(24).toString('hex'); // hex: a generated token never starts with '-', which argv parsers read as an option
}

/** A configured mock container: `scim-lab <command>` listening on `port`, configured by SCIM_LAB_* variables. */
export abstract class MockContainer extends GenericContainer {
  protected adminToken = newContainerToken();
  protected readonly deviations: string[] = [];

  protected constructor(
    image: string,
    command: string[],
    protected readonly port: number,
  ) {
    super(image);
    this.withCommand(command)
      .withExposedPorts(port)
      // The image has no shell, so not forListeningPorts: the mock's own health route (docs/admin-api.md).
      .withWaitStrategy(Wait.forHttp(HEALTH_PATH, port, { abortOnContainerExit: true }).forStatusCode(200))
      .withStartupTimeout(STARTUP_TIMEOUT_MS);
  }

  /** The bearer token of `/__admin` (`--admin-token`). */
  withAdminToken(adminToken: string): this {
    this.adminToken = adminToken;
    return this;
  }

  /** A deviation from the mock's deviations.ts, as `name` or `name=value`. */
  withDeviation(name: string, value?: string): this {
    this.deviations.push(value === undefined ? name : `${name}=${value}`);
    return this;
  }

  /** Starts with the common variables plus the mock's own, every port published on 127.0.0.1 only. */
  protected async startMock(environment: Record<string, string>): Promise<StartedTestContainer> {
    this.withEnvironment({
      SCIM_LAB_PORT: String(this.port),
      SCIM_LAB_ADMIN_TOKEN: this.adminToken,
      ...(this.deviations.length ? { SCIM_LAB_DEVIATIONS: this.deviations.join(',') } : {}),
      ...environment,
    });
    publishOnLoopback(this.hostConfig);
    return super.start();
  }
}

/** A started mock container: its origin from the host and its admin surface. */
export abstract class StartedMockContainer extends AbstractStartedContainer {
  protected constructor(
    started: StartedTestContainer,
    protected readonly port: number,
    private readonly adminToken: string,
  ) {
    super(started);
  }

  /** `http://<host>:<mapped port>`. */
  protected origin(): string {
    return `http://${this.getHost()}:${this.getMappedPort(this.port)}`;
  }

  getAdminUrl(): string {
    return `${this.origin()}/__admin`;
  }

  getAdminToken(): string {
    return this.adminToken;
  }
}
