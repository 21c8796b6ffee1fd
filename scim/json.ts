// Plain JSON helpers shared by the SCIM core, the lab, the mocks and the suites: one of each.
//
// Every walk here is iterative (an explicit stack), so JSON nested to any depth, as JSON.parse accepts it, can never
// overflow the call stack (issue 18: a PATCH value nested 20,000 deep answered 500 from a recursive walk).

export type JsonObject = Record<string, unknown>;

/** Keys that would reach an object's prototype when assigned; never copied. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A plain object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of plain JSON data (objects, arrays, primitives). Forbidden keys are left out. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const root: unknown = Array.isArray(value) ? new Array<unknown>(value.length) : {};
  // Each entry: a container still to copy, and its (empty) copy.
  const stack: [unknown, unknown][] = [[value, root]];
  while (stack.length > 0) {
    const [source, copy] = stack.pop()!;
    if (Array.isArray(source)) {
      const out = copy as unknown[];
      for (let i = 0; i < source.length; i++) out[i] = copyStep(source[i], stack);
    } else {
      const out = copy as JsonObject;
      const obj = source as JsonObject;
      for (const key of Object.keys(obj)) if (!FORBIDDEN_KEYS.has(key)) out[key] = copyStep(obj[key], stack);
    }
  }
  return root as T;
}

function copyStep(item: unknown, stack: [unknown, unknown][]): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const copy: unknown = Array.isArray(item) ? new Array<unknown>(item.length) : {};
  stack.push([item, copy]);
  return copy;
}

/** Structural equality of plain JSON data, object keys in any order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (Object.is(x, y)) continue;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], y[i]]);
      continue;
    }
    if (!isObject(x) || !isObject(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      stack.push([x[key], y[key]]);
    }
  }
  return true;
}

/** What `findShapeProblem` found, and where (keys and indices from the root). */
export interface JsonShapeProblem {
  problem: 'depth' | 'forbiddenKey';
  trail: (string | number)[];
}

interface ShapeNode {
  value: object;
  depth: number;
  parent?: ShapeNode;
  step?: string | number;
}

/**
 * The first place where plain JSON is nested deeper than `maxDepth` (the value itself is depth 0) or carries a
 * forbidden key (`__proto__`, `constructor`, `prototype`; with `foldCase`, in any letter case). Iterative: a
 * hostile body nested 200,000 deep is refused as cheaply as a flat one.
 */
export function findShapeProblem(value: unknown, maxDepth: number, foldCase = false): JsonShapeProblem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: ShapeNode[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.depth > maxDepth) return { problem: 'depth', trail: trailOf(node) };
    // Only objects and arrays are stacked: most values are strings, and a step per string was a fifth of an import.
    if (Array.isArray(node.value)) {
      const list = node.value as unknown[];
      for (let i = list.length - 1; i >= 0; i--) {
        const item = list[i];
        if (typeof item === 'object' && item !== null)
          stack.push({ value: item, depth: node.depth + 1, parent: node, step: i });
      }
      continue;
    }
    const obj = node.value as JsonObject;
    const keys = Object.keys(obj);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      if (FORBIDDEN_KEYS.has(foldCase ? key.toLowerCase() : key)) {
        return { problem: 'forbiddenKey', trail: [...trailOf(node), key] };
      }
      const item = obj[key];
      if (typeof item === 'object' && item !== null)
        stack.push({ value: item, depth: node.depth + 1, parent: node, step: key });
    }
  }
  return undefined;
}

function trailOf(node: ShapeNode): (string | number)[] {
  const trail: (string | number)[] = [];
  for (let n: ShapeNode | undefined = node; n?.step !== undefined; n = n.parent) trail.push(n.step);
  return trail.reverse();
}

/** `emails[0].value` from `['emails', 0, 'value']`, for error details. */
export function formatTrail(trail: readonly (string | number)[]): string {
  return trail.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}
