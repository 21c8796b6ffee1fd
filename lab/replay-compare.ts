// How a replayed response is compared with the recorded one (docs/record-replay.md): status, the SCIM error's
// `scimType`, and the body's attributes with volatile fields masked. Attribute names compare without case (RFC 7643
// §2.1: attribute names are case insensitive); a multi-valued attribute's values in any order (a decision,
// docs/decisions.md: servers reorder them and a replay must not cry wolf). An Error's `detail` is human-readable
// text (RFC 7644 §3.12, RFC7644-3.12 in docs/sources.md) and is not compared.

/** One attribute (or the status) that differs: `path` is dotted, `Resources[0].name.givenName`. */
export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** Masked everywhere: server-assigned (`id`), server-maintained (`meta.*`: created, lastModified, version, location). */
export const DEFAULT_MASKS: readonly string[] = ['id', 'meta'];

/** Leaves every key named by a mask path out, at the top level, inside `Resources[]`, and (for `id`, `meta`) deep. */
export function masked(value: unknown, masks: readonly string[]): unknown {
  const paths = masks.map((m) => m.toLowerCase().split('.'));
  return strip(value, paths, 0);
}

function strip(value: unknown, paths: string[][], depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => strip(item, paths, depth + 1));
  if (typeof value !== 'object' || value === null) return maskTimestamp(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (paths.some((p) => p.length === 1 && p[0] === lower)) continue;
    const deeper = paths.filter((p) => p.length > 1 && p[0] === lower).map((p) => p.slice(1));
    // Resources of a ListResponse are resources: the same masks apply inside each one.
    const inner = lower === 'resources' ? paths : [...deeper, ...paths.filter((p) => p.length === 1)];
    out[key] = strip(item, inner, depth + 1);
  }
  return out;
}

/** RFC 3339 date-times (RFC 7643 §2.3.5 dateTime): they differ on every run, so only their kind is compared. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function maskTimestamp(value: unknown): unknown {
  return typeof value === 'string' && DATE_TIME.test(value) ? '<dateTime>' : value;
}

/** The differences between two JSON values, names without case, arrays in any order. */
export function differences(expected: unknown, actual: unknown, path = ''): Difference[] {
  if (Array.isArray(expected) && Array.isArray(actual)) return arrayDifferences(expected, actual, path);
  if (isRecord(expected) && isRecord(actual)) return objectDifferences(expected, actual, path);
  return Object.is(expected, actual) ? [] : [{ path: path || '(body)', expected, actual }];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function objectDifferences(expected: Record<string, unknown>, actual: Record<string, unknown>, path: string) {
  const out: Difference[] = [];
  const actualKeys = new Map(Object.keys(actual).map((k) => [k.toLowerCase(), k]));
  for (const [key, value] of Object.entries(expected)) {
    const match = actualKeys.get(key.toLowerCase());
    actualKeys.delete(key.toLowerCase());
    const at = path ? `${path}.${key}` : key;
    if (match === undefined) out.push({ path: at, expected: value, actual: undefined });
    else out.push(...differences(value, actual[match], at));
  }
  for (const key of actualKeys.values())
    out.push({ path: path ? `${path}.${key}` : key, expected: undefined, actual: actual[key] });
  return out;
}

function arrayDifferences(expected: unknown[], actual: unknown[], path: string): Difference[] {
  if (expected.length === actual.length) {
    const unused = new Set(actual.keys());
    const allFound = expected.every((item) => {
      const found = [...unused].find((i) => differences(item, actual[i]).length === 0);
      if (found !== undefined) unused.delete(found);
      return found !== undefined;
    });
    if (allFound) return [];
  }
  const out: Difference[] = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i += 1)
    out.push(...differences(expected[i], actual[i], `${path}[${i}]`));
  return out;
}

/** A body's JSON, or its text when it is not JSON, or undefined when empty. */
export function parsedBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `scimType` of an RFC 7644 §3.12 Error body, if the body is one. */
export function scimTypeOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body.scimType === 'string' ? body.scimType : undefined;
}

/** Everything that differs between the recorded and the replayed answer, status first. */
export function compareResponses(
  recorded: { status: number; body: unknown },
  replayed: { status: number; body: unknown },
  masks: readonly string[],
): Difference[] {
  const out: Difference[] = [];
  if (recorded.status !== replayed.status)
    out.push({ path: '(status)', expected: recorded.status, actual: replayed.status });
  const scimType = [scimTypeOf(recorded.body), scimTypeOf(replayed.body)];
  if (scimType[0] !== scimType[1]) out.push({ path: 'scimType', expected: scimType[0], actual: scimType[1] });
  if (out.length > 0) return out;
  const errorMasks = scimType[0] === undefined && recorded.status < 400 ? [] : ['detail'];
  const all = [...masks, ...errorMasks];
  return differences(masked(recorded.body, all), masked(replayed.body, all));
}
