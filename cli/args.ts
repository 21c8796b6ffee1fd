import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a command: its flag, its type, its environment variable (docs/cli.md) and its help line. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** SCIM_LAB_* variable; for a `multiple` option its value is a comma-separated list. Flags win over variables. */
  env?: string;
  help: string;
  valueName?: string;
}

export type OptionTable = Record<string, OptionSpec>;
export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The table a parse result came from, so that an error about a value can name its flag and its variable. A hidden
 * property: the values still compare and list as plain options (a spread copy, as `up` makes, names the flag only).
 */
const TABLE = Symbol('option table');

/** Reads a file an option names; a failure is a usage error naming the option. */
export function readOptionFile(values: ParsedOptions, name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flagLabel(values, name)}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** Reads the file a command's argument names: none given is a usage error saying `usage`, an unreadable one names it. */
export function readArgumentFile(path: string | undefined, usage: string): { path: string; text: string } {
  if (!path) throw new UsageError(usage);
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new UsageError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** `--name (SCIM_LAB_NAME)`: how a usage error names an option, so that a value set by a variable is found too. */
export function flagLabel(values: ParsedOptions, name: string): string {
  const table = (values as { [TABLE]?: OptionTable })[TABLE];
  const env = table?.[name]?.env;
  return env ? `--${name} (${env})` : `--${name}`;
}

/** Parses argv against the table, then fills what is missing from the environment. */
export function parseOptions(table: OptionTable, argv: string[], env: NodeJS.ProcessEnv): ParsedOptions {
  const config: ParseArgsConfig['options'] = {};
  for (const [name, spec] of Object.entries(table))
    config[name] = { type: spec.type, multiple: spec.multiple ?? false };
  let values: ParsedOptions;
  try {
    ({ values } = parseArgs({ args: argv, options: config, strict: true, allowPositionals: false }) as {
      values: ParsedOptions;
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  for (const [name, spec] of Object.entries(table)) {
    if (values[name] !== undefined || !spec.env) continue;
    const raw = env[spec.env];
    if (raw === undefined || raw === '') continue;
    if (spec.type === 'boolean') values[name] = /^(1|true|yes|on)$/i.test(raw);
    else if (spec.multiple)
      values[name] = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else values[name] = raw;
  }
  Object.defineProperty(values, TABLE, { value: table, enumerable: false });
  return values;
}

export function str(values: ParsedOptions, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: ParsedOptions, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : [];
}

export function int(values: ParsedOptions, name: string, min: number, max: number): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`${flagLabel(values, name)} must be an integer from ${min} to ${max}, got '${v}'`);
  return Number(v);
}

export function renderHelp(usage: string, summary: string, table: OptionTable, extra = ''): string {
  const flags = Object.entries(table).map(
    ([name, spec]) => [`--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`, spec] as const,
  );
  // One column for every row: as wide as the longest flag (`up --code42-deviation NAME[=VALUE]`), at least 30.
  const width = Math.max(30, ...flags.map(([flag]) => flag.length + 1));
  const rows = flags.map(([flag, spec]) => {
    const env = spec.env ? ` [env ${spec.env}]` : '';
    return `  ${flag.padEnd(width)} ${spec.help}${env}`;
  });
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${rows.join('\n')}\n${extra ? `\n${extra}\n` : ''}`;
}
