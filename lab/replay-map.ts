// What a replay rewrites before it sends a recorded request (docs/record-replay.md):
// - ids the recorded server assigned become the ids the target assigned for the same step (RFC 7643 §3.1: `id` is
//   assigned by the service provider), in paths, query strings (filters) and bodies, and ETags likewise
//   (RFC 7644 §3.14: versions are opaque and the server's own);
// - with a prefix, the unique values the recorded requests sent (userName, externalId, emails) carry it, so that the
//   replay can run again on a server that keeps what an earlier run created.
// One table, applied in one pass (longest match first), so that a value is never rewritten twice.

/** Attributes whose values a server keeps unique, or that find a user again (RFC 7643 §4.1.1, §3.1). */
const UNIQUE_ATTRIBUTES = ['userName', 'externalId'];

export class Rewrites {
  private readonly table = new Map<string, string>();
  private pattern: RegExp | undefined;

  /** Every later text gets `to` where it had `from` (also as URL-encoded and as JSON-escaped text). */
  add(from: string, to: string): void {
    if (from === '' || from === to) return;
    for (const [a, b] of [
      [from, to],
      [encodeURIComponent(from), encodeURIComponent(to)],
      [JSON.stringify(from).slice(1, -1), JSON.stringify(to).slice(1, -1)],
    ])
      this.table.set(a, b);
    this.pattern = undefined;
  }

  get size(): number {
    return this.table.size;
  }

  apply(text: string): string;
  apply(text: string | undefined): string | undefined;
  apply(text: string | undefined): string | undefined {
    if (text === undefined || this.table.size === 0) return text;
    this.pattern ??= this.compile();
    return text.replace(this.pattern, (match) => this.table.get(match) ?? match);
  }

  private compile(): RegExp {
    // Whole tokens only: id `12` is not rewritten inside `312`; `%22` before a value (an encoded quote) is a boundary.
    const alternation = [...this.table.keys()]
      .sort((a, b) => b.length - a.length)
      .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|');
    return new RegExp(`(?<!(?<!%[0-9A-Fa-f])[\\w-])(?:${alternation})(?![\\w-])`, 'g');
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The unique values a request body sends: userName, externalId and every emails[].value. */
export function uniqueValues(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (UNIQUE_ATTRIBUTES.some((name) => name.toLowerCase() === key.toLowerCase()) && typeof value === 'string')
      out.push(value);
    if (key.toLowerCase() === 'emails' && Array.isArray(value))
      for (const email of value) if (isRecord(email) && typeof email.value === 'string') out.push(email.value);
  }
  return out;
}

/** The ids a response names: its own `id`, the ids of `Resources[]`, in order. */
export function idsOf(body: unknown): string[] {
  if (!isRecord(body)) return [];
  if (Array.isArray(body.Resources)) return body.Resources.flatMap((r) => (isRecord(r) ? idsOf(r) : []));
  return typeof body.id === 'string' ? [body.id] : [];
}

/** The last path segment of a Location header (RFC 7644 §3.3: the created resource's URI). */
export function idOfLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const segment = location.split(/[?#]/, 1)[0].replace(/\/$/, '').split('/').pop();
  return segment ? decodeURIComponent(segment) : undefined;
}

/** Learns recorded → replayed ids from two answers to the same request, position by position. */
export function learnIds(
  rewrites: Rewrites,
  recorded: { body: unknown; headers: Record<string, string> },
  replayed: { body: unknown; headers: Record<string, string> },
): void {
  const before = idsOf(recorded.body);
  const after = idsOf(replayed.body);
  before.forEach((id, i) => {
    if (after[i] !== undefined) rewrites.add(id, after[i]);
  });
  const location = [idOfLocation(recorded.headers.location), idOfLocation(replayed.headers.location)];
  if (location[0] && location[1]) rewrites.add(location[0], location[1]);
  if (recorded.headers.etag && replayed.headers.etag) rewrites.add(recorded.headers.etag, replayed.headers.etag);
  const version = [versionOf(recorded.body), versionOf(replayed.body)];
  if (version[0] && version[1]) rewrites.add(version[0], version[1]);
}

function versionOf(body: unknown): string | undefined {
  return isRecord(body) && isRecord(body.meta) && typeof body.meta.version === 'string' ? body.meta.version : undefined;
}
