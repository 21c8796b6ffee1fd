// The context of a target-suite check: clients bound to the requirement's evidence, seeded users, the run prefix.
import { randomBytes } from 'node:crypto';
import { createUserFactory } from '../../fixtures/users';
import { HttpClient, type TransportOptions } from './http-client';
import type { CheckContext, ContextFactory, ContextScope, RequirementBasics } from './types';

/** A system the suites reach over HTTP; its transport options (TLS trust, bounds) go to every client of it. */
export interface Endpoint extends TransportOptions {
  baseUrl: string;
  token: string;
}

export interface TargetContextOptions {
  /** The SCIM service provider under test. */
  target: Endpoint;
  /** Its /__admin surface, when known: gives the run the `admin` capability. */
  admin?: Endpoint;
}

/**
 * docs/reports.md: a per-run userName prefix, because a Code42-like target cannot delete what a run creates.
 * Random, not seeded: two runs with the same --seed must still not collide on the same target.
 */
export function createRunPrefix(): string {
  return `scimlab-${randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0')}-`;
}

/** FNV-1a of the id mixed with the run seed: each requirement gets the same users whatever `--only` selects. */
export function requirementSeed(seed: number, id: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of id) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The users of one requirement start with `<runPrefix><id in lower case>.`, so its leftovers on a target are traceable. */
export function requirementPrefix(runPrefix: string, id: string): string {
  return `${runPrefix}${id.toLowerCase()}.`;
}

/** The part of a context every suite builds the same way: the run's seed and prefix, seeded users, log, evidence. */
export function requirementBasics(scope: ContextScope): RequirementBasics {
  const { requirement, seed, runPrefix } = scope;
  return {
    requirement,
    seed,
    runPrefix,
    users: createUserFactory({
      seed: requirementSeed(seed, requirement.id),
      prefix: requirementPrefix(runPrefix, requirement.id),
    }),
    log: scope.log,
    evidence: scope.recorder,
    signal: scope.signal,
  };
}

export function targetContext(options: TargetContextOptions): ContextFactory<CheckContext> {
  return {
    capabilities: options.admin ? ['admin'] : [],
    create(scope: ContextScope): CheckContext {
      const { recorder, signal } = scope;
      const target = new HttpClient({ name: 'target', ...options.target, recorder, signal });
      const admin = options.admin
        ? new HttpClient({
            name: 'target admin',
            ...options.admin,
            recorder,
            signal,
            accept: 'application/json',
            contentType: 'application/json',
          })
        : undefined;
      return { ...requirementBasics(scope), target, ...(admin ? { admin } : {}) };
    },
  };
}
