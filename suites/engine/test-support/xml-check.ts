// A minimal XML reader for tests: checks well-formedness with a tag stack (no new dependency, no regex parsing)
// and returns the element tree so tests can look inside.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch === '<') throw new Error(`raw '<' in text or attribute near ${at + i}`);
    if (ch !== '&') {
      const code = ch.charCodeAt(0);
      if (code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r')
        throw new Error(`control character U+${code.toString(16)} near ${at + i}`);
      out += ch;
      continue;
    }
    const end = raw.indexOf(';', i);
    if (end < 0) throw new Error(`unterminated entity near ${at + i}`);
    const name = raw.slice(i + 1, end);
    if (name in ENTITIES) out += ENTITIES[name];
    else if (name.startsWith('#x')) out += String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (name.startsWith('#') && name.length > 1 && [...name.slice(1)].every((c) => c >= '0' && c <= '9')) {
      const code = Number(name.slice(1));
      if (code < 0x20 && code !== 9 && code !== 10 && code !== 13)
        throw new Error(`forbidden character reference &${name};`);
      out += String.fromCodePoint(code);
    } else throw new Error(`unknown entity &${name}; near ${at + i}`);
    i = end;
  }
  return out;
}

function isNameChar(ch: string | undefined): boolean {
  return (
    ch !== undefined &&
    ch !== ' ' &&
    ch !== '\n' &&
    ch !== '\t' &&
    ch !== '\r' &&
    ch !== '>' &&
    ch !== '/' &&
    ch !== '='
  );
}

/** Parses an XML document; throws on anything not well-formed (unbalanced tags, bad entities, raw '<' or controls). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    const text = decode(xml.slice(i, textEnd), i);
    stack[stack.length - 1].text += text;
    if (lt < 0) break;
    if (xml.startsWith('<?', lt)) {
      i = xml.indexOf('?>', lt) + 2;
      continue;
    }
    if (xml.startsWith('<!--', lt)) {
      i = xml.indexOf('-->', lt) + 3;
      continue;
    }
    if (xml[lt + 1] === '/') {
      const close = xml.indexOf('>', lt);
      const name = xml.slice(lt + 2, close).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}> at ${lt}`);
      i = close + 1;
      continue;
    }
    let j = lt + 1;
    while (isNameChar(xml[j])) j += 1;
    const element: XmlElement = { name: xml.slice(lt + 1, j), attributes: {}, children: [], text: '' };
    if (element.name === '') throw new Error(`empty tag name at ${lt}`);
    for (;;) {
      while (xml[j] === ' ' || xml[j] === '\n' || xml[j] === '\t') j += 1;
      if (xml[j] === '>' || xml.startsWith('/>', j)) break;
      const nameStart = j;
      while (isNameChar(xml[j])) j += 1;
      const attribute = xml.slice(nameStart, j);
      if (xml[j] !== '=' || (xml[j + 1] !== '"' && xml[j + 1] !== "'"))
        throw new Error(`attribute ${attribute} is not quoted at ${j}`);
      const quote = xml[j + 1];
      const valueEnd = xml.indexOf(quote, j + 2);
      if (valueEnd < 0) throw new Error(`unterminated attribute ${attribute}`);
      if (attribute in element.attributes) throw new Error(`duplicate attribute ${attribute} on <${element.name}>`);
      element.attributes[attribute] = decode(xml.slice(j + 2, valueEnd), j + 2);
      j = valueEnd + 1;
    }
    stack[stack.length - 1].children.push(element);
    if (xml[j] === '>') {
      stack.push(element);
      i = j + 1;
    } else {
      i = j + 2;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error(`expected one root element, got ${root.children.length}`);
  return root.children[0];
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((c) => findAll(c, name))];
}
