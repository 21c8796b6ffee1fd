// Escaping for XML (JUnit), SVG and HTML. User data in reports is hostile by design (fixtures/users.ts).

// XML 1.0 §2.2 forbids these characters even as character references: C0 controls other than tab, LF and CR,
// U+FFFE, U+FFFF, and unpaired surrogates.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const ATTRIBUTE_WHITESPACE: Record<string, string> = { '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/**
 * Escapes text for XML, SVG or HTML. Forbidden characters are written visibly as `\uXXXX` (unpaired surrogates as
 * U+FFFD). In attributes, tab, LF and CR become character references so that parsers keep them.
 */
export function escapeMarkup(text: string, attribute = false): string {
  return text
    .replace(FORBIDDEN, (ch) =>
      ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF'
        ? '\uFFFD'
        : `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    )
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch])
    .replace(attribute ? /[\n\r\t]/g : /\r/g, (ch) => ATTRIBUTE_WHITESPACE[ch]);
}
