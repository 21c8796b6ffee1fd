// The mock Code42's organizations and roles, wired to its users and groups: what each user brings (c42OrgName, the
// groups that hold it), when it is placed again (every write of the user, every group write that touches it, every
// change of a mapping), and the admin routes that configure and show it (docs/admin-api.md).
import type { AdminRoute } from '../lab';
import { jsonReply, type GroupStore, type ScimResource, type UserStore } from '../scim';
import type { Clock } from '../lab';
import { c42OrgNameOf } from './code42-schema';
import {
  createPlacements,
  type Placement,
  type PlacementChange,
  type PlacementInput,
  type Placements,
} from './placement';
import type { ResolvedCode42Options } from './options';
import type { Code42UserState } from './user-lifecycle';

/** A user on `GET /__admin/users`: its Code42 side, and its organization and roles with the reasons for them. */
export interface Code42UserView extends Code42UserState {
  organization?: string;
  roles?: string[];
  /** The SCIM groups that hold the user, by displayName. */
  groups?: string[];
  why?: Placement['why'];
}

/** A placement change as the history keeps it: when, for whom, and what caused it (a request, as "METHOD path"). */
export interface PlacementEvent extends PlacementChange {
  time: string;
  userName: string;
  cause: string;
}

/** How many placement changes `GET /__admin/placement-changes` keeps; the oldest go first. */
export const PLACEMENT_HISTORY_CAP = 1000;

export interface Code42Placement {
  placements: Placements;
  /** Places these users again (a user no longer stored is forgotten); returns what changed. */
  reevaluate(userIds: readonly string[], cause: string): PlacementEvent[];
  /** Places every user again; without a cause (a state import), nothing is kept in the history. */
  reevaluateAll(cause?: string): PlacementEvent[];
  /** Places a user that was just written, from the stored representation the write returned. */
  userChanged(user: Readonly<ScimResource>, cause: string): PlacementEvent[];
  view(states: Code42UserState[]): Code42UserView[];
  /** The changes kept, oldest first; only one user's when `user` (its id or userName) is given. */
  history(user?: string): PlacementEvent[];
  clearHistory(): void;
}

export function createCode42Placement(
  options: ResolvedCode42Options,
  store: UserStore,
  groups: GroupStore,
  clock: Clock,
): Code42Placement {
  const dev = options.deviations;
  const placements = createPlacements({
    now: () => clock.now(),
    keepRoles: dev.has('roles-not-revoked'),
    ignoreAttribute: dev.has('org-attribute-ignored'),
  });
  const inputOf = (user: Readonly<ScimResource>): PlacementInput => ({
    c42OrgName: c42OrgNameOf(user, options.code42ExtensionUrn),
    groups: groups.groupsOf(user.id!).map((g) => g.displayName as string),
  });
  let kept: PlacementEvent[] = [];
  /** Evaluates one user and keeps what changed. */
  const place = (user: Readonly<ScimResource>, cause: string | undefined, out: PlacementEvent[]): void => {
    const change = placements.evaluate(user.id!, inputOf(user));
    if (!change || cause === undefined) return;
    const event = { time: clock.now().toISOString(), userName: user.userName as string, cause, ...change };
    out.push(event);
    kept.push(event);
    if (kept.length > PLACEMENT_HISTORY_CAP * 2) kept = kept.slice(-PLACEMENT_HISTORY_CAP);
  };
  return {
    placements,
    reevaluate(userIds, cause) {
      const out: PlacementEvent[] = [];
      for (const id of userIds) {
        const user = store.find(id);
        if (user) place(user, cause, out);
        else placements.forget(id);
      }
      return out;
    },
    reevaluateAll(cause) {
      const out: PlacementEvent[] = [];
      store.forEach((user) => place(user, cause, out));
      return out;
    },
    userChanged(user, cause) {
      const out: PlacementEvent[] = [];
      place(user, cause, out);
      return out;
    },
    history(user) {
      const last = kept.slice(-PLACEMENT_HISTORY_CAP);
      if (user === undefined) return last;
      const folded = user.toLowerCase();
      return last.filter((e) => e.userId === user || e.userName.toLowerCase() === folded);
    },
    clearHistory: () => void (kept = []),
    view(states) {
      const byId = new Map<string, Readonly<ScimResource>>();
      store.forEach((user) => byId.set(user.id!, user));
      return states.map((state) => {
        const user = byId.get(state.id);
        const placed = user && placements.explain(state.id, inputOf(user));
        return placed ? { ...state, ...placed } : state;
      });
    },
  };
}

/**
 * `/__admin/org-mapping`, `/__admin/role-mapping`, `/__admin/organizations` and `/__admin/placement-changes`. A new
 * mapping places every user again at once, as Code42 applies a mapping to the users it already has [INF].
 */
export function placementRoutes(route: AdminRoute, placement: Code42Placement): void {
  const { placements } = placement;
  route('/org-mapping', {
    GET: () => jsonReply(placements.orgMapping()),
    PUT: (ctx) => {
      const mapping = placements.setOrgMapping(ctx.body);
      placement.reevaluateAll('PUT /__admin/org-mapping');
      return jsonReply(mapping);
    },
  });
  route('/role-mapping', {
    GET: () => jsonReply(placements.roleMapping()),
    PUT: (ctx) => {
      const mapping = placements.setRoleMapping(ctx.body);
      placement.reevaluateAll('PUT /__admin/role-mapping');
      return jsonReply(mapping);
    },
  });
  route('/organizations', { GET: () => jsonReply({ organizations: placements.organizations() }) });
  route('/placement-changes', {
    GET: (ctx) => {
      const user = ctx.query.user;
      return jsonReply({ changes: placement.history(typeof user === 'string' && user !== '' ? user : undefined) });
    },
  });
}
