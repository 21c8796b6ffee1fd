// RFC 7644 §3.4.2.2 (Figure 1): a hand-written tokenizer and recursive-descent parser for SCIM filters,
// and RFC 7644 §3.5.2 PATCH paths. Error details name the token and its 0-based position (UTF-16 index).
//
// Where this is more lenient or stricter than the ABNF (each case is a row in fixtures/filter-cases.ts):
// - Any run of spaces, tabs or line breaks separates tokens (the ABNF says one SP); `not(` and `not (` both work.
// - `true`, `false` and `null` are accepted in any casing; JSON (RFC 7159) has them in lower case only.
// - `emails[type eq "work"].value eq "x"` is accepted as an extension (see parseAttrExp).
// - `and`, `or` and `not` cannot be attribute names, nor `__proto__`, `constructor` and `prototype`.
// - A schema URI may hold letters, digits and `-_.:$` only: SCIM schema URIs are URNs.
// - Errors inside a PATCH path's value filter are invalidPath, like the rest of the path.
import { ScimError, scimErrors } from '../errors';
import type { AttrPath, CompareOp, Filter, FilterValue, PatchPath } from './ast';

/** Longer input is refused before it is tokenized (hostile input). */
export const MAX_FILTER_LENGTH = 4096;
/** Deepest nesting of `(`, `not (` and `[` accepted: recursion stays far from the stack limit. */
export const MAX_FILTER_DEPTH = 64;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDER_OPS: ReadonlySet<string> = new Set<CompareOp>(['gt', 'ge', 'lt', 'le']);
// Names that would reach Object.prototype if a consumer ever indexed an object with them.
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
// RFC 7644 §3.4.2.2: ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; plus "$ref" (RFC 7643 §2.4).
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
// RFC 3986 URI = scheme ":" hier-part. Only URN-like characters reach here (see WORD_CHAR).
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:./;
// RFC 7159 §6 number.
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
// An attribute path token: ATTRNAME characters plus ":" and "." for `urn:…:2.0:User:name.givenName`, "$" for $ref.
// "_" may start one only so that `__proto__` is refused by name rather than as a stray character.
const WORD_START = /[A-Za-z$_]/;
const WORD_CHAR = /[A-Za-z0-9_\-:.$]/;
const NUMBER_CHAR = /[-+.0-9A-Za-z]/;
const SPACE = /[ \t\r\n]/;

type Kind = 'filter' | 'path';
type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | '.' | 'end';

interface Token {
  kind: TokenKind;
  /** The token as written (strings with their quotes). */
  text: string;
  pos: number;
  /** Decoded value of a string or number token. */
  value?: FilterValue;
}

/** Parses a `filter` parameter (RFC 7644 §3.4.2.2). Throws `invalidFilter` naming the token and its position. */
export function parseFilter(text: string): Filter {
  const parser = new Parser(text, 'filter');
  const filter = parser.parseOr(false);
  parser.expectEnd();
  return filter;
}

/** Parses a PATCH `path` (RFC 7644 §3.5.2: PATH = attrPath / valuePath [subAttr]). Throws `invalidPath`. */
export function parsePath(text: string): PatchPath {
  const parser = new Parser(text, 'path');
  const path = parser.parsePatchPath();
  parser.expectEnd();
  return path;
}

/** `uri:attr.sub`, as written: the form `resolveAttribute` takes and error messages show. */
export function formatAttrPath(path: AttrPath): string {
  return `${path.uri !== undefined ? `${path.uri}:` : ''}${path.attr}${path.sub !== undefined ? `.${path.sub}` : ''}`;
}

class Parser {
  private readonly kind: Kind;
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(text: unknown, kind: Kind) {
    this.kind = kind;
    // A query string like `?filter=a&filter=b` arrives as an array: refuse anything but one string.
    if (typeof text !== 'string') throw this.error('must be a single string');
    if (text.length > MAX_FILTER_LENGTH) {
      throw this.error(`${kind} too long: ${text.length} characters, at most ${MAX_FILTER_LENGTH}`, false);
    }
    this.tokens = tokenize(text, (detail) => this.error(detail));
  }

  // FILTER = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"; "and" binds tighter than "or" (RFC 7644 §3.4.2.2).
  parseOr(inValuePath: boolean): Filter {
    let left = this.parseAnd(inValuePath);
    while (this.peekWord('or')) {
      this.next();
      left = { op: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): Filter {
    let left = this.parseUnary(inValuePath);
    while (this.peekWord('and')) {
      this.next();
      left = { op: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): Filter {
    const token = this.peek();
    if (token.kind === '(') return this.group(inValuePath);
    if (token.kind === 'word' && token.text.toLowerCase() === 'not') {
      this.next();
      // The ABNF writes `not(`; `not (` with a space is what clients send. Both are accepted.
      if (this.peek().kind !== '(') throw this.error(`expected '(' after 'not' at ${this.peek().pos}`);
      return { op: 'not', filter: this.group(inValuePath) };
    }
    if (token.kind === 'word' && !['and', 'or'].includes(token.text.toLowerCase())) {
      this.next();
      return this.parseAttrExp(token, inValuePath);
    }
    throw this.unexpected(token, 'expected an attribute path, "(" or "not ("');
  }

  private group(inValuePath: boolean): Filter {
    const open = this.next();
    this.enter(open);
    const inner = this.parseOr(inValuePath);
    this.expect(')');
    this.depth--;
    return inner;
  }

  private parseAttrExp(pathToken: Token, inValuePath: boolean): Filter {
    const path = this.attrPath(pathToken);
    if (this.peek().kind !== '[') return this.comparison(path);
    // RFC 7644 §3.4.2.2: valFilter = attrExp / logExp / *1"not" "(" valFilter ")": no valuePath inside a valuePath.
    if (inValuePath) throw this.error(`nested value path at ${this.peek().pos}`);
    const inner = this.valueFilter();
    if (this.peek().kind !== '.') return { op: 'valuePath', path, filter: inner };
    // Extension, not in the RFC ABNF: `emails[type eq "work"].value eq "x"` (sent by Azure AD and others) is read
    // as `emails[type eq "work" and value eq "x"]`: the sub-attribute comparison moves inside the brackets.
    const sub = this.subAttr();
    return { op: 'valuePath', path, filter: { op: 'and', left: inner, right: this.comparison({ attr: sub }) } };
  }

  // attrExp = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
  private comparison(path: AttrPath): Filter {
    const opToken = this.next();
    const op = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { op: 'pr', path };
    if (!COMPARE_OPS.has(op)) {
      throw this.unexpected(opToken, 'expected an operator: eq, ne, co, sw, ew, gt, ge, lt, le or pr');
    }
    const valueToken = this.next();
    const value = this.literal(valueToken);
    // RFC 7644 §3.4.2.2 Table 3: gt/ge/lt/le on Boolean attributes SHALL fail with invalidFilter; null has no order.
    if (ORDER_OPS.has(op) && (value === null || typeof value === 'boolean')) {
      throw this.error(`'${op}' cannot compare with ${valueToken.text} at ${valueToken.pos}`);
    }
    return { op: op as CompareOp, path, value };
  }

  // compValue = false / null / true / number / string (JSON, RFC 7159). The literals are accepted in any
  // casing (`True`, `NULL`): unambiguous in value position, and consistent with case-insensitive operators.
  private literal(token: Token): FilterValue {
    if (token.kind === 'string' || token.kind === 'number') return token.value as FilterValue;
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
    }
    throw this.unexpected(token, 'expected a value: a "string", number, true, false or null');
  }

  // PATH = attrPath / valuePath [subAttr]
  parsePatchPath(): PatchPath {
    const token = this.next();
    if (token.kind !== 'word') throw this.unexpected(token, 'expected an attribute path');
    const result: PatchPath = { path: this.attrPath(token) };
    if (this.peek().kind !== '[') return result;
    result.filter = this.valueFilter();
    if (this.peek().kind === '.') result.sub = this.subAttr();
    return result;
  }

  private valueFilter(): Filter {
    const open = this.next();
    this.enter(open);
    const inner = this.parseOr(true);
    this.expect(']');
    this.depth--;
    return inner;
  }

  // subAttr = "." ATTRNAME, directly after "]".
  private subAttr(): string {
    const dot = this.next();
    const name = this.next();
    if (name.kind !== 'word' || name.pos !== dot.pos + 1) throw this.unexpected(name, 'expected a sub-attribute name');
    return this.attrName(name.text, name.pos);
  }

  // attrPath = [URI ":"] ATTRNAME *1subAttr. The URI ends at the last ":" (URNs contain ":" and "2.0").
  private attrPath(token: Token): AttrPath {
    const colon = token.text.lastIndexOf(':');
    const uri = colon >= 0 ? token.text.slice(0, colon) : undefined;
    if (uri !== undefined && !URI.test(uri)) throw this.error(`invalid schema URI '${uri}' at ${token.pos}`);
    const names = token.text.slice(colon + 1).split('.');
    if (names.length > 2) throw this.error(`invalid attribute path '${token.text}' at ${token.pos}`);
    const attrPos = token.pos + colon + 1;
    const attr = this.attrName(names[0], attrPos);
    const path: AttrPath = uri !== undefined ? { uri, attr } : { attr };
    if (names.length === 2) path.sub = this.attrName(names[1], attrPos + names[0].length + 1);
    return path;
  }

  private attrName(name: string, pos: number): string {
    if (FORBIDDEN_NAMES.has(name.toLowerCase())) throw this.error(`attribute name '${name}' is not allowed at ${pos}`);
    if (name === '') throw this.error(`expected an attribute name at ${pos}`);
    if (!ATTRNAME.test(name)) throw this.error(`invalid attribute name '${name}' at ${pos}`);
    return name;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    throw this.unexpected(
      token,
      this.kind === 'filter' ? 'expected "and", "or" or the end' : 'expected the end of the path',
    );
  }

  private expect(kind: ')' | ']'): void {
    const token = this.next();
    if (token.kind !== kind) {
      throw this.error(`expected '${kind}' at ${token.pos}${token.kind === 'end' ? '' : `, found '${token.text}'`}`);
    }
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw this.error(`nesting deeper than ${MAX_FILTER_DEPTH} levels at ${token.pos}`);
    }
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private peekWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private unexpected(token: Token, hint: string): ScimError {
    const what =
      token.kind === 'end'
        ? `unexpected end of input at ${token.pos}`
        : `unexpected token '${token.text}' at ${token.pos}`;
    return this.error(hint ? `${what} (${hint})` : what);
  }

  private error(detail: string, prefix = true): ScimError {
    const text = prefix ? `${this.kind}: ${detail}` : detail;
    return this.kind === 'filter' ? scimErrors.invalidFilter(text) : scimErrors.invalidPath(text);
  }
}

function tokenize(text: string, fail: (detail: string) => ScimError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (SPACE.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === '.') {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
    } else if (c === '"') {
      const end = scanString(text, i, fail);
      const raw = text.slice(i, end);
      // The scan has checked RFC 7159 §7 (escapes, no raw control characters), so JSON.parse decodes it exactly.
      tokens.push({ kind: 'string', text: raw, pos: i, value: JSON.parse(raw) as string });
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end])) end++;
      const raw = text.slice(i, end);
      const value = Number(raw);
      if (!JSON_NUMBER.test(raw)) throw fail(`invalid number '${raw}' at ${i}`);
      if (!Number.isFinite(value)) throw fail(`number '${raw}' out of range at ${i}`);
      tokens.push({ kind: 'number', text: raw, pos: i, value });
      i = end;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < text.length && WORD_CHAR.test(text[end])) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end), pos: i });
      i = end;
    } else {
      throw fail(`unexpected character '${String.fromCodePoint(text.codePointAt(i) as number)}' at ${i}`);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

/** Returns the index after the closing quote of the JSON string that starts at `start`. */
function scanString(text: string, start: number, fail: (detail: string) => ScimError): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c < ' ') {
      const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw fail(`control character U+${code} in string at ${i}`);
    }
    if (c === '\\') {
      const escape = text[i + 1] ?? '';
      if (escape === 'u') {
        if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
          throw fail(`invalid escape '${text.slice(i, i + 6)}' at ${i}`);
        }
        i += 6;
        continue;
      }
      if (escape === '') break;
      if (!'"\\/bfnrt'.includes(escape)) throw fail(`invalid escape '\\${escape}' at ${i}`);
      i += 2;
      continue;
    }
    i++;
  }
  throw fail(`unterminated string at ${start}`);
}
