// The rules every requirement list obeys, checked before anything runs, and the `--only` selection of the CLI.
// (The list itself is suites/catalogue.ts.)
import { CatalogueError, UsageError } from './outcomes';
import { LEVELS, SUITES, type Level, type Requirement } from './types';

export const ID_PATTERN = /^(SCIM|C42|P1|MAP|FLOW)-[A-Z0-9]+(-[A-Z0-9]+)*$/;

/** Throws a CatalogueError naming the first requirement that breaks a rule. */
export function validateCatalogue<C>(requirements: readonly Requirement<C>[]): void {
  const seen = new Set<string>();
  for (const [index, r] of requirements.entries()) {
    const name = typeof r.id === 'string' && r.id !== '' ? r.id : `requirement #${index + 1}`;
    if (typeof r.id !== 'string' || !ID_PATTERN.test(r.id)) {
      throw new CatalogueError(
        `${name}: id must match PREFIX-TOPIC[-DETAIL] in upper case with PREFIX one of SCIM, C42, P1, MAP, FLOW`,
      );
    }
    if (seen.has(r.id)) throw new CatalogueError(`${r.id}: the id is used twice`);
    seen.add(r.id);
    if (!LEVELS.includes(r.level)) {
      throw new CatalogueError(`${r.id}: level must be MUST, SHOULD or INFO, got ${JSON.stringify(r.level)}`);
    }
    if (!SUITES.includes(r.suite)) {
      throw new CatalogueError(`${r.id}: suite must be target, provisioner or flow, got ${JSON.stringify(r.suite)}`);
    }
    if (typeof r.source !== 'string' || r.source.trim() === '') throw new CatalogueError(`${r.id}: source is empty`);
    if (typeof r.title !== 'string' || r.title.trim() === '') throw new CatalogueError(`${r.id}: title is empty`);
    if (r.timeoutMs !== undefined && !(Number.isInteger(r.timeoutMs) && r.timeoutMs > 0)) {
      throw new CatalogueError(`${r.id}: timeoutMs must be a positive integer, got ${r.timeoutMs}`);
    }
    if (typeof r.check !== 'function') throw new CatalogueError(`${r.id}: check is not a function`);
    // An inference is never a MUST (docs/sources.md); a requirement that mixes a documented and an inferred part is split.
    if (r.inference !== undefined && (typeof r.inference !== 'string' || r.inference.trim() === '')) {
      throw new CatalogueError(`${r.id}: inference must say why the requirement is inferred`);
    }
    if (r.inference !== undefined && r.level === 'MUST') {
      throw new CatalogueError(`${r.id}: it rests on an inference, so its level must be SHOULD or INFO, not MUST`);
    }
    if (/\bINF\b/.test(r.source) && r.level !== 'INFO') {
      throw new CatalogueError(
        `${r.id}: its source "${r.source}" includes an [INF] inference, so its level must be INFO, not ${r.level}; split it if it mixes sources`,
      );
    }
  }
}

/**
 * `--only IDS|LEVELS`: each entry is a level (MUST, SHOULD, INFO), an exact id, or an id prefix
 * on dash boundaries (`C42`, `C42-`, `C42-*`, `C42-DELETE`). Entries are unioned, case-insensitively. An entry that
 * matches nothing is a usage error, so a typo never silently shrinks a run.
 */
export function selectRequirements<R extends { id: string; level: Level }>(
  requirements: readonly R[],
  only?: readonly string[],
): R[] {
  if (only === undefined) return [...requirements];
  const entries = only.map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0)
    throw new UsageError('--only: give at least one id, id prefix or level (MUST, SHOULD, INFO)');
  const matchers = entries.map((entry) => {
    const upper = entry.toUpperCase();
    if ((LEVELS as readonly string[]).includes(upper)) return { entry, matches: (r: R) => r.level === upper };
    const stem = upper.replace(/-?\*$/, '').replace(/-$/, '');
    return { entry, matches: (r: R) => r.id === stem || r.id.startsWith(`${stem}-`) };
  });
  for (const { entry, matches } of matchers) {
    if (!requirements.some(matches)) {
      const prefixes = [...new Set(requirements.map((r) => r.id.split('-')[0]))].join(', ');
      throw new UsageError(
        `--only: "${entry}" matches no requirement; use an id, an id prefix (${prefixes || 'none in this catalogue'}) or a level (MUST, SHOULD, INFO)`,
      );
    }
  }
  return requirements.filter((r) => matchers.some((m) => m.matches(r)));
}
