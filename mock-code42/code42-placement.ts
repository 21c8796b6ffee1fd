// The mock Code42's organizations and roles, wired to its users and groups: what each user brings (c42OrgName, the
// groups that hold it), when it is placed again (every write of the user, every group write that touches it, every
// change of a mapping), and the admin routes that configure and show it (docs/admin-api.md).
import type { AdminRoute } from '../lab';
import { jsonReply, type GroupStore, type ScimResource, type UserStore } from '../scim';
import type { Clock } from '../lab';
import { c42OrgNameOf } from './code42-schema';
import { createPlacements, type Placement, type PlacementInput, type Placements } from './placement';
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

export interface Code42Placement {
  placements: Placements;
  /** Places these users again (a user no longer stored is forgotten). */
  reevaluate(userIds: readonly string[]): void;
  reevaluateAll(): void;
  view(states: Code42UserState[]): Code42UserView[];
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
  const reevaluateAll = () => store.forEach((user) => placements.evaluate(user.id!, inputOf(user)));
  return {
    placements,
    reevaluate(userIds) {
      for (const id of userIds) {
        const user = store.find(id);
        if (user) placements.evaluate(id, inputOf(user));
        else placements.forget(id);
      }
    },
    reevaluateAll,
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
 * `/__admin/org-mapping`, `/__admin/role-mapping` and `/__admin/organizations`. A new mapping places every user again
 * at once, as Code42 applies a mapping to the users it already has [INF].
 */
export function placementRoutes(route: AdminRoute, placement: Code42Placement): void {
  const { placements } = placement;
  route('/org-mapping', {
    GET: () => jsonReply(placements.orgMapping()),
    PUT: (ctx) => {
      const mapping = placements.setOrgMapping(ctx.body);
      placement.reevaluateAll();
      return jsonReply(mapping);
    },
  });
  route('/role-mapping', {
    GET: () => jsonReply(placements.roleMapping()),
    PUT: (ctx) => {
      const mapping = placements.setRoleMapping(ctx.body);
      placement.reevaluateAll();
      return jsonReply(mapping);
    },
  });
  route('/organizations', { GET: () => jsonReply({ organizations: placements.organizations() }) });
}
