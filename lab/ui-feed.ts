import { randomBytes } from 'node:crypto';
import { scimErrors } from '../scim/errors';
import type { Ctx, Reply } from './http-core';
import type { JournalEntry } from './types';

// The lab view's live traffic (docs/admin-api.md "Lab view"): every exchange the joined mocks' journals keep, numbered
// in the order they were kept, and streamed to the page as server-sent events. EventSource cannot send an
// Authorization header, so the page trades its admin token for a ticket (POST /__ui/api/tickets): random, single use,
// valid for TICKET_TTL_MS, and never written to a journal (the /__ui surface is not journaled) or a log.

/** Who sent and who answered an exchange: the columns of the sequence diagram. */
export const PARTICIPANTS = {
  client: 'Clients',
  pingone: 'PingOne API',
  provisioner: 'Provisioner',
  code42: 'Code42',
} as const;
export type Participant = (typeof PARTICIPANTS)[keyof typeof PARTICIPANTS];

export interface FeedEvent {
  /** 1, 2, 3… in the order the exchanges were kept. */
  seq: number;
  /** The mock whose journal kept it. */
  side: string;
  from: Participant;
  to: Participant;
  /** The journal entry, redacted and truncated as the journal keeps it. */
  entry: JournalEntry;
}

export const TICKET_TTL_MS = 30_000;
/** Events kept for pages that connect (or reconnect) later; the journal's default cap. */
export const FEED_CAP = 1000;
const HEARTBEAT_MS = 15_000;

export interface LiveFeed {
  add(event: Omit<FeedEvent, 'seq'>): void;
  /** A single-use ticket for `GET /__ui/api/events?ticket=…`. */
  issueTicket(): { ticket: string; expiresInMs: number };
  /** The events handler: checks the ticket, sends the events after `?after=N`, then each new one. */
  stream(ctx: Ctx): Reply;
  /** Ends every open stream (shutdown). */
  close(): void;
}

export function createLiveFeed(): LiveFeed {
  const events: FeedEvent[] = [];
  let seq = 0;
  const tickets = new Map<string, number>();
  const streams = new Set<(event: FeedEvent) => void>();
  const ends = new Set<() => void>();

  const redeem = (ticket: unknown): void => {
    const now = Date.now();
    for (const [t, expires] of tickets) if (expires <= now) tickets.delete(t);
    if (typeof ticket !== 'string' || !tickets.delete(ticket))
      throw scimErrors.unauthorized(
        "events: 'ticket' is missing, used or expired; get one with POST /__ui/api/tickets",
        'scim-lab-admin',
      );
  };

  return {
    add(event) {
      const full = { ...event, seq: ++seq };
      events.push(full);
      if (events.length > FEED_CAP) events.shift();
      for (const send of streams) send(full);
    },
    issueTicket() {
      const ticket = randomBytes(24).toString('base64url');
      tickets.set(ticket, Date.now() + TICKET_TTL_MS);
      return { ticket, expiresInMs: TICKET_TTL_MS };
    },
    stream(ctx) {
      redeem(ctx.query.ticket);
      const after = afterOf(ctx.query.after);
      const { res } = ctx;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      const send = (event: FeedEvent) =>
        res.write(`id: ${event.seq}\nevent: exchange\ndata: ${JSON.stringify(event)}\n\n`);
      res.write(`: scim-lab live traffic\n\n`);
      for (const event of events) if (event.seq > after) send(event);
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS).unref();
      const end = () => {
        clearInterval(heartbeat);
        streams.delete(send);
        ends.delete(end);
        res.end();
      };
      streams.add(send);
      ends.add(end);
      ctx.req.on('close', end);
      return { status: 200 };
    },
    close() {
      for (const end of [...ends]) end();
    },
  };
}

function afterOf(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value))
    throw scimErrors.badRequest("events: 'after' must be the number of the last event seen");
  return Number(value);
}
