// Issue 16 §3, `conformance --profile all`: one column per profile in every report that lists requirements. A run over
// several profiles names them (`RunResult.profiles`), and each requirement carries its verdict under each profile it
// ran under (`byProfile`): a check of one profile's traffic under that profile only, the rest of the target suite
// under every profile, the provisioner suite under the profile it judged. The reporters read them from here.
import type { RequirementResult, RunResult, Status } from './types';

/** Sets `profiles` and each requirement's `byProfile`; `profilesOf` says which of `profiles` a requirement ran under. */
export function withProfileColumns(
  result: RunResult,
  profiles: readonly string[],
  profilesOf: (requirement: RequirementResult) => readonly string[],
): RunResult {
  return {
    ...result,
    profiles: [...profiles],
    requirements: result.requirements.map((r) => {
      const under = profilesOf(r).filter((p) => profiles.includes(p));
      return { ...r, byProfile: Object.fromEntries(under.map((p) => [p, r.status])) };
    }),
  };
}

/** One row per requirement: its verdict in each profile's column, `undefined` where it did not run under it. */
export interface ProfileRow {
  requirement: RequirementResult;
  cells: (Status | undefined)[];
}

/** The columns and rows of a run over several profiles, or undefined for a run over one. */
export function profileTable(
  result: RunResult,
  requirements: readonly RequirementResult[] = result.requirements,
): { profiles: string[]; rows: ProfileRow[] } | undefined {
  const profiles = result.profiles;
  if (!profiles || profiles.length < 2) return undefined;
  return {
    profiles,
    rows: requirements.map((requirement) => ({
      requirement,
      cells: profiles.map((p) => requirement.byProfile?.[p]),
    })),
  };
}
