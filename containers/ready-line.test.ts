import { parseReadyLine } from './ready-line';

describe('docs/cli.md: the --json ready line, read from merged container logs', () => {
  it('returns the object under the key from the ready line', () => {
    const line = '{"pingone":{"apiUrl":"http://127.0.0.1:8081/v1","environmentId":"env-1"}}';
    expect(parseReadyLine(line, 'pingone')).toEqual({ apiUrl: 'http://127.0.0.1:8081/v1', environmentId: 'env-1' });
  });

  it('skips plain stderr log lines', () => {
    expect(parseReadyLine('pingone: API at http://0.0.0.0:8081/v1', 'pingone')).toBeUndefined();
  });

  it("skips JSON lines that are not the key's object", () => {
    expect(parseReadyLine('{"code42":{"baseUrl":"http://127.0.0.1:8080/scim/v2"}}', 'pingone')).toBeUndefined();
    expect(parseReadyLine('{"pingone":"not an object"}', 'pingone')).toBeUndefined();
  });

  it('skips a line cut in the middle', () => {
    expect(parseReadyLine('{"pingone":{"apiUrl":"http://127.0.', 'pingone')).toBeUndefined();
  });

  it('accepts the line with surrounding whitespace or a CR', () => {
    expect(parseReadyLine('  {"code42":{"token":"t"}}\r', 'code42')).toEqual({ token: 't' });
  });
});
