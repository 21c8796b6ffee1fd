// Issue 13 §5: the flow's verdicts rest on what the mock PingOne sent the target — the DELETE that broke the rule is
// an exchange between PingOne's provisioner and the target, which scim-lab never sees on the wire. The mock PingOne
// records that traffic in its own journal (direction `outbound`, contracts.md §2); when a flow requirement ends, it is
// read over the admin API and recorded as the requirement's evidence, PingOne → target, at the time it happened.
import type { JournalEntry } from '../../lab/types';
import type { ContextScope } from '../engine';

/** The most outbound entries read per requirement (the newest); a flow requirement sends a handful. */
export const MAX_OUTBOUND_ENTRIES = 500;

/** How long reading the journal may take: it is the mock's own admin surface, on this machine. */
const READ_TIMEOUT_MS = 5000;

export interface PingOneAdmin {
  adminUrl: string;
  adminToken: string;
}

/** Reads the mock PingOne's outbound journal and records each entry in the requirement's evidence. */
export async function collectOutbound(admin: PingOneAdmin, scope: Pick<ContextScope, 'recorder'>): Promise<number> {
  const url = `${admin.adminUrl.replace(/\/+$/, '')}/journal?direction=outbound&limit=${MAX_OUTBOUND_ENTRIES}`;
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${admin.adminToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const entries = ((await res.json()) as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new Error(`GET ${url} answered without an 'entries' array`);
  for (const entry of entries as JournalEntry[]) {
    scope.recorder.record({
      from: 'PingOne',
      to: 'target',
      startedAt: entry.time,
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
  }
  return entries.length;
}
