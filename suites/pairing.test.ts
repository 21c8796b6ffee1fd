import { CODE42_DEVIATIONS } from '../mock-code42';
import { PINGONE_DEVIATIONS } from '../mock-pingone/deviations';
import { validateCatalogue } from './engine';
import { catalogue } from './catalogue';

// A paired deviation is `name` or `name=value`; its name must be one the mocks know.
const KNOWN = new Set([...Object.keys(CODE42_DEVIATIONS), ...Object.keys(PINGONE_DEVIATIONS)]);
const nameOf = (entry: string) => entry.split('=')[0];

describe('contracts.md §4 the catalogue of every suite', () => {
  it('follows the catalogue rules, with ids unique across suites', () => {
    expect(() => validateCatalogue(catalogue)).not.toThrow();
  });
});

describe('issue 5 §5 requirements are paired with the deviations that prove they can fail', () => {
  it('pairs every MUST requirement with at least one deviation', () => {
    const unpaired = catalogue.filter((r) => r.level === 'MUST' && (r.pairedDeviations ?? []).length === 0);
    expect(unpaired.map((r) => `${r.id} is a MUST with no paired deviation`)).toEqual([]);
  });

  it("names only deviations that exist in the mocks' tables", () => {
    const unknown = catalogue.flatMap((r) =>
      (r.pairedDeviations ?? [])
        .filter((entry) => !KNOWN.has(nameOf(entry)))
        .map((entry) => `${r.id} pairs '${entry}', which no mock knows`),
    );
    expect(unknown).toEqual([]);
  });

  it('lists each deviation at most once per requirement', () => {
    const repeated = catalogue
      .filter((r) => new Set(r.pairedDeviations ?? []).size !== (r.pairedDeviations ?? []).length)
      .map((r) => r.id);
    expect(repeated).toEqual([]);
  });
});
