// The generated requirements page (docs/requirements.md): the catalogue is data, so the page is rendered from it.
import type { CatalogueEntry } from './catalogue';
import { sectionOf, SUITES, type SuiteName } from './engine';

const SUITE_TITLES: Record<SuiteName, string> = {
  target: 'Target suite: a SCIM server as a Code42 target for PingOne',
  provisioner: 'Provisioner suite: a provisioner as the documents say PingOne behaves',
  flow: 'Flow suite: the seed flow end to end, PingOne to the target',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A plain-data view of one requirement (for `scim-lab requirements --format json`). */
export function describeRequirement(r: CatalogueEntry) {
  return {
    id: r.id,
    level: r.level,
    suite: r.suite,
    section: r.section ?? sectionOf(r.source),
    source: r.source,
    ...(r.quote ? { quote: r.quote } : {}),
    ...(r.inference ? { inference: r.inference } : {}),
    ...(r.accepts ? { accepts: r.accepts } : {}),
    ...(r.dependsOn?.length ? { dependsOn: r.dependsOn } : {}),
    title: r.title,
    pairedDeviations: r.pairedDeviations ?? [],
    needs: r.needs ?? [],
    ...(r.accepts ? { accepts: r.accepts } : {}),
    ...(r.dependsOn?.length ? { dependsOn: r.dependsOn } : {}),
  };
}

export function renderRequirementsMarkdown(catalogue: readonly CatalogueEntry[]): string {
  const lines = [
    '# Requirements',
    '',
    '<!-- Generated from the catalogue by `npm run docs:requirements`; a test fails when it is stale. Do not edit. -->',
    '',
    'Levels: **MUST** for what the seed guide or a vendor document states, and for RFC MUST, SHALL and REQUIRED text;',
    '**SHOULD** for RFC SHOULDs and inferences close to them; **INFO** for the other inferences (a failure warns, never',
    'fails). Sources are ids of [the source register](sources.md); the quote is from the first id. An inferred',
    'requirement says why it was inferred.',
    '"Accepts" says what the check allows because its source allows it. "Caught by" lists the mock deviations that',
    "must make the requirement fail or warn; the project's tests check it. A requirement that depends on another is",
    'reported as its dependant when that one failed.',
    '',
  ];
  const counts = (list: readonly CatalogueEntry[]) =>
    ['MUST', 'SHOULD', 'INFO'].map((l) => `${list.filter((r) => r.level === l).length} ${l}`).join(', ');
  lines.push(`${catalogue.length} requirements: ${counts(catalogue)}.`, '');
  for (const suite of SUITES) {
    const inSuite = catalogue.filter((r) => r.suite === suite);
    if (inSuite.length === 0) continue;
    lines.push(`## ${SUITE_TITLES[suite]}`, '', `${inSuite.length} requirements: ${counts(inSuite)}.`, '');
    const sections = [...new Set(inSuite.map((r) => r.section ?? sectionOf(r.source)))];
    for (const section of sections) {
      lines.push(
        `### ${section}`,
        '',
        '| Id | Level | Requirement | Source | Accepts | Caught by |',
        '|---|---|---|---|---|---|',
      );
      for (const r of inSuite.filter((x) => (x.section ?? sectionOf(x.source)) === section)) {
        const quoted = r.quote ? `${r.source}: “${r.quote}”` : r.source;
        const source = r.inference ? `${quoted} Inferred: ${r.inference}` : quoted;
        const caught = (r.pairedDeviations ?? []).map((d) => `\`${d}\``).join(', ') || '–';
        const title = r.dependsOn?.length ? `${r.title} (depends on ${r.dependsOn.join(', ')})` : r.title;
        const accepts = r.accepts ?? '–';
        lines.push(
          `| \`${r.id}\` | ${r.level} | ${cell(title)} | ${cell(source)} | ${cell(accepts)} | ${cell(caught)} |`,
        );
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
