import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROFILES } from '../fixtures/profiles';
import { catalogue } from './catalogue';
import {
  findSeedGuide,
  normalize,
  parseRegister,
  quotedIn,
  readRegister,
  SOURCE_ID_PATTERN,
  sourceIds,
} from './sources';

const ROOT = join(__dirname, '..');
const register = readRegister();

/** Markdown files of the repository, except generated or installed ones. */
function markdownFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || ['node_modules', 'dist', 'coverage', 'api'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** Words that cite the team's working notes, which live outside the repository. */
const OUTSIDE_NAMES = /\.\.\/shared|behavior-notes|contracts\.md/;

/** What in `text` cites a file outside the repository: working-note names, or a relative link that leaves it. */
function outsideCitations(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (OUTSIDE_NAMES.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:|^#/.test(target)) continue;
      const resolved = resolve(dirname(file), target.split('#')[0]);
      if (relative(ROOT, resolved).startsWith('..')) found.push(`${relative(ROOT, file)}:${i + 1}: links ${target}`);
    }
  });
  return found;
}

describe('the source register, docs/sources.md', () => {
  it('gives every entry an id of the register form, a public https URL and at least one verbatim passage', () => {
    expect(register.size).toBeGreaterThan(0);
    for (const entry of register.values()) {
      expect({ id: entry.id, ok: SOURCE_ID_PATTERN.test(entry.id) }).toEqual({ id: entry.id, ok: true });
      expect({ id: entry.id, url: entry.url?.startsWith('https://') }).toEqual({ id: entry.id, url: true });
      expect({ id: entry.id, passages: entry.passages.length > 0 }).toEqual({ id: entry.id, passages: true });
    }
  });

  it('holds the RFC sections the checks cite', () => {
    const wanted = [
      'RFC7231-7.1.2',
      'RFC7643-2.3.7',
      'RFC7644-3.5.2',
      'RFC7644-3.5.2.1',
      'RFC7644-3.5.2.2',
      'RFC7644-3.5.2.3',
      'RFC7644-3.14',
      'RFC7644-3.4.2.2',
      'RFC7644-3.4.2.3',
      'RFC7644-3.4.2.4',
      'RFC7644-3.12',
      'RFC6750-3.1',
    ];
    expect(wanted.filter((id) => !register.has(id))).toEqual([]);
  });

  it('refuses a register that uses an id twice', () => {
    expect(() => parseRegister('### SEED-1\n<https://a.example>\n> a\n### SEED-1\n> b\n')).toThrow(/SEED-1.*twice/);
  });

  it('reads quotes with white space collapsed, and only from the entry they are under', () => {
    const parsed = parseRegister(
      '## A\n### SEED-1\nStep 1 <https://a.example>\n>   one\n>  two   words\n## B\n> not quoted\n',
    );
    const entry = parsed.get('SEED-1')!;
    expect(entry.passages).toEqual(['one', 'two words']);
    expect(quotedIn(entry, 'two\n words')).toBe(true);
    expect(quotedIn(entry, 'not quoted')).toBe(false);
  });
});

describe('every requirement cites the register', () => {
  it('cites only ids that are entries of docs/sources.md', () => {
    const unknown = catalogue.flatMap((r) =>
      sourceIds(r.source)
        .filter((id) => !register.has(id))
        .map((id) => `${r.id} cites ${JSON.stringify(id)}`),
    );
    expect(unknown).toEqual([]);
  });

  it("quotes words that occur in a passage of its first source's entry", () => {
    const misquoted = catalogue
      .filter((r) => r.quote !== undefined)
      .filter((r) => {
        const first = register.get(sourceIds(r.source)[0]);
        return first === undefined || !quotedIn(first, r.quote!);
      })
      .map((r) => `${r.id}: "${r.quote}" is not in ${sourceIds(r.source)[0]}`);
    expect(misquoted).toEqual([]);
  });

  it('gives every requirement a quote', () => {
    expect(catalogue.filter((r) => !r.quote).map((r) => r.id)).toEqual([]);
  });

  it('keeps a MUST free of inference, and an RFC-only MUST quotes a MUST, SHALL or REQUIRED', () => {
    const musts = catalogue.filter((r) => r.level === 'MUST');
    expect(musts.filter((r) => r.inference !== undefined).map((r) => r.id)).toEqual([]);
    const weak = musts
      .filter((r) => sourceIds(r.source).every((id) => id.startsWith('RFC')))
      .filter((r) => !/\b(MUST|SHALL|REQUIRED)\b/.test(r.quote ?? ''))
      .map((r) => r.id);
    expect(weak).toEqual([]);
  });

  it('says why when a requirement rests on an inference, and is then SHOULD or INFO', () => {
    const inferred = catalogue.filter((r) => r.inference !== undefined);
    expect(inferred.filter((r) => r.level === 'MUST').map((r) => r.id)).toEqual([]);
    expect(inferred.filter((r) => normalize(r.inference!).length < 20).map((r) => r.id)).toEqual([]);
  });
});

describe('every profile rule cites the register (issue 16 §3, fixtures/profiles.ts)', () => {
  const rules = Object.values(PROFILES).flatMap((profile) =>
    Object.entries(profile)
      .filter(([, rule]) => typeof rule === 'object' && rule !== null && 'source' in rule)
      .map(([name, rule]) => ({ at: `${profile.name}.${name}`, source: (rule as { source: string }).source })),
  );

  it('cites only ids that are entries of docs/sources.md', () => {
    const unknown = rules.flatMap(({ at, source }) =>
      sourceIds(source)
        .filter((id) => !register.has(id))
        .map((id) => `${at}: ${id}`),
    );
    expect(rules.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it("cites Code42's own Entra ID and Okta articles where they state what the IdP does", () => {
    const cited = new Set(rules.flatMap(({ source }) => sourceIds(source)));
    expect(['C42-ENTRA-PROVISIONING', 'C42-OKTA-PROVISIONING'].filter((id) => !cited.has(id))).toEqual([]);
  });
});

describe('the seed guide', () => {
  const guide = findSeedGuide();

  (guide ? it : it.skip)('holds every passage of the SEED entries verbatim', () => {
    const text = normalize(readFileSync(guide!, 'utf8'));
    const missing = [...register.values()]
      .filter((e) => e.id.startsWith('SEED-'))
      .flatMap((e) => e.passages.filter((p) => !text.includes(p)).map((p) => `${e.id}: ${p}`));
    expect(missing).toEqual([]);
  });

  if (!guide) {
    it('is not beside the repository, so the seed passages are not checked (set SCIM_LAB_SEED_GUIDE to check them)', () => {
      expect(findSeedGuide()).toBeUndefined();
    });
  }

  it('is found through SCIM_LAB_SEED_GUIDE when it is set, and not guessed when that file is missing', () => {
    expect(findSeedGuide(ROOT, { SCIM_LAB_SEED_GUIDE: join(ROOT, 'package.json') })).toBe(join(ROOT, 'package.json'));
    expect(findSeedGuide(ROOT, { SCIM_LAB_SEED_GUIDE: join(ROOT, 'no-such-guide.txt') })).toBeUndefined();
  });
});

describe('nothing in the repository cites a file outside it', () => {
  it('no requirement names a working note or a path outside the repository', () => {
    const offending = catalogue
      .filter((r) => OUTSIDE_NAMES.test(`${r.source} ${r.quote ?? ''} ${r.title} ${r.inference ?? ''}`))
      .map((r) => r.id);
    expect(offending).toEqual([]);
  });

  it('no document under docs/ or beside the code cites a file outside the repository', () => {
    const files = markdownFiles().filter((f) => relative(ROOT, f) !== 'README.md');
    expect(files.flatMap((f) => outsideCitations(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('README.md cites no file outside the repository', () => {
    const readme = join(ROOT, 'README.md');
    expect(outsideCitations(readme, readFileSync(readme, 'utf8'))).toEqual([]);
  });

  it('finds a link that leaves the repository and a working-note name', () => {
    const found = outsideCitations(
      join(ROOT, 'docs', 'x.md'),
      'see [notes](../../shared/docs/x.md)\nbehavior-notes §3',
    );
    expect(found).toHaveLength(3);
  });
});
