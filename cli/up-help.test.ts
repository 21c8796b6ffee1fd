import { ensureBuilt, finished } from './test-support';

beforeAll(() => ensureBuilt(), 180_000);

/** The option rows of a --help text: `  --flag VALUE   help`. */
function optionRows(help: string): string[] {
  const start = help.indexOf('Options:\n');
  const end = help.indexOf('\n\n', start);
  return help
    .slice(start + 'Options:\n'.length, end)
    .split('\n')
    .filter((line) => line.startsWith('  --'));
}

/** `--flag` or `--flag VALUE` (a value name starts with a capital letter), then the padding before the help text. */
const FLAG_AND_PADDING = /^ {2}--[a-z0-9-]+(?: [A-Z][A-Z0-9_=[\]]*)? +/;

const flagsOf = (help: string) => new Set(optionRows(help).map((row) => row.trim().split(' ')[0]));

describe('scim-lab up --help', () => {
  it('starts every option description in the same column', async () => {
    const { code, stdout } = await finished(['up', '--help']);
    expect(code).toBe(0);
    const rows = optionRows(stdout);
    expect(rows.length).toBeGreaterThan(20);
    const columns = new Set(rows.map((row) => FLAG_AND_PADDING.exec(row)?.[0].length));
    expect([...columns]).toHaveLength(1);
  });

  it("names its own flags in its help texts, such as --code42-cert rather than code42's --cert", async () => {
    const [up, code42, pingone] = await Promise.all(
      ['up', 'code42', 'pingone'].map(async (command) => (await finished([command, '--help'])).stdout),
    );
    const ours = flagsOf(up);
    const theirs = new Set([...flagsOf(code42), ...flagsOf(pingone)]);
    const named = optionRows(up).flatMap((row) => row.replace(FLAG_AND_PADDING, '').match(/--[a-z][a-z0-9-]*/g) ?? []);
    expect(named.filter((flag) => theirs.has(flag) && !ours.has(flag))).toEqual([]);
    expect(up).toContain('unless --code42-cert/--code42-key');
  });
});
