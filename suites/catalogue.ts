// Every suite's requirements in one list, the only one: the run and its plan (suites/conformance.ts), the
// `requirements` command, the generated page, the pairing and citation tests all read it. Each suite appends its own.
// The rules a list must obey are in engine/catalogue-rules.ts.
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
