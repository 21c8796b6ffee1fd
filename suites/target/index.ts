// The target suite (issue 5 §3): does this SCIM server behave as a Code42 target for PingOne, as the documents
// describe? Its checks reach the server over HTTP only, and compute nothing with the code they judge.
import type { CheckContext, Requirement } from '../engine';
import { attributeMappingRequirements } from './attribute-mapping';
import { authRequirements } from './auth';
import { capabilityRequirements } from './capabilities';
import { deactivationRequirements } from './code42-deactivation';
import { lifecycleEdgeRequirements } from './code42-lifecycle-edges';
import { createRequirements } from './create';
import { discoveryRequirements } from './discovery';
import { groupRequirements } from './groups';
import { errorRequirements } from './errors';
import { listRequirements } from './list';
import { lookupRequirements } from './lookup';
import { mediaRequirements } from './media';
import { patchRequirements } from './patch';
import { profileRequirements } from './profiles';
import { removeActionRequirements } from './remove-action';
import { updateRequirements } from './update';

/** In the order a report reads best: connection, discovery, the provisioning flow, errors, then the mapping. */
export const targetRequirements: Requirement<CheckContext>[] = [
  ...authRequirements,
  ...discoveryRequirements,
  ...createRequirements,
  ...lookupRequirements,
  ...updateRequirements,
  ...removeActionRequirements,
  ...patchRequirements,
  ...capabilityRequirements,
  ...errorRequirements,
  ...listRequirements,
  ...mediaRequirements,
  ...attributeMappingRequirements,
  ...deactivationRequirements,
  ...profileRequirements,
  ...lifecycleEdgeRequirements,
  ...groupRequirements,
];
