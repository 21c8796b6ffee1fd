import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Issue 17 §4: the README states the lab view's bundle size as scripts/build-ui.js measures it, never typed by hand.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ui = require('./build-ui.js') as {
  buildUi(outdir?: string): Promise<{ file: string; bytes: number; gzip: number }[]>;
  sizeTable(sizes: unknown): string;
  readmeSizeTable(readme: string): string | undefined;
};

/** A markdown table's cells, trimmed, without its separator row. */
const cells = (table: string) =>
  table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|-]+\|$/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

describe('README.md "Watch the lab live in a browser"', () => {
  it('states the size of the bundle that npm run build makes (npm run ui:size writes it)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'scim-lab-ui-'));
    try {
      const sizes = await ui.buildUi(out);
      expect(sizes.map((s) => s.file)).toEqual(['app.js', 'app.css']);
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      // Cell by cell: prettier pads the README's table (jest cannot load prettier 3 to format it here).
      expect(cells(ui.readmeSizeTable(readme) ?? 'the ui-bundle-size markers are missing')).toEqual(
        cells(ui.sizeTable(sizes)),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
