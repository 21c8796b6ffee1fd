// The register of public sources (docs/sources.md) as data: what the citation test and the requirements page read.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One entry of docs/sources.md: `### ID`, a description with the document's URL, and `>` lines of verbatim text. */
export interface RegisterEntry {
  id: string;
  /** The entry's prose: the document's title and where it is. */
  description: string;
  /** The public URL the entry names. */
  url: string | undefined;
  /** Verbatim passages, one per `>` line. */
  passages: string[];
}

/** Register ids: `SEED-6.1`, `RFC7644-3.5.2`, `PING-SCIM-LIMITS`, `C42-PINGONE-PROVISIONING`. */
export const SOURCE_ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9.]+)+$/;

export const REGISTER_PATH = join(__dirname, '..', 'docs', 'sources.md');

/** The seed guide's file name; CI keeps it beside the repository, a user's clone may not have it. */
export const SEED_GUIDE_NAME = 'code42-pingone-scim-provisioning.txt';

/** Runs of white space collapsed to one space: documents wrap lines and lay out tables differently. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseRegister(markdown: string): Map<string, RegisterEntry> {
  const entries = new Map<string, RegisterEntry>();
  let current: RegisterEntry | undefined;
  // An entry without a URL of its own takes the first URL of its `##` section (the seed's steps share one page).
  let sectionUrl: string | undefined;
  for (const line of markdown.split('\n')) {
    const url = /<(https:\/\/[^>\s]+)>/.exec(line)?.[1];
    const heading = /^### (\S+)\s*$/.exec(line);
    if (heading) {
      current = { id: heading[1], description: '', url: sectionUrl, passages: [] };
      if (entries.has(current.id)) throw new Error(`docs/sources.md: the id ${current.id} is used twice`);
      entries.set(current.id, current);
      continue;
    }
    if (/^#{1,2} /.test(line)) {
      current = undefined;
      sectionUrl = undefined;
      continue;
    }
    if (!current) {
      sectionUrl ??= url;
      continue;
    }
    if (line.startsWith('> ')) {
      current.passages.push(normalize(line.slice(2)));
    } else {
      current.description = normalize(`${current.description} ${line}`);
      if (url !== undefined && current.url === sectionUrl) current.url = url;
    }
  }
  return entries;
}

export function readRegister(path = REGISTER_PATH): Map<string, RegisterEntry> {
  return parseRegister(readFileSync(path, 'utf8'));
}

/** The register ids a requirement's `source` names, in order: `SEED-6.1; PING-SCIM-LIMITS`. */
export function sourceIds(source: string): string[] {
  return source
    .split(';')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** True when `quote` occurs in one passage of the entry (white space collapsed). */
export function quotedIn(entry: RegisterEntry, quote: string): boolean {
  const wanted = normalize(quote);
  return entry.passages.some((passage) => passage.includes(wanted));
}

/**
 * The seed guide's path: `SCIM_LAB_SEED_GUIDE`, else the first `code42-pingone-scim-provisioning.txt` found in a
 * folder above the repository or up to two levels below one of those folders. Undefined when there is none.
 */
export function findSeedGuide(from = join(__dirname, '..'), env = process.env): string | undefined {
  const given = env.SCIM_LAB_SEED_GUIDE;
  if (given !== undefined && given !== '') return existsSync(given) ? given : undefined;
  let dir = dirname(from);
  for (let up = 0; up < 3; up++) {
    const found = searchBelow(dir, 2);
    if (found) return found;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function searchBelow(dir: string, depth: number): string | undefined {
  const direct = join(dir, SEED_GUIDE_NAME);
  if (existsSync(direct)) return direct;
  if (depth === 0) return undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const child = join(dir, name);
    try {
      if (!statSync(child).isDirectory()) continue;
    } catch {
      continue;
    }
    const found = searchBelow(child, depth - 1);
    if (found) return found;
  }
  return undefined;
}
