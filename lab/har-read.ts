// The one HAR 1.2 reader (http://www.softwareishard.com/blog/har-12-spec/): captures written by `scim-lab record`
// (lab/recorder.ts), the mocks' `/__admin/journal.har` (lab/har.ts), and HAR files exported by a browser or another
// proxy. It checks what a replay needs and names the first field at fault: `entry 3: request.url is missing`.

/** One recorded exchange, as a replay reads it. */
export interface RecordedExchange {
  /** 1-based position in the file. */
  index: number;
  startedAt: string;
  /** The entry's `time` in milliseconds (0 when absent). */
  timeMs: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestText?: string;
  /** 0 when no response arrived. */
  status: number;
  responseHeaders: Record<string, string>;
  responseText?: string;
  /** `_error` of a scim-lab capture: why no (normal) response arrived. */
  error?: string;
}

export interface HarCapture {
  creator: string;
  exchanges: RecordedExchange[];
  /** Set when the file was an unfinished capture (the recorder was killed) and its complete entries were kept. */
  recovered?: string;
}

export class HarReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarReadError';
  }
}

/** The first line of a capture that `scim-lab record` streams; one entry per line follows (docs/record-replay.md). */
export const STREAM_HEAD = '{"log":{"version":"1.2","creator":';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a HAR document's text. Throws HarReadError with a one-line message. */
export function readHar(text: string): HarCapture {
  let document: unknown;
  let recovered: string | undefined;
  try {
    document = JSON.parse(text);
  } catch (err) {
    const partial = text.startsWith(STREAM_HEAD) ? recoverStream(text) : undefined;
    if (!partial) throw new HarReadError(`not JSON: ${(err as Error).message}`);
    ({ document, recovered } = partial);
  }
  if (!isObject(document) || !isObject(document.log)) throw new HarReadError("not a HAR file: no 'log' object");
  const log = document.log;
  if (typeof log.version !== 'string') throw new HarReadError("log.version is missing (HAR 1.2 wants '1.2')");
  if (!Array.isArray(log.entries)) throw new HarReadError('log.entries is missing or not an array');
  const creator = isObject(log.creator) && typeof log.creator.name === 'string' ? log.creator.name : 'unknown';
  const exchanges = log.entries.map((e, i) => exchangeOf(e, i + 1));
  return { creator, exchanges, ...(recovered !== undefined && { recovered }) };
}

/**
 * An unfinished capture: the head line, then complete entries one per line, maybe a cut last line. Every line that
 * parses is kept; the first that does not (a write the crash interrupted) ends the file.
 */
function recoverStream(text: string): { document: unknown; recovered: string } | undefined {
  const [head, ...lines] = text.split('\n');
  if (!head.endsWith('"entries":[')) return undefined;
  let document: Json;
  try {
    document = JSON.parse(`${head}]}}`) as Json;
  } catch {
    return undefined;
  }
  const entries: unknown[] = [];
  let cut = 0;
  for (const line of lines) {
    const body = line.replace(/^,/, '');
    if (body === '' || body.startsWith(']')) continue;
    try {
      entries.push(JSON.parse(body));
    } catch {
      cut += 1;
      break;
    }
  }
  (document.log as Json).entries = entries;
  const note = `unfinished capture (the recorder did not close it): kept its ${entries.length} complete entries`;
  return { document, recovered: cut > 0 ? `${note}, dropped a cut last line` : note };
}

function exchangeOf(entry: unknown, index: number): RecordedExchange {
  const at = (field: string) => new HarReadError(`entry ${index}: ${field}`);
  if (!isObject(entry)) throw at('is not an object');
  const { request, response } = entry;
  if (!isObject(request)) throw at('request is missing');
  if (!isObject(response)) throw at('response is missing');
  if (typeof request.method !== 'string' || request.method === '') throw at('request.method is missing');
  if (typeof request.url !== 'string' || !URL.canParse(request.url))
    throw at(`request.url is missing or not an absolute URL`);
  if (typeof response.status !== 'number' || !Number.isInteger(response.status))
    throw at('response.status is missing or not an integer');
  const content = isObject(response.content) ? response.content : {};
  const postData = isObject(request.postData) ? request.postData : {};
  return {
    index,
    startedAt: typeof entry.startedDateTime === 'string' ? entry.startedDateTime : '',
    timeMs: typeof entry.time === 'number' && entry.time > 0 ? entry.time : 0,
    method: request.method.toUpperCase(),
    url: request.url,
    requestHeaders: headersOf(request.headers, () => at('request.headers is not a list of {name, value}')),
    ...(typeof postData.text === 'string' && { requestText: postData.text }),
    status: response.status,
    responseHeaders: headersOf(response.headers, () => at('response.headers is not a list of {name, value}')),
    ...(typeof content.text === 'string' && { responseText: contentText(content) }),
    ...(typeof entry._error === 'string' && { error: entry._error }),
  };
}

function headersOf(list: unknown, fail: () => HarReadError): Record<string, string> {
  if (list === undefined) return {};
  if (!Array.isArray(list)) throw fail();
  const out: Record<string, string> = {};
  for (const pair of list) {
    if (!isObject(pair) || typeof pair.name !== 'string') throw fail();
    out[pair.name.toLowerCase()] = String(pair.value ?? '');
  }
  return out;
}

/** HAR 1.2 `content.encoding: "base64"` (browsers write binary and some text bodies so). */
function contentText(content: Json): string {
  const text = content.text as string;
  return content.encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text;
}
