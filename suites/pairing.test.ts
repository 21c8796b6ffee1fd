import { CODE42_DEVIATIONS } from '../mock-code42';
import { PINGONE_DEVIATIONS } from '../mock-pingone/deviations';
import { validateCatalogue } from './engine';
import { catalogue } from './catalogue';

// A paired deviation is `name` or `name=value`; its name must be one the mocks know. The provisioner and flow suites
// say which mock with a qualifier, `pingone:name` or `code42:name` (both mocks have a `drop-attribute`).
const KNOWN = new Set([...Object.keys(CODE42_DEVIATIONS), ...Object.keys(PINGONE_DEVIATIONS)]);
const TABLES: Record<string, object> = { pingone: PINGONE_DEVIATIONS, code42: CODE42_DEVIATIONS };
const nameOf = (entry: string) => entry.split('=')[0];
function known(entry: string): boolean {
  const qualified = /^(pingone|code42):(.*)$/.exec(entry);
  return qualified ? nameOf(qualified[2]) in TABLES[qualified[1]] : KNOWN.has(nameOf(entry));
}

describe('docs/reports.md the catalogue of every suite', () => {
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
        .filter((entry) => !known(entry))
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

describe('issue 6 §4 every mock-PingOne deviation is caught', () => {
  it('pairs every PINGONE_DEVIATIONS entry with a provisioner or flow requirement', () => {
    const paired = new Set(
      catalogue.flatMap((r) =>
        (r.pairedDeviations ?? []).filter((e) => e.startsWith('pingone:')).map((e) => nameOf(e.slice(8))),
      ),
    );
    expect(Object.keys(PINGONE_DEVIATIONS).filter((name) => !paired.has(name))).toEqual([]);
  });

  it('pairs the mock Code42 deviations allow-delete and ignore-active with flow requirements', () => {
    const flowPairs = catalogue.filter((r) => r.suite === 'flow').flatMap((r) => r.pairedDeviations ?? []);
    expect(flowPairs).toEqual(expect.arrayContaining(['code42:allow-delete', 'code42:ignore-active']));
  });
});
