import path from 'node:path';
import { ESLint, type Linter } from 'eslint';

// The import rules and the function-size limit of eslint.config.js, checked on small sources placed in each
// folder: the rule must refuse what it says it refuses, with its reason, and let through what it allows.

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS; loaded as data here
const config = require('../eslint.config.js') as Linter.Config[];
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });

async function problems(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

const importing = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;

describe('issue 12: the layering rules', () => {
  const refused: [string, string, string][] = [
    ['scim/filter/parse-x.ts', '../../lab/journal', 'scim/ is the SCIM core'],
    ['scim/x.ts', '../fixtures/users', 'scim/ is the SCIM core'],
    ['lab/x.ts', '../mock-code42', 'lab/ is plumbing shared by both mocks'],
    ['lab/test-support/x.ts', '../../suites/catalogue', 'lab/ is plumbing shared by both mocks'],
    ['mock-pingone/x.ts', '../mock-code42/routes', 'never imports the mock Code42'],
    ['mock-code42/x.ts', '../mock-pingone', 'never imports the mock PingOne'],
    ['mock-code42/x.ts', '../suites/catalogue', 'A mock stands alone'],
    ['suites/engine/reporters/x.ts', '../../../mock-pingone', 'suites/engine runs and reports checks'],
  ];
  it.each(refused)('refuses in %s an import of %s, saying why', async (file, from, reason) => {
    const found = await problems(file, importing(from));
    expect(found).toEqual([{ rule: 'no-restricted-imports', message: expect.stringContaining(reason) }]);
  });

  const allowed: [string, string][] = [
    ['scim/filter/x.ts', '../errors'],
    ['scim/x.test.ts', '../fixtures/filter-cases'],
    ['lab/x.ts', '../scim/errors'],
    ['lab/x.test.ts', '../fixtures/scim-wire'],
    ['mock-pingone/x.ts', '../lab/journal'],
    ['mock-pingone/x.test.ts', '../mock-code42'],
    ['suites/engine/x.ts', '../../fixtures/users'],
    ['suites/flow/x.ts', '../../mock-pingone'],
  ];
  it.each(allowed)('lets %s import %s', async (file, from) => {
    expect(await problems(file, importing(from))).toEqual([]);
  });
});

describe('issue 12: functions fit on a screen', () => {
  const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  n += ${i};`).join('\n');
  const longFunction = `export function long(): number {\n  let n = 0;\n${body(80)}\n  return n;\n}\n`;

  it('refuses a function longer than 80 lines', async () => {
    expect(await problems('mock-pingone/x.ts', longFunction)).toEqual([
      { rule: 'max-lines-per-function', message: expect.stringContaining('Maximum allowed is 80') },
    ]);
  });

  it('accepts a longer function whose comment says why', async () => {
    const explained = `// eslint-disable-next-line max-lines-per-function -- a table of cases\n${longFunction}`;
    expect(await problems('mock-pingone/x.ts', explained)).toEqual([]);
  });

  it('does not count test files, whose describe callbacks are lists of cases', async () => {
    expect(await problems('mock-pingone/x.test.ts', longFunction)).toEqual([]);
  });
});
