import type { StartedTestContainer } from 'testcontainers';
import { DEFAULT_IMAGE, MockContainer, StartedMockContainer, newContainerToken } from './mock-container';

export { DEFAULT_IMAGE, HEALTH_PATH, STARTUP_TIMEOUT_MS, newContainerToken } from './mock-container';

/** The port the mock Code42 listens on inside its container. */
export const CODE42_PORT = 8080;
/** The mock's SCIM base path (its `--base-path` default). */
export const CODE42_BASE_PATH = '/scim/v2';

/**
 * The mock Code42 (`scim-lab code42`) as a testcontainers module:
 * `const code42 = await new MockCode42Container().withDeviation('allow-delete').start()`.
 * It is configured through the SCIM_LAB_* variables of docs/cli.md; tokens are generated when not given.
 */
export class MockCode42Container extends MockContainer {
  private token = newContainerToken();
  private deleteStatus?: 400 | 403 | 405 | 501;

  constructor(image: string = DEFAULT_IMAGE) {
    super(image, ['code42'], CODE42_PORT);
  }

  /** The SCIM bearer token of the first provider (`--token`). */
  withToken(token: string): this {
    this.token = token;
    return this;
  }

  /** The status of the user-deletion refusal (`--delete-status`). */
  withDeleteStatus(status: 400 | 403 | 405 | 501): this {
    this.deleteStatus = status;
    return this;
  }

  override async start(): Promise<StartedMockCode42Container> {
    const started = await this.startMock({
      SCIM_LAB_TOKEN: this.token,
      ...(this.deleteStatus ? { SCIM_LAB_DELETE_STATUS: String(this.deleteStatus) } : {}),
    });
    return new StartedMockCode42Container(started, this.token, this.adminToken);
  }
}

export class StartedMockCode42Container extends StartedMockContainer {
  constructor(
    started: StartedTestContainer,
    private readonly token: string,
    adminToken: string,
  ) {
    super(started, CODE42_PORT, adminToken);
  }

  /** The SCIM base URL from the host, e.g. `http://localhost:32768/scim/v2`. */
  getBaseUrl(): string {
    return this.origin() + CODE42_BASE_PATH;
  }

  getToken(): string {
    return this.token;
  }

  /** The SCIM base URL seen from another container on a shared network, by one of this container's aliases. */
  getNetworkBaseUrl(alias: string): string {
    return `http://${alias}:${CODE42_PORT}${CODE42_BASE_PATH}`;
  }
}
