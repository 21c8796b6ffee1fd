// The flow suite (issue 6 §3): the seed's flow end to end, through a mock PingOne configured as the seed document says,
// into a target — the embedded mock Code42 by default, or any server given with --target.
import type { Requirement } from '../engine';
import { changeRequirements } from './changes';
import { code42Requirements } from './code42';
import { groupScaleRequirement } from './group-scale';
import { groupRequirements } from './groups';
import type { FlowContext } from './context';
import { statusRequirements } from './status';

export {
  flowContext,
  type FlowContext,
  type FlowContextOptions,
  type FlowContextFactory,
  type FlowIds,
  type ExternalPingOne,
} from './context';

export const flowRequirements: Requirement<FlowContext>[] = [
  ...changeRequirements,
  ...statusRequirements,
  ...code42Requirements,
  ...groupRequirements,
  groupScaleRequirement,
];
