import { catalogue } from './catalogue';
import { dependencyProblems } from './engine';

// Issue 13 §3: a dependant is reported as a consequence of its prerequisite, so a misspelt or circular `dependsOn`
// would silently report a real finding as a root cause (or never settle). The whole catalogue is checked at once,
// because a flow requirement may rest on a target one.
describe('issue 13 §3 the catalogue declares sound dependencies', () => {
  it('names only requirements of the catalogue in dependsOn, none of them itself, with no cycle', () => {
    expect(dependencyProblems(catalogue)).toEqual([]);
  });

  it('puts every prerequisite in the same suite or in one that runs before (target, provisioner, flow)', () => {
    const order = ['target', 'provisioner', 'flow'];
    const suiteOf = new Map(catalogue.map((r) => [r.id, r.suite]));
    const late = catalogue.flatMap((r) =>
      (r.dependsOn ?? [])
        .filter((d) => order.indexOf(suiteOf.get(d) ?? r.suite) > order.indexOf(r.suite))
        .map((d) => `${r.id} (${r.suite}) depends on ${d} (${suiteOf.get(d)}), which runs later`),
    );
    expect(late).toEqual([]);
  });
});
