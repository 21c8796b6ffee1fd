import { catalogue } from './catalogue';

// issue 13 §3 one failure per cause: a requirement names the requirements it rests on (`dependsOn`), so that a report
// can show one root cause with its dependants. The declarations must name real requirements and never loop.
describe('issue 13 §3 dependsOn declarations', () => {
  const byId = new Map(catalogue.map((r) => [r.id, r]));

  it('name only requirements of the catalogue, never the requirement itself', () => {
    const wrong = catalogue.flatMap((r) =>
      (r.dependsOn ?? [])
        .filter((id) => !byId.has(id) || id === r.id)
        .map((id) => `${r.id} depends on ${id}, ${id === r.id ? 'itself' : 'which no suite has'}`),
    );
    expect(wrong).toEqual([]);
  });

  it('form no cycle', () => {
    const cycles: string[] = [];
    const visit = (id: string, path: string[]): void => {
      if (path.includes(id)) {
        cycles.push([...path, id].join(' → '));
        return;
      }
      for (const next of byId.get(id)?.dependsOn ?? []) visit(next, [...path, id]);
    };
    for (const r of catalogue) visit(r.id, []);
    expect(cycles).toEqual([]);
  });
});

// issue 13 §2 no false alarms: every check says what it accepts that its source allows (listed in docs/requirements.md).
describe('issue 13 §2 accepts declarations', () => {
  it('are given on every requirement, as a sentence', () => {
    const missing = catalogue.filter((r) => typeof r.accepts !== 'string' || !/^\S.*[.)]$/s.test(r.accepts.trim()));
    expect(missing.map((r) => `${r.id} says nothing of what it accepts`)).toEqual([]);
  });
});
