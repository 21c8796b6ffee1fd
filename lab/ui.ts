import { scimErrors } from '../scim/errors';
import { checkBearer, errorReply, jsonReply, noContent, SCIM_CONTENT_TYPE_HEADER } from '../scim/http';
import { ADMIN_REALM } from './admin';
import type { Ctx, Route, Surface } from './http-core';
import { readHar } from './har-read';
import { draftScenario } from './scenario-draft';
import { toolInfo } from './tool';
import { uiAssetRoutes } from './ui-assets';
import { createLiveFeed, PARTICIPANTS, type FeedEvent, type LiveFeed } from './ui-feed';
import type { Clock, FaultRule, Faults, Journal, JournalEntry } from './types';

// The live lab view (`--ui`, docs/admin-api.md "Lab view"): a page at /__ui on each mock's port that shows and drives
// every mock that joined it. One LabUi is shared by the mocks of one `scim-lab up`, so the page on either port shows
// the traffic between PingOne, its provisioner and Code42, and both sides' users.

export type LabSideName = 'pingone' | 'code42';

/** A user as one side sees it. */
export interface LabUser {
  id: string;
  userName: string;
  /** Code42: active, blocked or deactivated. PingOne: enabled or disabled. */
  state: string;
  /** Code42: whether the user holds a licence. */
  licensed?: boolean;
  /** Code42: when a blocked user is deactivated (ISO 8601, on the mock's clock). */
  deactivationDueAt?: string;
  /** PingOne: the user's id at the target, once the provisioner knows it. */
  targetId?: string;
  /** PingOne: the sync status of the user's last propagation. */
  sync?: { status: string; lastAction: string; details: string; attempts: number; lastSyncAt: string };
}

/** A deviation the lab view can switch. */
export interface LabDeviation {
  name: string;
  description: string;
  on: boolean;
}

/** What a mock lends the lab view. */
export interface LabSide {
  name: LabSideName;
  /** Opens the lab view, as it opens this mock's admin surface. */
  adminToken: string;
  journal: Journal;
  faults: Faults;
  clock: Clock;
  users(): LabUser[];
  /** The deviations in force (NAME or NAME=VALUE). */
  deviations(): string[];
  /** The deviations that can be turned on and off while the mock runs, each with whether it is on. */
  switchableDeviations?(): LabDeviation[];
  /** Turns one of `switchableDeviations` on or off; throws a ScimError (invalidValue) for any other name. */
  setDeviation?(name: string, on: boolean): void;
  /** PingOne: Full Resync of every live rule; the number of users queued. Throws a ScimError when none is live. */
  resync?(): number;
  /** PingOne: the User-Agent of the provisioner's SCIM calls, so that the target's copy of them is not drawn twice. */
  provisionerAgent?: string;
}

export interface LabUi {
  /** Adds a mock to the view: its journal feeds the live traffic, its admin token opens the page's API. */
  join(side: LabSide): void;
  /**
   * The /__ui surface, for each joined mock's site.
   * @internal
   */
  readonly surface: Surface;
  /** Ends the open event streams (before the mocks close). */
  close(): void;
}

/** A row of the users table: the same person on both sides, matched by target id, then by userName. */
export interface LabUserRow {
  pingone?: LabUser;
  code42?: LabUser;
}

export function createLabUi(): LabUi {
  const sides: LabSide[] = [];
  const feed = createLiveFeed();
  return {
    join(side) {
      if (sides.some((s) => s.name === side.name)) throw new Error(`lab view: a ${side.name} mock has already joined`);
      sides.push(side);
      side.journal.subscribe?.((entry) => {
        const drawn = participantsOf(side, entry, sides);
        if (drawn) feed.add({ side: side.name, ...drawn, entry });
      });
    },
    surface: labSurface(sides, feed),
    close: () => feed.close(),
  };
}

/** Who talked to whom; undefined for the target's copy of an exchange the provisioner's journal already holds. */
function participantsOf(
  side: LabSide,
  entry: JournalEntry,
  sides: readonly LabSide[],
): Pick<FeedEvent, 'from' | 'to'> | undefined {
  if (side.name === 'pingone')
    return entry.direction === 'outbound'
      ? { from: PARTICIPANTS.provisioner, to: PARTICIPANTS.code42 }
      : { from: PARTICIPANTS.client, to: PARTICIPANTS.pingone };
  const agent = entry.request.headers['user-agent'];
  const fromProvisioner = sides.some((s) => s.provisionerAgent !== undefined && s.provisionerAgent === agent);
  return fromProvisioner ? undefined : { from: PARTICIPANTS.client, to: PARTICIPANTS.code42 };
}

function labSurface(sides: LabSide[], feed: LiveFeed): Surface {
  const side = (ctx: Ctx, from: unknown): LabSide => {
    const found = sides.find((s) => s.name === from);
    if (!found)
      throw scimErrors.invalidValue(
        `lab view: 'side' must be one of ${sides.map((s) => s.name).join(', ')}, got ${JSON.stringify(from ?? null)} (${ctx.method} ${ctx.path})`,
      );
    return found;
  };
  const routes: Route[] = [
    ...uiAssetRoutes(),
    { path: '/api/tickets', handlers: { POST: () => jsonReply(feed.issueTicket(), 201) } },
    { path: '/api/events', handlers: { GET: (ctx) => feed.stream(ctx) }, open: true },
    { path: '/api/lab', handlers: { GET: () => jsonReply(labView(sides)) } },
    ...controlRoutes(sides, side),
  ];
  return {
    prefix: '/__ui',
    routes,
    // The page's API takes the admin token of any mock that joined: in `scim-lab up` both are the operator's.
    guard: (ctx) =>
      void checkBearer(
        ctx.get('authorization'),
        sides.map((s) => s.adminToken),
        ADMIN_REALM,
      ),
    notFound: (ctx) => scimErrors.notFound(`lab view: no route ${ctx.method} ${ctx.path}`),
    renderError: (err, ctx) => errorReply(err, `${ctx.method} ${ctx.path}`),
    contentType: SCIM_CONTENT_TYPE_HEADER,
    journaled: false,
  };
}

/** Faults, clock, Full Resync, the HAR export and a scenario of it: the admin surface's operations, on the side named. */
function controlRoutes(sides: LabSide[], side: (ctx: Ctx, from: unknown) => LabSide): Route[] {
  const body = (ctx: Ctx) => (ctx.body ?? {}) as Record<string, unknown>;
  return [
    {
      path: '/api/faults',
      handlers: {
        POST: (ctx) => {
          const target = side(ctx, body(ctx).side);
          const stored = target.faults.add(body(ctx).rule as FaultRule);
          return jsonReply({ side: target.name, rule: stored }, 201);
        },
        DELETE: (ctx) => {
          for (const s of ctx.query.side === undefined ? sides : [side(ctx, ctx.query.side)]) s.faults.clear();
          return noContent();
        },
      },
    },
    {
      path: '/api/deviations',
      handlers: {
        PUT: (ctx) => {
          const { name, on } = body(ctx);
          const target = side(ctx, body(ctx).side);
          if (typeof name !== 'string' || typeof on !== 'boolean')
            throw scimErrors.invalidValue("deviations: 'name' (a string) and 'on' (a boolean) are required");
          if (!target.setDeviation)
            throw scimErrors.invalidValue(`deviations: the ${target.name} mock has no deviation the view can switch`);
          target.setDeviation(name, on);
          return jsonReply(labView(sides));
        },
      },
    },
    {
      path: '/api/clock/advance',
      handlers: {
        POST: (ctx) => {
          const ms = body(ctx).ms;
          if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
            throw scimErrors.invalidValue("clock: 'ms' must be a non-negative finite number");
          // One lab, one time: every mock's clock moves together.
          for (const s of sides) s.clock.advance(ms);
          return jsonReply(labView(sides));
        },
      },
    },
    {
      path: '/api/resync',
      handlers: {
        POST: () => {
          const pingone = sides.find((s) => s.resync);
          if (!pingone?.resync) throw scimErrors.badRequest('resync: no mock PingOne has joined this lab view');
          return jsonReply({ queued: pingone.resync() }, 202);
        },
      },
    },
    {
      path: '/api/journal.har',
      handlers: {
        GET: (ctx) => {
          const har = side(ctx, ctx.query.side).journal.toHar(toolInfo().version);
          return jsonReply(har, 200, { 'Content-Disposition': `attachment; filename="${String(ctx.query.side)}.har"` });
        },
      },
    },
    {
      // What happened, as a scenario file (docs/scenarios.md): the SCIM exchanges this side's journal holds, drafted
      // as `scim-lab scenario from` drafts a capture, each expecting the answer it got.
      path: '/api/scenario.json',
      handlers: {
        GET: (ctx) => {
          const from = side(ctx, ctx.query.side);
          const capture = readHar(JSON.stringify(from.journal.toHar(toolInfo().version)));
          const { scenario } = draftScenario(capture, `what happened in the lab (${from.name})`);
          const disposition = `attachment; filename="${from.name}-scenario.json"`;
          return jsonReply(scenario, 200, { 'Content-Disposition': disposition });
        },
      },
    },
  ];
}

/** GET /__ui/api/lab: each side's clock, faults and deviations, and the users side by side. */
export function labView(sides: readonly LabSide[]) {
  return {
    sides: sides.map((s) => ({
      name: s.name,
      clock: { now: s.clock.now().toISOString(), offsetMs: s.clock.offsetMs() },
      faults: s.faults.list(),
      deviations: s.deviations(),
      switchable: s.switchableDeviations?.() ?? [],
      canResync: s.resync !== undefined,
    })),
    users: pairUsers(
      sides.find((s) => s.name === 'pingone')?.users() ?? [],
      sides.find((s) => s.name === 'code42')?.users() ?? [],
    ),
  };
}

/** PingOne's users with their Code42 counterpart (by the target id the provisioner learnt, then by userName), then Code42's others. */
export function pairUsers(pingone: readonly LabUser[], code42: readonly LabUser[]): LabUserRow[] {
  const byId = new Map(code42.map((u) => [u.id, u]));
  const byName = new Map(code42.map((u) => [u.userName.toLowerCase(), u]));
  const paired = new Set<string>();
  const rows: LabUserRow[] = pingone.map((p) => {
    const c = (p.targetId !== undefined ? byId.get(p.targetId) : undefined) ?? byName.get(p.userName.toLowerCase());
    if (c && !paired.has(c.id)) {
      paired.add(c.id);
      return { pingone: p, code42: c };
    }
    return { pingone: p };
  });
  for (const c of code42) if (!paired.has(c.id)) rows.push({ code42: c });
  return rows;
}
