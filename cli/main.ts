import { UsageError } from './args';
import { processIo, type Io } from './io';
import { toolInfo } from '../lab/tool';

/** A subcommand: it parses its own options and returns an exit code. */
export interface Command {
  summary: string;
  run(argv: string[], io: Io): Promise<number>;
}

// Loaded on demand: a mock's process then never loads the suites and their user generator (@faker-js/faker), which
// were a quarter of an idle mock's memory.
const COMMANDS: Record<string, () => Promise<Command>> = {
  code42: async () => (await import('./code42.js')).code42Command,
  pingone: async () => (await import('./pingone.js')).pingoneCommand,
  up: async () => (await import('./up.js')).upCommand,
  conformance: async () => (await import('./conformance.js')).conformanceCommand,
  requirements: async () => (await import('./requirements.js')).requirementsCommand,
  record: async () => (await import('./record.js')).recordCommand,
  replay: async () => (await import('./replay.js')).replayCommand,
  scenario: async () => (await import('./scenario.js')).scenarioCommand,
};

async function topHelp(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => `  ${name.padEnd(14)} ${(await load()).summary}`),
  );
  return [
    'Usage: scim-lab <command> [options]',
    '',
    'A conformance harness and mock SCIM lab: PingOne provisioning users into Code42 over SCIM 2.0.',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --help and --version. Logs go to stderr; with --json a server command prints',
    'exactly one JSON line on stdout once it is ready. SIGTERM or SIGINT shuts down gracefully.',
  ].join('\n');
}

/** The CLI entry point: the only place that reads argv and env (style.md 5). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.out(toolInfo().version);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await topHelp());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.log(`scim-lab: unknown command '${name}'. Run 'scim-lab --help' for the list.`);
    return 2;
  }
  if (rest.includes('--version')) {
    io.out(toolInfo().version);
    return 0;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.log(`scim-lab ${name}: ${err.message}. Run 'scim-lab ${name} --help'.`);
      return 2;
    }
    io.log(`scim-lab ${name}: ${describeFailure(name, err)}`);
    // One line (issue 13 §7); the stack only when asked for, to report a bug.
    if (io.env.SCIM_LAB_DEBUG) io.log((err as Error).stack ?? String(err));
    return 2;
  }
}

/** A failure the command did not turn into a usage error, in one line that says what to fix when it can. */
function describeFailure(command: string, err: unknown): string {
  const e = (err ?? {}) as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code;
  const message = (e instanceof Error ? e.message : String(err)).split('\n')[0];
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    const flags =
      command === 'up'
        ? '--code42-port (SCIM_LAB_CODE42_PORT) or --pingone-port (SCIM_LAB_PINGONE_PORT)'
        : '--port (SCIM_LAB_PORT)';
    return `${message}; choose another port with ${flags}, or 0 for any free port`;
  }
  if (code === 'EISDIR')
    return `${message}: a directory where a file was expected; check --state (SCIM_LAB_STATE_FILE) and --report (SCIM_LAB_REPORT)`;
  // A message that starts with its flag is about the configuration, not a bug: no hint about stacks.
  if (message.startsWith('--')) return message;
  return `${message} (set SCIM_LAB_DEBUG=1 for the stack trace)`;
}
