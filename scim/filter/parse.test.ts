import fc from 'fast-check';
import { filterParseCases, pathParseCases, type ExpectedError } from '../../fixtures/filter-cases';
import { isScimError } from '../errors';
import type { AttrPath, CompareOp, Filter, FilterValue, PatchPath } from './ast';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, parsePath } from './parse';

function isError<T extends 'invalidFilter' | 'invalidPath'>(expected: unknown): expected is ExpectedError<T> {
  return typeof expected === 'object' && expected !== null && 'error' in expected;
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, but none was thrown');
}

function expectScimError(run: () => unknown, scimType: 'invalidFilter' | 'invalidPath', detailIncludes?: string) {
  const err = caught(run);
  if (!isScimError(err)) throw err;
  expect(err.status).toBe(400);
  expect(err.scimType).toBe(scimType);
  if (detailIncludes !== undefined) expect(err.detail).toContain(detailIncludes);
  return err;
}

const filterRows = filterParseCases.filter((row) => !isError(row.expected));
const filterErrorRows = filterParseCases.filter((row) => isError(row.expected));
const pathRows = pathParseCases.filter((row) => !isError(row.expected));
const pathErrorRows = pathParseCases.filter((row) => isError(row.expected));

describe('RFC 7644 §3.4.2.2 filter grammar', () => {
  it.each(filterRows)('parses $name: $input', ({ input, expected }) => {
    expect(parseFilter(input)).toStrictEqual(expected);
  });

  it.each(filterErrorRows)('refuses $name with invalidFilter: $input', ({ input, expected }) => {
    expectScimError(
      () => parseFilter(input),
      'invalidFilter',
      (expected as ExpectedError<'invalidFilter'>).detailIncludes,
    );
  });

  it('keeps parsed filters JSON-serialisable (no undefined fields)', () => {
    for (const row of filterRows)
      expect(JSON.parse(JSON.stringify(parseFilter(row.input)))).toStrictEqual(row.expected);
  });
});

describe('RFC 7644 §3.5.2 PATCH path grammar', () => {
  it.each(pathRows)('parses $name: $input', ({ input, expected }) => {
    expect(parsePath(input)).toStrictEqual(expected);
  });

  it.each(pathErrorRows)('refuses $name with invalidPath: $input', ({ input, expected }) => {
    expectScimError(() => parsePath(input), 'invalidPath', (expected as ExpectedError<'invalidPath'>).detailIncludes);
  });
});

describe('error details', () => {
  const unexpectedToken = /unexpected token '(.*)' at (\d+)/;

  it('point at the offending token: the input holds that token at the reported position', () => {
    const rows = [...filterErrorRows, ...pathErrorRows].filter((row) => {
      const detail = (row.expected as ExpectedError<'invalidFilter'>).detailIncludes;
      return detail !== undefined && unexpectedToken.test(detail);
    });
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const err = caught(() =>
        (isError<'invalidPath'>(row.expected) && row.expected.error === 'invalidPath' ? parsePath : parseFilter)(
          row.input,
        ),
      );
      const match = unexpectedToken.exec((err as Error).message);
      expect(match).not.toBeNull();
      const [, token, pos] = match as RegExpExecArray;
      expect(row.input.startsWith(token, Number(pos))).toBe(true);
    }
  });

  it('names an unterminated string by the position of its opening quote', () => {
    const input = 'userName eq "x" and title eq "abc';
    expectScimError(() => parseFilter(input), 'invalidFilter', `unterminated string at ${input.lastIndexOf('"')}`);
  });

  it('reports a missing bracket at the end of the input', () => {
    const input = 'userName pr and emails[type eq "work"';
    expectScimError(() => parseFilter(input), 'invalidFilter', `filter: expected ']' at ${input.length}`);
  });
});

describe('hostile input', () => {
  it(`refuses a filter longer than ${MAX_FILTER_LENGTH} characters before parsing it`, () => {
    expectScimError(
      () => parseFilter(`title eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`),
      'invalidFilter',
      'filter too long',
    );
  });

  it(`accepts a filter of exactly ${MAX_FILTER_LENGTH} characters`, () => {
    const input = `title eq "${'a'.repeat(MAX_FILTER_LENGTH - 11)}"`;
    expect(input).toHaveLength(MAX_FILTER_LENGTH);
    expect(parseFilter(input)).toStrictEqual({
      op: 'eq',
      path: { attr: 'title' },
      value: 'a'.repeat(MAX_FILTER_LENGTH - 11),
    });
  });

  it('answers 10000 nested parentheses with invalidFilter, not a stack overflow', () => {
    expectScimError(() => parseFilter(`${'('.repeat(10000)}title pr${')'.repeat(10000)}`), 'invalidFilter');
    expectScimError(() => parseFilter('('.repeat(10000)), 'invalidFilter');
  });

  it(`accepts ${MAX_FILTER_DEPTH} levels of nesting`, () => {
    const input = `${'not ('.repeat(MAX_FILTER_DEPTH - 1)}(title pr)${')'.repeat(MAX_FILTER_DEPTH - 1)}`;
    let filter = parseFilter(input);
    for (let i = 0; i < MAX_FILTER_DEPTH - 1; i++) {
      expect(filter.op).toBe('not');
      filter = (filter as { filter: Filter }).filter;
    }
    expect(filter).toStrictEqual({ op: 'pr', path: { attr: 'title' } });
  });

  it(`refuses ${MAX_FILTER_DEPTH + 1} levels of nesting, naming where`, () => {
    const input = `${'('.repeat(MAX_FILTER_DEPTH + 1)}title pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    expectScimError(
      () => parseFilter(input),
      'invalidFilter',
      `nesting deeper than ${MAX_FILTER_DEPTH} levels at ${MAX_FILTER_DEPTH}`,
    );
  });

  it('parses a long flat chain of and without deep recursion', () => {
    const terms = Math.floor(MAX_FILTER_LENGTH / 'title pr and '.length);
    const input = Array.from({ length: terms }, () => 'title pr').join(' and ');
    let filter = parseFilter(input);
    let count = 1;
    while (filter.op === 'and') {
      expect(filter.right).toStrictEqual({ op: 'pr', path: { attr: 'title' } });
      filter = filter.left;
      count++;
    }
    expect(count).toBe(terms);
  });

  it('refuses a parameter that is not one string (e.g. ?filter=a&filter=b)', () => {
    expectScimError(() => parseFilter(['a pr', 'b pr'] as unknown as string), 'invalidFilter', 'single string');
    expectScimError(() => parsePath(undefined as unknown as string), 'invalidPath', 'single string');
  });

  it('answers any input with a filter or an invalidFilter, never another error', () => {
    const alphabet = fc.constantFrom(...'ab ()[]."\\:$_-01eqnotandorpru\t\u0000é漢'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 })), (input) => {
        try {
          parseFilter(input);
        } catch (err) {
          if (!isScimError(err) || err.scimType !== 'invalidFilter') throw err;
        }
        try {
          parsePath(input);
        } catch (err) {
          if (!isScimError(err) || err.scimType !== 'invalidPath') throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// Prints an AST as filter text: every and/or parenthesised, every value as JSON.
function print(filter: Filter): string {
  const path = (p: AttrPath) => `${p.uri ? `${p.uri}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${print(filter.left)} ${filter.op} ${print(filter.right)})`;
    case 'not':
      return `not (${print(filter.filter)})`;
    case 'valuePath':
      return `${path(filter.path)}[${print(filter.filter)}]`;
    case 'pr':
      return `${path(filter.path)} pr`;
    default:
      return `${path(filter.path)} ${filter.op} ${JSON.stringify(filter.value)}`;
  }
}

describe('round trip', () => {
  // fast-check builds null-prototype records by default; the parser builds plain objects.
  const plain = { noNullPrototype: true } as const;
  const reserved = new Set(['and', 'or', 'not', 'constructor', 'prototype']);
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,6}$/).filter((n) => !reserved.has(n.toLowerCase()));
  const attrPath: fc.Arbitrary<AttrPath> = fc.record(
    { uri: fc.constantFrom('urn:ietf:params:scim:schemas:core:2.0:User', 'urn:x:y'), attr: name, sub: name },
    { requiredKeys: ['attr'], noNullPrototype: true },
  );
  const number = fc
    .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
    .filter((n) => !Object.is(n, -0));
  const stringValue = fc.string({ unit: 'binary' });
  const compare: fc.Arbitrary<Filter> = fc.oneof(
    fc.record({ op: fc.constant('pr' as const), path: attrPath }, plain),
    fc.record(
      {
        op: fc.constantFrom<CompareOp>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'),
        path: attrPath,
        value: fc.oneof(stringValue, number) as fc.Arbitrary<FilterValue>,
      },
      plain,
    ),
    fc.record(
      { op: fc.constantFrom<CompareOp>('eq', 'ne'), path: attrPath, value: fc.constantFrom(true, false, null) },
      plain,
    ),
  );
  const logic = (leaf: fc.Arbitrary<Filter>) =>
    fc.letrec<{ f: Filter }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ op: fc.constantFrom('and' as const, 'or' as const), left: tie('f'), right: tie('f') }, plain),
        fc.record({ op: fc.constant('not' as const), filter: tie('f') }, plain),
      ),
    })).f;
  const valuePath: fc.Arbitrary<Filter> = fc.record(
    { op: fc.constant('valuePath' as const), path: attrPath, filter: logic(compare) },
    plain,
  );
  const filter = logic(fc.oneof(compare, valuePath));

  it('parses printed filters back to the same AST, whatever the string values hold', () => {
    fc.assert(
      fc.property(filter, (ast) => {
        const text = print(ast);
        fc.pre(text.length <= MAX_FILTER_LENGTH);
        expect(parseFilter(text)).toStrictEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  it('parses printed PATCH paths back to the same path', () => {
    const patchPath: fc.Arbitrary<PatchPath> = fc.oneof(
      fc.record({ path: attrPath }, plain),
      fc.record(
        { path: attrPath, filter: logic(compare), sub: name },
        { requiredKeys: ['path', 'filter'], noNullPrototype: true },
      ),
    );
    fc.assert(
      fc.property(patchPath, (p) => {
        const base = `${p.path.uri ? `${p.path.uri}:` : ''}${p.path.attr}${p.path.sub ? `.${p.path.sub}` : ''}`;
        const text = `${base}${p.filter ? `[${print(p.filter)}]` : ''}${p.sub ? `.${p.sub}` : ''}`;
        fc.pre(text.length <= MAX_FILTER_LENGTH);
        expect(parsePath(text)).toStrictEqual(p);
      }),
      { numRuns: 300 },
    );
  });
});
