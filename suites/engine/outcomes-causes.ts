// One failure per cause (issue 13 §3): a requirement may declare the requirements it rests on (`dependsOn`). When one
// of them went against the system under test, the dependant's own failure is a consequence of it, not a second
// finding: it is reported with "because X failed" and a `cause` field, and reports list root causes first.
import type { Level, RequirementResult, RunResult, Status } from './types';

/** A prerequisite ending in one of these is a cause: its verdict went against the system under test. */
const CAUSING: ReadonlySet<Status> = new Set<Status>(['failed', 'warned']);

/** A dependant in one of these is left alone: nothing went wrong with it. */
const UNAFFECTED: ReadonlySet<Status> = new Set<Status>(['passed', 'skipped']);

/** The status a failing check of this level gets (docs/reports.md). */
const failing = (level: Level): Status => (level === 'MUST' ? 'failed' : 'warned');

/**
 * The result as a dependant of the first of its prerequisites (in `dependsOn` order) that failed or warned among
 * `earlier`, or the result unchanged. A dependant that did not pass, or could not run, takes the failing status of its
 * own level and a reason that starts with the cause: `because C42-DELETE-REFUSED failed: …`.
 */
export function withCause(
  result: RequirementResult,
  earlier: ReadonlyMap<string, Pick<RequirementResult, 'id' | 'status'>>,
): RequirementResult {
  if (UNAFFECTED.has(result.status) || result.cause !== undefined) return result;
  const prerequisite = (result.dependsOn ?? [])
    .filter((id) => id !== result.id)
    .map((id) => earlier.get(id))
    .find((r) => r !== undefined && CAUSING.has(r.status));
  if (prerequisite === undefined) return result;
  const own = result.status === 'error' ? `this check then could not run: ${result.reason}` : result.reason;
  return {
    ...result,
    status: failing(result.level),
    cause: prerequisite.id,
    reason: `because ${prerequisite.id} ${prerequisite.status}: ${own}`,
  };
}

/**
 * Every requirement of a finished run with its cause, whatever the order the requirements ran in (suites run one after
 * another, and a flow requirement may rest on a target one). A dependant of a dependant names its own prerequisite as
 * `cause`; `rootCauseOf` follows the chain.
 */
export function attributeCauses<R extends Pick<RunResult, 'requirements' | 'summary'>>(result: R): R {
  const byId = new Map(result.requirements.map((r) => [r.id, r]));
  // A prerequisite may itself become a dependant: settle the chain by passes, at most once per requirement.
  for (let pass = 0; pass < result.requirements.length; pass++) {
    let changed = false;
    for (const r of byId.values()) {
      const attributed = withCause(r, byId);
      if (attributed !== r) {
        byId.set(r.id, attributed);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const requirements = result.requirements.map((r) => byId.get(r.id) ?? r);
  const summary = structuredClone(result.summary);
  for (const [index, before] of result.requirements.entries()) {
    const after = requirements[index];
    if (after.status === before.status) continue;
    summary[before.level][before.status] -= 1;
    summary[after.level][after.status] += 1;
  }
  return { ...result, requirements, summary, causes: countCauses(requirements) };
}

/**
 * What is wrong with a catalogue's `dependsOn` declarations: an id that names no requirement, a requirement that
 * depends on itself, a cycle. Empty when they are sound. (Checked over the whole catalogue, since a flow requirement
 * may depend on a target one.)
 */
export function dependencyProblems(requirements: readonly { id: string; dependsOn?: readonly string[] }[]): string[] {
  const ids = new Set(requirements.map((r) => r.id));
  const problems: string[] = [];
  for (const r of requirements) {
    for (const d of r.dependsOn ?? []) {
      if (d === r.id) problems.push(`${r.id}: depends on itself`);
      else if (!ids.has(d)) problems.push(`${r.id}: dependsOn names ${d}, which is no requirement`);
    }
  }
  const edges = new Map(requirements.map((r) => [r.id, (r.dependsOn ?? []).filter((d) => d !== r.id && ids.has(d))]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      problems.push(`dependsOn cycle: ${[...path.slice(path.indexOf(id)), id].join(' → ')}`);
      return;
    }
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  for (const id of edges.keys()) visit(id, []);
  return problems;
}

/** The requirement at the root of a chain of causes: itself when it has no cause. */
export function rootCauseOf(id: string, requirements: readonly Pick<RequirementResult, 'id' | 'cause'>[]): string {
  const byId = new Map(requirements.map((r) => [r.id, r]));
  const seen = new Set<string>();
  let current = id;
  while (!seen.has(current)) {
    seen.add(current);
    const cause = byId.get(current)?.cause;
    if (cause === undefined) return current;
    current = cause;
  }
  return current;
}

export interface CauseCounts {
  /** Requirements that failed or warned on their own account: each is a finding to take to an engineer. */
  rootCauses: number;
  /** Requirements that failed or warned because a prerequisite did. */
  dependants: number;
}

export function countCauses(requirements: readonly Pick<RequirementResult, 'status' | 'cause'>[]): CauseCounts {
  const against = requirements.filter((r) => CAUSING.has(r.status));
  const dependants = against.filter((r) => r.cause !== undefined).length;
  return { rootCauses: against.length - dependants, dependants };
}

/** The order in which reports list outcomes: what to look at first comes first. */
const RANK: Record<Status, number> = { failed: 0, error: 1, warned: 2, skipped: 4, passed: 5 };

/**
 * Root causes first (failed, then could-not-run, then warned), each followed by its dependants, then skipped, then
 * passed; catalogue order within each group. Stable: equal ranks keep the run's order.
 */
export function rootCausesFirst<R extends Pick<RequirementResult, 'id' | 'status' | 'cause'>>(
  requirements: readonly R[],
): R[] {
  const position = new Map(requirements.map((r, i) => [r.id, i]));
  const rootOf = (r: R) =>
    r.cause === undefined ? r : (requirements.find((x) => x.id === rootCauseOf(r.id, requirements)) ?? r);
  const key = (r: R): [number, number, number] => {
    const root = rootOf(r);
    // A dependant sorts right after its root cause.
    return [RANK[root.status] ?? 3, position.get(root.id) ?? 0, r === root ? 0 : 1 + (position.get(r.id) ?? 0)];
  };
  return [...requirements].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

/**
 * A report line's reason as the terminal, JUnit and HTML show it: `ID (source: "quote"): reason`, and for a
 * requirement that rests on an inference, `[inferred: why]` so that nobody takes it for a documented fact.
 */
export function describeOutcome(
  r: Pick<RequirementResult, 'id' | 'source' | 'quote' | 'reason' | 'inference'>,
): string {
  const inferred = r.inference === undefined ? '' : ` [inferred: ${r.inference}]`;
  return `${r.id} (${r.source}${r.quote ? `: "${r.quote}"` : ''})${inferred}: ${r.reason}`;
}
