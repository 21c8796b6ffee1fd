// Every suite's requirements in one list: for the catalogue rules, the pairing test (issue 5 §5) and the generated
// requirements page. Each suite appends its own.
import type { Requirement } from './engine';
import { flowRequirements } from './flow';
import { provisionerRequirements } from './provisioner';
import { targetRequirements } from './target';

/**
 * Suites check with different contexts, so the list is typed for reading its data (ids, levels, sources, pairs);
 * run a suite through its own list (e.g. `targetRequirements`), which keeps its context type.
 */
export type CatalogueEntry = Requirement<never>;

export const catalogue: readonly CatalogueEntry[] = [
  ...targetRequirements,
  ...provisionerRequirements,
  ...flowRequirements,
];
