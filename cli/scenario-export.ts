// `conformance --export-scenarios DIR`: one scenario per requirement that failed or warned, which reproduces it
// (docs/scenarios.md). Its step is the requirement's own check with the run's seed: the expectation is what the
// catalogue's literal fixtures expect, never the answers recorded in the failed run (they are the bug). The recorded
// exchanges go into `evidence`, for the reader. The deviations of the run's embedded mocks go into `reproduces`, so
// `scenario run --reproduce` brings the failure back and a plain `scenario run` shows a clean lab passing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../lab/scenario';
import type { ConformanceRun } from '../suites/conformance';
import type { RequirementResult } from '../suites/engine';

export interface ExportContext {
  /** `code42:NAME` / `pingone:NAME[=VALUE]` of the run's embedded mocks. */
  deviations?: string[];
  /** The --target of the run, when it had one. */
  target?: string;
}

const FAILED = new Set(['failed', 'warned']);

function scenarioOf(r: RequirementResult, seed: number, context: ExportContext): Scenario {
  const against = context.target ? `against ${context.target}` : 'against the embedded mocks';
  const deviations = context.deviations ?? [];
  return {
    scenario: 1,
    name: `${r.id}: ${r.title}`,
    description:
      `Exported by scim-lab conformance --export-scenarios: ${r.id} (${r.level}, ${r.source}) ${r.status} in a run ` +
      `with seed ${seed} ${against}${deviations.length ? ` with ${deviations.join(', ')}` : ''}. The step runs the ` +
      `requirement's check again with that seed; evidence holds the exchanges the failed run recorded.`,
    reproduces: {
      bug: `${r.id} ${r.status}: ${r.reason}`,
      requirement: r.id,
      seed,
      deviations,
      ...(context.target && { target: context.target }),
    },
    steps: [{ conformance: { requirement: r.id, seed, ...(r.profile && { profile: r.profile }) } }],
    evidence: r.evidence,
  };
}

/** Writes DIR/<id>.json for each failed or warned requirement; returns the paths written. */
export function exportScenarios(run: ConformanceRun, dir: string, context: ExportContext = {}): string[] {
  const failed = run.result.requirements.filter((r) => FAILED.has(r.status));
  if (failed.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  return failed.map((r) => {
    const path = join(dir, `${r.id.toLowerCase()}.json`);
    writeFileSync(path, `${JSON.stringify(scenarioOf(r, run.result.seed, context), null, 2)}\n`);
    return path;
  });
}
