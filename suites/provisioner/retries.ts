// Retries under injected faults (issue 6 §2). PingOne documents no retry policy (the Ping entries of docs/sources.md "Retries" [INF]),
// so every requirement here is INFO: it warns, never fails. Faults are put on the mock Code42 through /__admin/faults.
import { expectStatus, fail, type Requirement } from '../engine';
import type { ProvisionerContext } from './context';
import { describeSent, onUsers, traffic, type Sent } from './support';

const SECTION = 'How the provisioner talks to the target';
/** the Ping entries of docs/sources.md, issue 6 §2: no retry storm. */
const MAX_ATTEMPTS = 10;

/** Adds a fault rule on the target's POST /Users (docs/admin-api.md). */
async function fault(ctx: ProvisionerContext, rule: Record<string, unknown>): Promise<void> {
  expectStatus(
    await ctx.admin.post('/faults', { body: { match: { method: 'POST', path: '/Users' }, action: 'status', ...rule } }),
    201,
  );
}

/**
 * Points the provisioner at this requirement's target before a fault is set, then clears the target's journal.
 * A long-running PingOne re-syncs the users of earlier requirements into each new target (issue 13 §2); those requests
 * must neither meet the fault nor be counted, and a faulted request's body is not journalled to tell whose it was.
 * The step creates nobody (CREATE_USERS false), so the re-sync creates nobody either.
 */
async function settled(ctx: ProvisionerContext): Promise<void> {
  await ctx.step('create', ctx.users.next(), { CREATE_USERS: false });
  expectStatus(await ctx.admin.delete('/journal'), [200, 204]);
}

async function posts(ctx: ProvisionerContext): Promise<Sent[]> {
  return onUsers(await traffic(ctx)).filter((s) => s.method === 'POST' && s.path === '/Users');
}

const gapsOf = (sent: readonly Sent[]): number[] => sent.slice(1).map((s, i) => s.at - sent[i].at);

export const retryRequirements: Requirement<ProvisionerContext>[] = [
  {
    id: 'P1-RETRY-AFTER-429',
    level: 'INFO',
    source: 'RFC6585-4; RFC9110-10.2.3',
    quote: 'MAY include a Retry-After header indicating how long to wait before making a new request.',
    inference:
      'Ping does not document how its provisioner retries; the lab assumes the usual practice for 429 and 5xx answers, which RFC 6585 and RFC 9110 describe but do not require of a client.',
    title: 'After a 429 with Retry-After: 1, the POST is retried, and not sooner than 1 second later',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:ignore-retry-after', 'pingone:no-retry'],
    accepts: 'Any number of retries and any wait of at least the Retry-After.',
    async check(ctx) {
      await settled(ctx);
      await fault(ctx, { status: 429, retryAfter: 1, times: 1 });
      await ctx.step('create', ctx.users.next());
      const sent = await posts(ctx);
      if (sent.length < 2)
        fail(
          `the POST answered 429 was not retried: ${sent.map(describeSent).join(', ')}`,
          sent.map((s) => s.exchange),
        );
      const waited = sent[1].at - sent[0].at;
      if (waited < 1000) {
        fail(`the POST was retried ${waited} ms after the 429, sooner than its Retry-After of 1 second`, [
          sent[0].exchange,
          sent[1].exchange,
        ]);
      }
    },
  },
  {
    id: 'P1-RETRY-503',
    level: 'INFO',
    source: 'RFC9110-10.2.3',
    quote:
      'Servers send the "Retry-After" header field to indicate how long the user agent ought to wait before making a follow-up request.',
    inference:
      'Ping does not document how its provisioner retries; the lab assumes the usual practice for 429 and 5xx answers, which RFC 6585 and RFC 9110 describe but do not require of a client.',
    title: 'After a 503 the POST is retried, and the user is created',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:no-retry'],
    accepts: 'Any number of retries up to success.',
    async check(ctx) {
      await settled(ctx);
      await fault(ctx, { status: 503, times: 1 });
      await ctx.step('create', ctx.users.next());
      const sent = await posts(ctx);
      if (sent.length < 2)
        fail(
          `the POST answered 503 was not retried: ${sent.map(describeSent).join(', ')}`,
          sent.map((s) => s.exchange),
        );
      const last = sent[sent.length - 1];
      if (last.status !== 201) fail(`the retried POST answered ${last.status}; expected 201`, last.exchange);
    },
  },
  {
    id: 'P1-RETRY-NO-4XX',
    level: 'INFO',
    source: 'RFC6585-4',
    quote:
      'The 429 status code indicates that the user has sent too many requests in a given amount of time ("rate limiting").',
    inference:
      'Ping does not document how its provisioner retries; the lab assumes the usual practice for 429 and 5xx answers, which RFC 6585 and RFC 9110 describe but do not require of a client.',
    title: 'A 400 answer is not retried',
    suite: 'provisioner',
    section: SECTION,
    pairedDeviations: ['pingone:retry-4xx'],
    accepts: 'Any sync status after the 400; only the number of POSTs is judged.',
    async check(ctx) {
      await settled(ctx);
      await fault(ctx, { status: 400, times: 1 });
      await ctx.step('create', ctx.users.next());
      const sent = await posts(ctx);
      if (sent.length !== 1) {
        fail(
          `the POST answered 400 was sent ${sent.length} times; a 4xx must not be retried`,
          sent.map((s) => s.exchange),
        );
      }
    },
  },
  {
    id: 'P1-RETRY-BOUNDED',
    level: 'INFO',
    source: 'RFC9110-10.2.3',
    quote:
      'Servers send the "Retry-After" header field to indicate how long the user agent ought to wait before making a follow-up request.',
    inference:
      'Ping does not document how its provisioner retries; the lab assumes the usual practice for 429 and 5xx answers, which RFC 6585 and RFC 9110 describe but do not require of a client.',
    title: `Under a persistent 503, one change is tried at most ${MAX_ATTEMPTS} times, at growing intervals`,
    suite: 'provisioner',
    section: SECTION,
    // A provisioner with a realistic backoff spends many seconds here.
    timeoutMs: 120_000,
    pairedDeviations: ['pingone:retry-storm'],
    accepts:
      'Giving up at any point up to the bound; intervals shortened by jitter, as long as the last is at least 1.5 times the first.',
    async check(ctx) {
      await settled(ctx);
      await fault(ctx, { status: 503, percent: 100 });
      await ctx.step('create', ctx.users.next());
      const sent = await posts(ctx);
      if (sent.length > MAX_ATTEMPTS) {
        fail(
          `one change was tried ${sent.length} times under a persistent 503; expected at most ${MAX_ATTEMPTS}`,
          sent.map((s) => s.exchange),
        );
      }
      const gaps = gapsOf(sent);
      // Jitter may shorten one interval, so the trend is judged: the last wait at least 1.5 times the first.
      if (gaps.length >= 2 && gaps[gaps.length - 1] < 1.5 * gaps[0]) {
        fail(
          `the retries came at intervals of ${gaps.join(', ')} ms, which do not grow (no backoff)`,
          sent.map((s) => s.exchange),
        );
      }
    },
  },
];
