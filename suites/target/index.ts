// The target suite (issue 5 §3): does this SCIM server behave as a Code42 target for PingOne, as the documents
// describe? Its checks reach the server over HTTP only, and compute nothing with the code they judge.
import type { CheckContext, Requirement } from '../engine';
import { authRequirements } from './auth';
import { createRequirements } from './create';
import { discoveryRequirements } from './discovery';
import { errorRequirements } from './errors';
import { lifecycleRequirements } from './lifecycle';
import { listRequirements } from './list';
import { lookupRequirements } from './lookup';
import { mappingRequirements } from './mapping';
import { mediaRequirements } from './media';
import { patchRequirements } from './patch';
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
  ...errorRequirements,
  ...listRequirements,
  ...mediaRequirements,
  ...mappingRequirements,
  ...lifecycleRequirements,
];
