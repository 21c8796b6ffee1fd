// Writes the reports of docs/cli.md `--report junit=PATH,json=PATH,html=PATH,har=PATH`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Exchange, RunResult } from '../types';
import { UsageError } from '../outcomes';
import { toHar } from './har';
import { toHtml, type HtmlOptions } from './html';
import { toJUnit } from './junit';

export type ReportFormat = 'junit' | 'json' | 'html' | 'har';
export const REPORT_FORMATS: readonly ReportFormat[] = ['junit', 'json', 'html', 'har'];
export type ReportPaths = Partial<Record<ReportFormat, string>>;

/** Parses `junit=PATH,json=PATH,…`; a bad entry is a UsageError naming it. */
export function parseReportOption(spec: string): ReportPaths {
  const paths: ReportPaths = {};
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const format = (eq < 0 ? part : part.slice(0, eq)).trim() as ReportFormat;
    const path = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!REPORT_FORMATS.includes(format)) {
      throw new UsageError(`--report: unknown format "${format}" in "${part}"; use ${REPORT_FORMATS.join(', ')}`);
    }
    if (path === '')
      throw new UsageError(
        `--report: "${part}" needs a path, e.g. ${format}=reports/scim-lab.${format === 'junit' ? 'xml' : format}`,
      );
    if (paths[format] !== undefined) throw new UsageError(`--report: ${format} is given twice`);
    paths[format] = path;
  }
  if (Object.keys(paths).length === 0) throw new UsageError('--report: give at least one FORMAT=PATH');
  return paths;
}

export function toJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Writes each requested report (creating folders) and returns the paths written. */
export async function writeReports(
  result: RunResult,
  exchanges: readonly Exchange[],
  paths: ReportPaths,
  options: HtmlOptions & { droppedExchanges?: number } = {},
): Promise<string[]> {
  const outputs: [string | undefined, () => string][] = [
    [paths.junit, () => toJUnit(result)],
    [paths.json, () => toJson(result)],
    [paths.har, () => `${JSON.stringify(toHar(exchanges, result.tool, options.droppedExchanges), null, 2)}\n`],
    [paths.html, () => toHtml(result, exchanges, options)],
  ];
  const written: string[] = [];
  for (const [path, render] of outputs) {
    if (path === undefined) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, render(), 'utf8');
    written.push(path);
  }
  return written;
}
