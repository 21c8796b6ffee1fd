// The provisioner suite (issue 6 §2): does a provisioner behave as the documents say PingOne does? It steers the
// provisioner with a driver (docs/driver-protocol.md), points it at a fresh mock Code42 per requirement, and judges what
// arrived from that mock's state and journal, over HTTP only.
import type { Requirement } from '../engine';
import { changeRequirements } from './changes';
import { connectionRequirements } from './connection';
import type { ProvisionerContext } from './context';
import { groupRequirements } from './groups';
import { provisionedValueRequirements } from './provisioned-values';
import { retryRequirements } from './retries';
import { toggleRequirements } from './toggles';

export {
  provisionerContext,
  SEED_DRIVER_SETTINGS,
  type ProvisionerContext,
  type ProvisionerContextOptions,
  type ProvisionerContextFactory,
  type GroupStepOptions,
  type EmbeddedPingOneOptions,
  type StepRecord,
} from './context';
export { FAST_RETRY } from '../embedded-mocks';
export { DEFAULT_DRIVER_PROFILE, notApplicableUnder, profileCapabilities } from './profile';

/** In the order of a provisioning conversation: connection and lookup, changes, toggles, mapping, retries, groups. */
export const provisionerRequirements: Requirement<ProvisionerContext>[] = [
  ...connectionRequirements,
  ...changeRequirements,
  ...toggleRequirements,
  ...provisionedValueRequirements,
  ...retryRequirements,
  ...groupRequirements,
];
