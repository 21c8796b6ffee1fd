// A mock's `--state FILE`: checked at start-up, written atomically with mode 0600, snapshotted periodically, and never
// allowed to lose a field silently (issue 12 §4, issue 18). docs/state.md says what survives which signal.
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isObject } from '../scim/json';

/** What went wrong with a state file, in one line that names the file; the CLI adds the flag and exits 2. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

/** The state file holds bearer tokens, client secrets and any SCIM `password`: only its owner may read it. */
export const STATE_FILE_MODE = 0o600;

/**
 * Start-up check of a state path: its folder exists and is writable, the path is not a folder, and an existing file
 * is readable, writable and parses as JSON. Returns the parsed document, or undefined when there is no file yet.
 */
export function openStateFile(file: string): unknown {
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) throw new StateFileError(`${file}: the folder ${folder} does not exist`);
  if (!statSync(folder).isDirectory()) throw new StateFileError(`${file}: ${folder} is not a folder`);
  if (!canAccess(folder, constants.W_OK | constants.X_OK))
    throw new StateFileError(`${file}: the folder ${folder} is not writable`);
  if (!existsSync(file)) {
    probeWrite(file);
    return undefined;
  }
  if (statSync(file).isDirectory()) throw new StateFileError(`${file}: is a folder, not a file`);
  if (!canAccess(file, constants.R_OK | constants.W_OK))
    throw new StateFileError(`${file}: is not readable and writable`);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StateFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

// access() says yes to root on a read-only file system: writing (and removing) the temporary file is the real test.
function probeWrite(file: string): void {
  try {
    writeStateFile(file + '.probe', '');
    unlinkSync(file + '.probe');
  } catch (err) {
    throw new StateFileError(`${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder, created with mode 0600, flushed to disk,
 * then renamed over `file`. A crash at any moment leaves either the old file or the new one, never half of one.
 */
export function writeStateFile(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', STATE_FILE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

/**
 * The fields of `loaded` that `kept` (the state exported right after importing `loaded`) no longer has: the import
 * would drop them at the next save. Paths name array elements by `[]` (elements may be reordered on import) and
 * compare names without case (an import canonicalises attribute names). Null and empty values are not fields.
 */
export function droppedFields(loaded: unknown, kept: unknown, max = 5): string[] {
  const keptPaths = fieldPaths(kept);
  const dropped: string[] = [];
  for (const path of loaded instanceof FieldPaths ? loaded : fieldPaths(loaded)) {
    if (keptPaths.has(path)) continue;
    dropped.push(path);
    if (dropped.length >= max) break;
  }
  return dropped;
}

/** The field paths of a document, taken before an import that consumes it (see droppedFields). */
export class FieldPaths extends Set<string> {}

export function fieldPaths(document: unknown): FieldPaths {
  const paths = new FieldPaths();
  const child = childPaths();
  // Iterative: a state file is client input too.
  const stack: [unknown, string][] = [[document, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) {
      const items = child(path, undefined);
      for (const item of value) stack.push([item, items]);
    } else if (isObject(value)) {
      for (const key in value) {
        const item = value[key];
        if (item === null || typeof item !== 'object') {
          if (item !== null) paths.add(child(path, key));
          continue;
        }
        if (Array.isArray(item) ? item.length === 0 : isEmpty(item)) continue;
        const name = child(path, key);
        paths.add(name);
        stack.push([item, name]);
      }
    }
  }
  return paths;
}

/**
 * The path of a key under a path, made once per distinct pair: 100,000 users share a few dozen paths, and building
 * each path string anew per field was most of a 100,000-user import (bench/profile-summary.js, issue 14).
 */
function childPaths(): (path: string, key: string | undefined) => string {
  const made = new Map<string, Map<string | undefined, string>>();
  return (path, key) => {
    let under = made.get(path);
    if (!under) made.set(path, (under = new Map()));
    let name = under.get(key);
    if (name === undefined) {
      // undefined: the elements of an array.
      name = key === undefined ? `${path}[]` : path === '' ? key.toLowerCase() : `${path}.${key.toLowerCase()}`;
      under.set(key, name);
    }
    return name;
  };
}

function isEmpty(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return false;
  return true;
}

/** A mock whose state can be saved. */
export interface StateSource {
  exportState(): unknown;
}

export interface StateSnapshots {
  /** Writes now if the state changed since the last write (graceful stop). */
  flush(): void;
  stop(): void;
}

/**
 * Saves `source` to `file` now and then. With `intervalMs`, a snapshot is taken every half interval, so that a late
 * timer or a slow write still leaves nothing older than the interval unsaved (a SIGKILL loses at most `intervalMs`).
 * A snapshot whose text equals the last one written is not written again. A failed write is reported through `onError`
 * and retried at the next tick; it never stops the mock.
 */
export function stateSnapshots(
  source: StateSource,
  file: string,
  options: { intervalMs?: number; onError?: (err: Error) => void; onSaved?: () => void } = {},
): StateSnapshots {
  let last: string | undefined;
  const save = () => {
    const text = JSON.stringify(source.exportState());
    if (text === last) return;
    writeStateFile(file, text);
    last = text;
    options.onSaved?.();
  };
  const timer =
    options.intervalMs === undefined
      ? undefined
      : setInterval(
          () => {
            try {
              save();
            } catch (err) {
              options.onError?.(err as Error);
            }
          },
          Math.max(1, Math.floor(options.intervalMs / 2)),
        );
  timer?.unref();
  return {
    flush: save,
    stop: () => clearInterval(timer),
  };
}

/** `--state-interval` values: `500ms`, `1s`, `2m`, or a number of seconds. */
export function parseInterval(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) return undefined;
  const factor = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1000;
  const ms = Math.round(Number(match[1]) * factor);
  return ms >= 100 && ms <= 86_400_000 ? ms : undefined;
}
