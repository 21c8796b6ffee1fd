import {
  droppedFields,
  openStateFile,
  parseInterval,
  stateSnapshots,
  StateFileError,
  type StateSource,
} from '../lab/state-file';
import { UsageError } from './args';
import type { Io } from './io';

/** A mock whose state can be saved with `--state FILE`. */
export interface Stateful extends StateSource {
  importState(state: unknown): void;
}

/** Where a mock's state goes: `--state FILE` and `--state-interval D` (or their `up` prefixed forms). */
export interface StateFlags {
  file?: string;
  interval?: string;
  /** The flags' prefix in `up` (`code42-`), for error text. */
  prefix?: string;
}

/**
 * Start-up: checks `--state FILE` (folder exists and is writable, an existing file parses, imports, and keeps every
 * field; lab/state-file.ts) and loads it. Any problem is a usage error: one line, exit 2, before the mock listens.
 */
export function loadState(target: Stateful, flags: StateFlags, io: Io, label: string): void {
  const prefix = flags.prefix ?? '';
  // `up` prefixes both: --code42-state, SCIM_LAB_CODE42_STATE_FILE (cli/up.ts).
  const env = (name: string) => `SCIM_LAB_${prefix.toUpperCase().replace(/-$/, '_')}${name}`;
  const flag = `--${prefix}state`;
  const intervalFlag = `--${prefix}state-interval (${env('STATE_INTERVAL')})`;
  if (flags.interval !== undefined && flags.file === undefined)
    throw new UsageError(`${intervalFlag} needs ${flag} (${env('STATE_FILE')})`);
  if (flags.interval !== undefined && parseInterval(flags.interval) === undefined)
    throw new UsageError(
      `${intervalFlag} must be a duration from 100ms to 24h such as 1s or 500ms, got '${flags.interval}'`,
    );
  if (flags.file === undefined) return;
  const file = flags.file;
  const fail = (message: string) =>
    new UsageError(`${flag} ${message} (the file comes from ${flag} or ${env('STATE_FILE')})`);
  let document: unknown;
  try {
    document = openStateFile(file);
  } catch (err) {
    if (err instanceof StateFileError) throw fail(err.message);
    throw err;
  }
  if (document === undefined) return;
  try {
    target.importState(document);
  } catch (err) {
    throw fail(`${file}: ${(err as Error).message}`);
  }
  // Issue 18: a field this version does not keep would be dropped silently at the next save. Refuse instead.
  const dropped = droppedFields(document, target.exportState());
  if (dropped.length > 0)
    throw fail(
      `${file}: holds fields this version would drop (${dropped.join(', ')}); remove them or use the version that wrote it`,
    );
  io.log(`${label}: state loaded from ${file}`);
}

/**
 * Starts the periodic snapshots of `--state-interval` (if given) and returns what a graceful stop calls to write the
 * state one last time. Without `--state` it does nothing.
 */
export function persistState(target: Stateful, flags: StateFlags, io: Io, label: string): () => void {
  if (flags.file === undefined) return () => {};
  const file = flags.file;
  const intervalMs = flags.interval === undefined ? undefined : parseInterval(flags.interval);
  const snapshots = stateSnapshots(target, file, {
    intervalMs,
    onError: (err) => io.log(`${label}: could not save state to ${file}: ${err.message}`),
  });
  if (intervalMs !== undefined) io.log(`${label}: state saved to ${file} at least every ${intervalMs} ms`);
  return () => {
    snapshots.stop();
    snapshots.flush();
    io.log(`${label}: state saved to ${file}`);
  };
}

/**
 * `signalled` comes from `io.untilSignal()`, called before the `--json` line is printed: a client that signals as soon
 * as it reads the line must find the handlers in place, or the process dies of the signal instead of stopping.
 * Runs until SIGTERM or SIGINT, then shuts down gracefully (docs/cli.md): stop accepting requests and
 * finish the ones in flight (`close`), then flush state (`flush`).
 */
export async function serveUntilSignal(
  io: Io,
  signalled: Promise<string>,
  close: () => Promise<void>,
  flush: () => void,
): Promise<number> {
  const signal = await signalled;
  io.log(`received ${signal}: finishing requests in flight, then stopping`);
  await close();
  flush();
  io.log('stopped');
  return 0;
}
