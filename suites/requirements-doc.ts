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
    'Levels (contracts.md §4): **MUST** for [SEED] and [DOC] facts and the RFC MUSTs the flow relies on; **SHOULD** for',
    'RFC SHOULDs; **INFO** whenever the source includes an [INF] inference (a failure warns, never fails).',
    '"Caught by" lists the mock deviations that must make the requirement fail or warn; the project\'s tests check it.',
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
      lines.push(`### ${section}`, '', '| Id | Level | Requirement | Source | Caught by |', '|---|---|---|---|---|');
      for (const r of inSuite.filter((x) => (x.section ?? sectionOf(x.source)) === section)) {
        const source = r.quote ? `${r.source}: “${r.quote}”` : r.source;
        const caught = (r.pairedDeviations ?? []).map((d) => `\`${d}\``).join(', ') || '–';
        const title = r.accepts ? `${r.title}<br>*Accepts:* ${r.accepts}` : r.title;
        lines.push(`| \`${r.id}\` | ${r.level} | ${cell(title)} | ${cell(source)} | ${cell(caught)} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
