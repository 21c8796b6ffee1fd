/**
 * `scim-lab/containers`: testcontainers modules for the scim-lab image. Needs the `testcontainers` package (12.0.1 on
 * Node 20).
 *
 * @packageDocumentation
 * @module scim-lab/containers
 */
export {
  CODE42_BASE_PATH,
  CODE42_PORT,
  DEFAULT_IMAGE,
  HEALTH_PATH,
  MockCode42Container,
  StartedMockCode42Container,
} from './mock-code42-container';
export {
  MockPingOneContainer,
  PINGONE_API_PATH,
  PINGONE_PORT,
  StartedMockPingOneContainer,
  type PingOneIds,
} from './mock-pingone-container';
export { CODE42_ALIAS, PINGONE_ALIAS, startWiredLab, type StartedWiredLab, type WiredLabOptions } from './wired-lab';
