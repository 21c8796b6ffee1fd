#!/usr/bin/env node
// Builds the live lab view (ui/, preact) into dist/ui/app.js and app.css with esbuild: one minified bundle, nothing
// fetched at run time. `--readme` also writes the bundle's size into the README (between the ui-bundle-size markers).
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');
const esbuild = require('esbuild');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'dist', 'ui');
const FILES = ['app.js', 'app.css'];
const MARKERS = ['<!-- ui-bundle-size:start -->', '<!-- ui-bundle-size:end -->'];

async function buildUi(outdir = OUT) {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'ui/main.tsx' },
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return bundleSizes(outdir);
}

/** Each file's bytes, raw and gzipped (level 9). */
function bundleSizes(outdir = OUT) {
  return FILES.map((file) => {
    const bytes = readFileSync(join(outdir, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

/** The README's table of the bundle's size. */
function sizeTable(sizes) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const rows = sizes.map((s) => `| \`dist/ui/${s.file}\` | ${kb(s.bytes)} | ${kb(s.gzip)} |`);
  const total = sizes.reduce((t, s) => ({ bytes: t.bytes + s.bytes, gzip: t.gzip + s.gzip }), { bytes: 0, gzip: 0 });
  return [
    '| File | Size | Gzipped |',
    '|---|---|---|',
    ...rows,
    `| total | ${kb(total.bytes)} | ${kb(total.gzip)} |`,
  ].join('\n');
}

/** The table as the README keeps it: formatted by prettier, with the repository's settings, so `npm run lint` agrees. */
async function formattedSizeTable(sizes) {
  const prettier = require('prettier');
  const options = (await prettier.resolveConfig(join(ROOT, 'README.md'))) ?? {};
  return (await prettier.format(sizeTable(sizes), { ...options, parser: 'markdown' })).trimEnd();
}

/** The table between the README's markers, or undefined without them. */
function readmeSizeTable(readme) {
  const [start, end] = MARKERS;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return readme.slice(from + start.length, to).trim();
}

/** The README with the table between the markers replaced. */
async function withSizeTable(readme, sizes) {
  const [start, end] = MARKERS;
  if (readmeSizeTable(readme) === undefined) throw new Error(`README.md: the markers ${start} … ${end} are missing`);
  const from = readme.indexOf(start) + start.length;
  return `${readme.slice(0, from)}\n\n${await formattedSizeTable(sizes)}\n\n${readme.slice(readme.indexOf(end))}`;
}

module.exports = { buildUi, bundleSizes, sizeTable, formattedSizeTable, readmeSizeTable, withSizeTable, MARKERS };

if (require.main === module) {
  buildUi()
    .then(async (sizes) => {
      if (process.argv.includes('--readme')) {
        const path = join(ROOT, 'README.md');
        writeFileSync(path, await withSizeTable(readFileSync(path, 'utf8'), sizes));
      }
      for (const s of sizes) console.error(`ui: dist/ui/${s.file} ${s.bytes} bytes (${s.gzip} gzipped)`);
    })
    .catch((err) => {
      console.error(`ui: build failed: ${err.message}`);
      process.exit(1);
    });
}
