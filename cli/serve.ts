import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Io } from './io';

/** A mock whose state can be saved with `--state FILE`. */
export interface Stateful {
  exportState(): unknown;
  importState(state: unknown): void;
}

/** Loads `--state FILE` when the file exists; a missing file is a fresh start. */
export function loadState(target: Stateful, file: string | undefined, io: Io, label: string): void {
  if (!file || !existsSync(file)) return;
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--state ${file}: not valid JSON (${(err as Error).message})`);
  }
  try {
    target.importState(state);
  } catch (err) {
    throw new Error(`--state ${file}: ${(err as Error).message}`);
  }
  io.log(`${label}: state loaded from ${file}`);
}

/** Writes the state atomically (temp file, then rename), so a crash never leaves half a file. */
export function saveState(target: Stateful, file: string | undefined, io: Io, label: string): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(target.exportState()));
  renameSync(tmp, file);
  io.log(`${label}: state saved to ${file}`);
}

/**
 * `signalled` comes from `io.untilSignal()`, called before the `--json` line is printed: a client that signals as soon
 * as it reads the line must find the handlers in place, or the process dies of the signal instead of stopping.
 * Runs until SIGTERM or SIGINT, then shuts down gracefully (contracts.md §1): stop accepting requests and
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
