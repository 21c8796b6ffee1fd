// Issue 13 §5: evidence the other side recorded. A provisioner's SCIM traffic to the target never passes through
// scim-lab, so its verdicts rest on exchanges only a mock's journal holds (docs/admin-api.md, `GET /__admin/journal`):
// the mock PingOne's outbound journal (what it sent the target) in the flow suite, the mock Code42's journal (what the
// provisioner under test sent it) in the provisioner suite. When a requirement ends, its context factory reads that
// journal over the admin API and records each entry in the requirement's evidence, at the time it happened.
import type { JournalEntry } from '../../lab/types';
import type { ContextScope, Exchange } from './types';

/** The most entries read per requirement (the newest); a requirement sends a handful. */
export const MAX_JOURNAL_ENTRIES = 500;

/** How long reading a journal may take: it is a mock's own admin surface, on this machine. */
const READ_TIMEOUT_MS = 5000;

export interface JournalSource {
  /** The mock's `/__admin` base URL. */
  adminUrl: string;
  adminToken: string;
  /** Journal query parameters, e.g. `{ direction: 'outbound' }`. */
  query?: Record<string, string>;
  /** Participants of the sequence diagram, e.g. `PingOne` → `target`. */
  from: string;
  to: string;
  /** Entries to leave out, e.g. the suite's own requests to the target. */
  skip?: (entry: JournalEntry) => boolean;
}

/** The same exchange, whoever recorded it: a check may already have read the journal and recorded some of it. */
const keyOf = (e: Pick<Exchange, 'from' | 'to' | 'startedAt'> & { request: { method: string; url: string } }) =>
  `${e.from} ${e.to} ${e.startedAt} ${e.request.method} ${e.request.url}`;

/**
 * Reads a mock's journal and records each entry not yet in the requirement's evidence. Returns how many it recorded.
 * Throws when the journal cannot be read; the runner then logs why, and the verdict stands.
 */
export async function collectJournal(source: JournalSource, scope: Pick<ContextScope, 'recorder'>): Promise<number> {
  const query = new URLSearchParams({ ...source.query, limit: String(MAX_JOURNAL_ENTRIES) });
  const url = `${source.adminUrl.replace(/\/+$/, '')}/journal?${query}`;
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${source.adminToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const entries = ((await res.json()) as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new Error(`GET ${url} answered without an 'entries' array`);
  // Recorded entries are redacted, so compare them with the entries as the recorder would keep them: by time,
  // method and URL as the journal (which redacts too) gives them.
  const seen = new Set(scope.recorder.list().map(keyOf));
  let recorded = 0;
  for (const entry of entries as JournalEntry[]) {
    if (source.skip?.(entry)) continue;
    const participants = { from: source.from, to: source.to, startedAt: entry.time };
    if (seen.has(keyOf({ ...participants, request: { method: entry.method, url: entry.url } }))) continue;
    scope.recorder.record({
      ...participants,
      durationMs: entry.durationMs,
      request: {
        method: entry.method,
        url: entry.url,
        headers: entry.request.headers,
        ...(entry.request.body === undefined ? {} : { body: entry.request.body }),
      },
      ...(entry.status === 0
        ? { error: entry.error ?? 'no response' }
        : {
            response: {
              status: entry.status,
              headers: entry.response.headers,
              ...(entry.response.body === undefined ? {} : { body: entry.response.body }),
            },
            ...(entry.error === undefined ? {} : { error: entry.error }),
          }),
    });
    recorded += 1;
  }
  return recorded;
}
