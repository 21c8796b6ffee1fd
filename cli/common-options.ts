import { setFlagsFromString } from 'node:v8';
import bytes from 'bytes';
import {
  flagLabel,
  readArgumentFile,
  readOptionFile,
  str,
  UsageError,
  type OptionSpec,
  type ParsedOptions,
} from './args';
import { HarReadError, readHar, type HarCapture } from '../lab/har-read';
import type { TlsTrust } from '../lab/http-exchange';
import { JOURNAL_MODES, type JournalMode } from '../lab/journal';
import { startIdleCompaction } from './idle-compaction';
import { SHELLS, type ShellName } from '../lab/mock-site';

/** `--low-memory`: process-wide, so `up` takes it once for both mocks. */
export const LOW_MEMORY_OPTION = {
  type: 'boolean',
  env: 'SCIM_LAB_LOW_MEMORY',
  help: 'trade speed for memory (V8 --optimize-for-size; see docs/performance.md)',
} satisfies OptionSpec;

/**
 * Applies `--low-memory` before the mock is built. V8 then keeps its heap close to the live data instead of sizing it
 * for the allocation rate: `npm run bench` measures both the memory and the POST rate with and without it. The flag
 * cannot go through NODE_OPTIONS, and V8 reads it when it collects garbage, so setting it at start-up is enough.
 */
export function applyMemoryOptions(values: Record<string, unknown>, log: (line: string) => void): void {
  const lowMemory = values['low-memory'] === true;
  if (lowMemory) {
    setFlagsFromString('--optimize-for-size');
    log('low-memory: V8 optimizes for size; requests are slower (docs/performance.md)');
  }
  if (values['idle-compaction'] === 'off') return;
  if (values['idle-compaction'] !== undefined && values['idle-compaction'] !== 'on')
    throw new UsageError(
      `${flagLabel(values as ParsedOptions, 'idle-compaction')} must be on or off, got '${String(values['idle-compaction'])}'`,
    );
  startIdleCompaction({ lowMemory });
}

/** `--idle-compaction on|off`: process-wide, like `--low-memory`. */
export const IDLE_COMPACTION_OPTION = {
  type: 'string',
  env: 'SCIM_LAB_IDLE_COMPACTION',
  help: 'on (default) or off: compact the heap when idle after it grew (see docs/performance.md)',
  valueName: 'MODE',
} satisfies OptionSpec;

/** `--ui`: the live lab view at /__ui (docs/cli.md); `up` takes it once for both mocks. */
export const UI_OPTION = {
  type: 'boolean',
  env: 'SCIM_LAB_UI',
  help: 'serve the live lab view at /__ui: traffic, users and controls in a browser (the admin token opens it)',
} satisfies OptionSpec;

/** `--shell node|express`: which HTTP shell serves the mocks; `up` takes it once for both. */
export const SHELL_OPTION = {
  type: 'string',
  env: 'SCIM_LAB_SHELL',
  help: 'HTTP shell: node (default: node:http with find-my-way) or express (see docs/performance.md)',
  valueName: 'SHELL',
} satisfies OptionSpec;

/** `--shell` → the mocks' `shell` option. */
export function shellConfig(values: ParsedOptions): { shell?: ShellName } {
  const shell = str(values, 'shell');
  if (shell === undefined) return {};
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`${flagLabel(values, 'shell')} must be node or express, got '${shell}'`);
  return { shell: shell as ShellName };
}

/**
 * The options both mock commands take (docs/cli.md), written once so that their flags, variables and help stay
 * the same. Each command places them in its own table by name, since the order of a table is the order of --help.
 */
export function commonOptions(defaultPort: number, deviationsOf: 'server' | 'provisioner') {
  return {
    port: {
      type: 'string',
      env: 'SCIM_LAB_PORT',
      help: `port to listen on, 0 = any free port (default ${defaultPort})`,
      valueName: 'N',
    },
    host: { type: 'string', env: 'SCIM_LAB_HOST', help: 'address to listen on (default 127.0.0.1)', valueName: 'HOST' },
    'admin-token': {
      type: 'string',
      env: 'SCIM_LAB_ADMIN_TOKEN',
      help: 'bearer token of /__admin (generated if absent)',
      valueName: 'A',
    },
    deviation: {
      type: 'string',
      multiple: true,
      env: 'SCIM_LAB_DEVIATIONS',
      help: `reproduce a ${deviationsOf} bug (repeatable; see below)`,
      valueName: 'NAME[=VALUE]',
    },
    state: {
      type: 'string',
      env: 'SCIM_LAB_STATE_FILE',
      help: 'load state from FILE at start (if it exists), write it back on shutdown (mode 0600: it holds secrets)',
      valueName: 'FILE',
    },
    'state-interval': {
      type: 'string',
      env: 'SCIM_LAB_STATE_INTERVAL',
      help: 'also save --state every D (e.g. 1s): a crash loses at most D (docs/state.md)',
      valueName: 'D',
    },
    journal: {
      type: 'string',
      env: 'SCIM_LAB_JOURNAL',
      help: 'exchanges the journal keeps: all (default), errors (status 400 or above, or none), off',
      valueName: 'MODE',
    },
    'journal-max-bytes': {
      type: 'string',
      env: 'SCIM_LAB_JOURNAL_MAX_BYTES',
      help: 'bytes the journal keeps, oldest dropped first, e.g. 8mb (default 32mb)',
      valueName: 'N',
    },
    'low-memory': LOW_MEMORY_OPTION,
    'idle-compaction': IDLE_COMPACTION_OPTION,
    shell: SHELL_OPTION,
    json: { type: 'boolean', help: 'print one JSON line on stdout once ready' },
    help: { type: 'boolean', help: 'show this help' },
  } satisfies Record<string, OptionSpec>;
}

/** `--journal MODE` and `--journal-max-bytes N` (with `up`'s prefix) → the mocks' `journal` and `journalMaxBytes`. */
export function journalConfig(values: ParsedOptions, prefix = ''): { journal?: JournalMode; journalMaxBytes?: number } {
  const modeName = `${prefix}journal`;
  const mode = str(values, modeName);
  if (mode !== undefined && !(JOURNAL_MODES as readonly string[]).includes(mode))
    throw new UsageError(`${flagLabel(values, modeName)} must be all, errors or off, got '${mode}'`);
  const maxName = `${prefix}journal-max-bytes`;
  const max = str(values, maxName);
  // bytes.parse: a number of bytes, or with a unit (kb, mb, gb: powers of 1024).
  const maxBytes = max === undefined ? undefined : bytes.parse(max);
  if (max !== undefined && !(Number.isInteger(maxBytes) && (maxBytes as number) >= 1024))
    throw new UsageError(`${flagLabel(values, maxName)} must be a size of at least 1kb, e.g. 8mb, got '${max}'`);
  return {
    ...(mode !== undefined && { journal: mode as JournalMode }),
    ...(maxBytes !== undefined && maxBytes !== null && { journalMaxBytes: maxBytes }),
  };
}

/** `--ca FILE` and `--insecure`: how a client command trusts an https server (conformance, record, replay). */
export function tlsTrust(values: ParsedOptions): TlsTrust | undefined {
  const caFile = str(values, 'ca');
  const insecure = values.insecure === true;
  if (caFile && insecure)
    throw new UsageError(`${flagLabel(values, 'ca')} and ${flagLabel(values, 'insecure')} exclude each other`);
  let ca: string | undefined;
  if (caFile) {
    ca = readOptionFile(values, 'ca', caFile);
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new UsageError(`${flagLabel(values, 'ca')}: ${caFile} holds no PEM certificate`);
  }
  return ca !== undefined || insecure ? { ca, insecure } : undefined;
}

/** The HAR capture a command's argument names (`replay`, `scenario from`); what is wrong with it is a usage error. */
export function readCaptureArgument(path: string | undefined, usage: string): { path: string; capture: HarCapture } {
  const file = readArgumentFile(path, usage);
  try {
    return { path: file.path, capture: readHar(file.text) };
  } catch (err) {
    if (err instanceof HarReadError) throw new UsageError(`${file.path}: ${err.message}`);
    throw err;
  }
}
