import { flagLabel, int, list, parseOptions, renderHelp, str, UsageError, type OptionTable } from './args';

const TABLE: OptionTable = {
  port: { type: 'string', env: 'SCIM_LAB_PORT', help: 'port', valueName: 'N' },
  token: { type: 'string', env: 'SCIM_LAB_TOKEN', help: 'token', valueName: 'T' },
  deviation: { type: 'string', multiple: true, env: 'SCIM_LAB_DEVIATIONS', help: 'deviation', valueName: 'NAME' },
  tls: { type: 'boolean', env: 'SCIM_LAB_TLS', help: 'serve HTTPS' },
  json: { type: 'boolean', help: 'one JSON line' },
};

describe('docs/cli.md options from flags', () => {
  it('reads string, repeatable and boolean flags, in both --name value and --name=value forms', () => {
    const values = parseOptions(
      TABLE,
      ['--port', '0', '--token=abc', '--deviation', 'a', '--deviation=b=c', '--tls', '--json'],
      {},
    );
    expect(values).toEqual({ port: '0', token: 'abc', deviation: ['a', 'b=c'], tls: true, json: true });
  });

  it('leaves options that were not given undefined', () => {
    const values = parseOptions(TABLE, [], {});
    expect(str(values, 'port')).toBeUndefined();
    expect(list(values, 'deviation')).toEqual([]);
    expect(values.tls).toBeUndefined();
  });

  it.each([
    [['--colour', 'red'], /colour/],
    [['--port'], /port/],
    [['--json=yes'], /json/],
    [['serve'], /serve/],
  ])('refuses %j with a UsageError naming the input', (argv, message) => {
    expect(() => parseOptions(TABLE, argv, {})).toThrow(UsageError);
    expect(() => parseOptions(TABLE, argv, {})).toThrow(message);
  });
});

describe('docs/cli.md container environment: variables fill what flags leave out', () => {
  it('reads each option from its variable', () => {
    const values = parseOptions(TABLE, [], { SCIM_LAB_PORT: '8080', SCIM_LAB_TOKEN: 'from-env', SCIM_LAB_TLS: 'true' });
    expect(values).toMatchObject({ port: '8080', token: 'from-env', tls: true });
  });

  it('splits a repeatable option on commas, trimming and skipping empty items', () => {
    const values = parseOptions(TABLE, [], { SCIM_LAB_DEVIATIONS: 'allow-delete, no-auth,,drop-attribute=title' });
    expect(values.deviation).toEqual(['allow-delete', 'no-auth', 'drop-attribute=title']);
  });

  it('lets flags win over variables, a repeatable flag replacing the whole list', () => {
    const env = { SCIM_LAB_TOKEN: 'from-env', SCIM_LAB_DEVIATIONS: 'a,b', SCIM_LAB_TLS: '1' };
    const values = parseOptions(TABLE, ['--token', 'from-flag', '--deviation', 'c'], env);
    expect(values).toMatchObject({ token: 'from-flag', deviation: ['c'], tls: true });
  });

  it.each([
    ['1', true],
    ['true', true],
    ['YES', true],
    ['on', true],
    ['0', false],
    ['false', false],
    ['no', false],
  ])('reads the boolean variable value %s as %s', (raw, expected) => {
    expect(parseOptions(TABLE, [], { SCIM_LAB_TLS: raw }).tls).toBe(expected);
  });

  it('ignores an empty variable', () => {
    expect(parseOptions(TABLE, [], { SCIM_LAB_TOKEN: '' }).token).toBeUndefined();
  });

  it('reads nothing from the environment for an option without a variable', () => {
    expect(parseOptions(TABLE, [], { SCIM_LAB_JSON: '1' }).json).toBeUndefined();
  });
});

describe('int', () => {
  it('parses an integer within bounds', () => {
    expect(int({ port: '0' }, 'port', 0, 65535)).toBe(0);
    expect(int({ port: '65535' }, 'port', 0, 65535)).toBe(65535);
    expect(int({}, 'port', 0, 65535)).toBeUndefined();
  });

  it.each(['65536', '-1', '8.5', 'http', ''])('refuses %j with a UsageError naming the option', (raw) => {
    expect(() => int({ port: raw }, 'port', 0, 65535)).toThrow(
      new UsageError(`--port must be an integer from 0 to 65535, got '${raw}'`),
    );
  });
});

describe('renderHelp', () => {
  it('lists every option with its value name and its variable', () => {
    const help = renderHelp('scim-lab x [options]', 'does x', TABLE, 'Extra section');
    expect(help).toMatch(/^Usage: scim-lab x \[options\]\n\ndoes x\n/);
    expect(help).toMatch(/--port N\s+port \[env SCIM_LAB_PORT\]/);
    expect(help).toMatch(/--deviation NAME\s+deviation \[env SCIM_LAB_DEVIATIONS\]/);
    expect(help).toMatch(/--json\s+one JSON line\n/);
    expect(help).toContain('Extra section');
  });
});

describe('flagLabel', () => {
  it('names the flag and the variable that may have set it, so an error about a value is found either way', () => {
    const values = parseOptions(TABLE, [], { SCIM_LAB_PORT: 'x' });
    expect(flagLabel(values, 'port')).toBe('--port (SCIM_LAB_PORT)');
    expect(() => int(values, 'port', 0, 65535)).toThrow(
      new UsageError(`--port (SCIM_LAB_PORT) must be an integer from 0 to 65535, got 'x'`),
    );
  });
});
