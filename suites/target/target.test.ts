import { CODE42_DEVIATIONS, createCode42, type Code42Options } from '../../mock-code42';
import { runCatalogue, selectRequirements, targetContext, validateCatalogue, type RequirementResult } from '../engine';
import { targetRequirements } from './index';

// Fixed, so that a failure here can be repeated with `scim-lab conformance --seed 5`.
const SEED = 5;

/** A fresh mock Code42 with `deviations`, the target suite (or the requirements `ids`) run against it, then closed. */
async function runAgainst(
  deviations: string[],
  ids?: string[],
  options: Omit<Code42Options, 'deviations'> = {},
): Promise<RequirementResult[]> {
  const code42 = createCode42({ ...options, deviations });
  await code42.listen({ port: 0, host: '127.0.0.1' });
  try {
    const d = code42.describe();
    const result = await runCatalogue(targetRequirements, {
      context: targetContext({
        target: { baseUrl: d.baseUrl, token: d.token },
        admin: { baseUrl: d.adminUrl, token: d.adminToken },
      }),
      only: ids,
      seed: SEED,
    });
    return result.requirements;
  } finally {
    await code42.close();
  }
}

const summary = (r: RequirementResult) => `${r.id}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;

describe('issue 5 §3 the target suite catalogue', () => {
  it('follows the catalogue rules of docs/reports.md', () => {
    expect(() => validateCatalogue(targetRequirements)).not.toThrow();
  });

  it('gives each requirement an id that `--only` selects alone', () => {
    const crowded = targetRequirements
      .map((r) => ({ id: r.id, selects: selectRequirements(targetRequirements, [r.id]).map((s) => s.id) }))
      .filter(({ id, selects }) => selects.length !== 1 || selects[0] !== id);
    expect(crowded).toEqual([]);
  });

  it('belongs to the target suite, and only Code42-side (C42-) requirements need the admin surface', () => {
    expect(targetRequirements.filter((r) => r.suite !== 'target').map((r) => r.id)).toEqual([]);
    const needingAdmin = targetRequirements.filter((r) => r.needs?.includes('admin')).map((r) => r.id);
    expect(needingAdmin.filter((id) => !id.startsWith('C42-'))).toEqual([]);
  });
});

describe('issue 5 §5 the unmodified mock Code42 passes the target suite', () => {
  it('ends every requirement passed', async () => {
    const results = await runAgainst([]);
    expect(results.map((r) => r.id)).toEqual(targetRequirements.map((r) => r.id));
    // The mock declares sort.supported: false (RFC 7644 §3.4.2.3 makes sorting optional), so SCIM-SORT is skipped.
    const notSorted = (r: RequirementResult) => r.id === 'SCIM-SORT' && r.status === 'skipped';
    expect(results.filter((r) => r.status !== 'passed' && !notSorted(r)).map(summary)).toEqual([]);
  });

  // the Code42 entries of docs/sources.md: the refusal's status is configurable (400, 403, 405, 501); each one conforms.
  it.each([400, 403, 501] as const)('accepts a deletion refused with %i', async (deleteStatus) => {
    const ids = ['C42-DELETE-REFUSED', 'C42-DELETE-STATUS'];
    const results = await runAgainst([], ids, { deleteStatus });
    expect(results.map(summary)).toEqual(ids.map((id) => `${id}: passed`));
  });
});

describe('issue 5 §5 every mock Code42 deviation is caught', () => {
  // `drop-attribute=<path>` is paired once per path: each value is a bug of its own.
  const pairedEntries = (name: string): string[] => [
    ...new Set(
      targetRequirements
        .flatMap((r) => r.pairedDeviations ?? [])
        .filter((entry) => entry === name || entry.startsWith(`${name}=`)),
    ),
  ];

  it.each(Object.keys(CODE42_DEVIATIONS))('%s makes every requirement paired with it fail or warn', async (name) => {
    const entries = pairedEntries(name);
    if (entries.length === 0) {
      throw new Error(`deviation ${name} is not caught by any requirement: none lists it in pairedDeviations`);
    }
    for (const entry of entries) {
      const ids = targetRequirements.filter((r) => r.pairedDeviations?.includes(entry)).map((r) => r.id);
      const results = await runAgainst([entry], ids);
      expect({ entry, ran: results.map((r) => r.id) }).toEqual({ entry, ran: ids });
      const notCaught = results.filter((r) => r.status !== 'failed' && r.status !== 'warned');
      expect({ entry, notCaught: notCaught.map(summary) }).toEqual({ entry, notCaught: [] });
    }
  });
});

describe('issue 13 §5 C42-EXTRA-ATTRIBUTES says why the extension did not round-trip', () => {
  it('says that /ResourceTypes does not declare the enterprise extension, when it does not', async () => {
    const [result] = await runAgainst(['no-enterprise-extension'], ['C42-EXTRA-ATTRIBUTES']);
    expect(result.status).toBe('failed');
    expect(result.reason).toContain(
      "the target's /ResourceTypes does not declare urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    );
  });
});
