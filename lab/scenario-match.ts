// How a scenario's expected values are compared with what came back: the expected value is a subset.
// - Object keys match case-insensitively (RFC 7643 §2.1: attribute names are case-insensitive); extra keys are fine.
// - An expected array element matches any actual element (RFC 7643 §2.4: multi-valued attributes have no order).
// - Anything else is compared strictly.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** The value of `key` in `object`, its name compared case-insensitively. */
export function attributeOf(object: Record<string, unknown>, key: string): unknown {
  if (key in object) return object[key];
  const found = Object.keys(object).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : object[found];
}

/** The value at a dotted path (`name.givenName`), or undefined. */
export function valueAt(object: unknown, path: string): unknown {
  let value = object;
  for (const part of path.split('.')) value = isRecord(value) ? attributeOf(value, part) : undefined;
  return value;
}

/** Undefined when `actual` contains `expected`; otherwise the first difference, as `path: expected X, saw Y`. */
export function mismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  const here = path || '(body)';
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${here}: expected an object, saw ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const found = mismatch(value, attributeOf(actual, key), path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${here}: expected a list, saw ${show(actual)}`;
    const missing = expected.find((e) => !actual.some((a) => mismatch(e, a) === undefined));
    return missing === undefined ? undefined : `${here}: expected an element ${show(missing)}, saw ${show(actual)}`;
  }
  return expected === actual ? undefined : `${here}: expected ${show(expected)}, saw ${show(actual)}`;
}

/** RFC 7643 §2.5: an unassigned attribute is absent, null, or an empty list. */
export function isUnassigned(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}
