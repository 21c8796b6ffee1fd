import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue } from './catalogue';
import { renderRequirementsMarkdown } from './requirements-doc';

describe('the generated requirements page', () => {
  it('docs/requirements.md is the page rendered from the current catalogue (run `npm run docs:requirements`)', () => {
    const onDisk = readFileSync(join(__dirname, '..', 'docs', 'requirements.md'), 'utf8');
    expect(onDisk.trimEnd()).toBe(renderRequirementsMarkdown(catalogue).trimEnd());
  });

  it('lists every requirement of the catalogue once, with its level and source', () => {
    const page = renderRequirementsMarkdown(catalogue);
    for (const r of catalogue) {
      const rows = page.split('\n').filter((line) => line.startsWith(`| \`${r.id}\` |`));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(`| ${r.level} |`);
    }
  });
});
