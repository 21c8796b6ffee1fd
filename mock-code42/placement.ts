// Code42 organizations and roles from SCIM (issue 15 §1). Code42's "How to configure SCIM provisioning"
// [DOC C42-SCIM-PROVISIONING] gives three ways to place users in an organization (all new users into one; by the
// user's c42OrgName, creating the organization when missing; by a mapping of SCIM groups to organizations) and grants
// roles by mapping SCIM groups to roles. It gives no rule for a user in several mapped groups: the first matching row
// of the mapping table wins, and roles are the union of every matching row [INF] (docs/decisions.md).
import { scimErrors } from '../scim';

/** How users are placed in organizations: one for new users, by `c42OrgName`, or by SCIM group. */
export type OrgMode = 'single' | 'attribute' | 'groups';
export const ORG_MODES: readonly OrgMode[] = ['single', 'attribute', 'groups'];

/** A row of the group → organization table. */
export interface GroupOrganization {
  group: string;
  organization: string;
}

/** A row of the group → roles table. */
export interface GroupRoles {
  group: string;
  roles: string[];
}

/** How users are placed in organizations (`GET/PUT /__admin/org-mapping`). */
export interface OrgMapping {
  mode: OrgMode;
  /** `single`: the organization of every new user; in the other modes, of a user no rule places. */
  organization: string;
  /** `groups`: the table, in order; the first row whose group holds the user wins [INF]. */
  groups: GroupOrganization[];
}

/** Which roles SCIM groups grant (`GET/PUT /__admin/role-mapping`). */
export interface RoleMapping {
  groups: GroupRoles[];
}

export interface Organization {
  name: string;
  createdAt: string;
  /** `configuration`: named by a mapping; `c42OrgName`: created because a user's c42OrgName named it. */
  createdBy: 'configuration' | 'c42OrgName';
}

/** Where a user is, and why: what an engineer asks when a user got the wrong organization or role. */
export interface Placement {
  organization: string;
  roles: string[];
  /** The SCIM groups that hold the user, by displayName. */
  groups: string[];
  /** The rule that chose the organization, and per role the groups that grant it. */
  why: { organization: string; roles: Record<string, string[]> };
}

/** What a user brings to the evaluation. */
export interface PlacementInput {
  c42OrgName?: string;
  /** displayNames of the groups that hold the user, in the groups' creation order. */
  groups: readonly string[];
}

/** Where a user was placed: its organization and roles (the reasons are worked out when asked). */
export interface PlacedUser {
  organization: string;
  roles: string[];
}

export interface PlacementState {
  orgMapping: OrgMapping;
  roleMapping: RoleMapping;
  organizations: Organization[];
  /**
   * Each placed user by id: what history decides (a user keeps its organization in `single` mode). An array, not an
   * object keyed by id: the import's loss check walks field paths, and 100,000 ids as keys were 100,000 paths.
   */
  users: (PlacedUser & { id: string })[];
}

/**
 * What one evaluation changed for one user: the organization it moved to (`from` absent for a user placed for the
 * first time), the roles granted and revoked, and the rule that chose the organization.
 */
export interface PlacementChange {
  userId: string;
  organization?: { from?: string; to: string };
  granted: string[];
  revoked: string[];
  why: string;
}

export interface Placements {
  orgMapping(): OrgMapping;
  /** Validates and sets the mapping; throws invalidValue naming the field. */
  setOrgMapping(body: unknown): OrgMapping;
  roleMapping(): RoleMapping;
  setRoleMapping(body: unknown): RoleMapping;
  organizations(): Organization[];
  /**
   * Places a user again from what it brings now; the organization of a user no rule places stays. Returns what
   * changed, or undefined when nothing did.
   */
  evaluate(userId: string, input: PlacementInput): PlacementChange | undefined;
  /** The user's placement and why, from what it brings now; undefined for a user never evaluated. */
  explain(userId: string, input: PlacementInput): Placement | undefined;
  forget(userId: string): void;
  /** Forgets the users and the organizations c42OrgName created; the mappings stay (they are configuration). */
  clear(): void;
  export(): PlacementState;
  import(state: unknown): void;
}

export interface PlacementOptions {
  now(): Date;
  /** Deviation `roles-not-revoked`: roles are added, never taken away. */
  keepRoles?: boolean;
  /** Deviation `org-attribute-ignored`: c42OrgName places nobody. */
  ignoreAttribute?: boolean;
}

/** [INF] The organization new users go to when nothing is configured: Code42 tenants have a top organization. */
export const DEFAULT_ORGANIZATION = 'Default';

const NO_ROLES: string[] = [];

interface Decision {
  organization: string;
  why: string;
}

// eslint-disable-next-line max-lines-per-function -- one closure over the mappings, organizations and placed users
export function createPlacements(options: PlacementOptions): Placements {
  let orgMapping: OrgMapping = { mode: 'single', organization: DEFAULT_ORGANIZATION, groups: [] };
  let roleMapping: RoleMapping = { groups: [] };
  const orgs = new Map<string, Organization>(); // folded name → organization
  let users = new Map<string, PlacedUser>();

  const ensureOrg = (name: string, createdBy: Organization['createdBy']): string => {
    const key = name.toLowerCase();
    const found = orgs.get(key);
    if (found) return found.name;
    orgs.set(key, { name, createdAt: options.now().toISOString(), createdBy });
    return name;
  };
  const ensureConfigured = () => {
    ensureOrg(orgMapping.organization, 'configuration');
    for (const row of orgMapping.groups) ensureOrg(row.organization, 'configuration');
  };
  ensureConfigured();

  const decide = (current: string | undefined, input: PlacementInput): Decision => {
    const held = new Set(input.groups.map((g) => g.toLowerCase()));
    const fallback = (none: string): Decision =>
      current !== undefined
        ? { organization: current, why: `${none}: the user stays in '${current}' [INF]` }
        : { organization: orgMapping.organization, why: `${none}: a new user goes to '${orgMapping.organization}'` };
    switch (orgMapping.mode) {
      case 'single': {
        // One sentence for a new user and one that stayed: single mode places new users, and nobody moves after.
        const rule = `single mode: new users go to '${orgMapping.organization}'`;
        if (current === undefined || current === orgMapping.organization)
          return { organization: orgMapping.organization, why: rule };
        return { organization: current, why: `${rule}; this user stays in '${current}'` };
      }
      case 'attribute':
        if (input.c42OrgName === undefined || options.ignoreAttribute) return fallback('no c42OrgName');
        return { organization: ensureOrg(input.c42OrgName, 'c42OrgName'), why: `c42OrgName '${input.c42OrgName}'` };
      case 'groups': {
        const index = orgMapping.groups.findIndex((row) => held.has(row.group.toLowerCase()));
        if (index === -1) return fallback('no mapped group holds the user');
        const row = orgMapping.groups[index];
        return {
          organization: row.organization,
          why: `group '${row.group}' → '${row.organization}' (row ${index + 1} of the organization mapping; the first matching row wins [INF])`,
        };
      }
    }
  };

  const grants = (input: PlacementInput): Record<string, string[]> => {
    const held = new Set(input.groups.map((g) => g.toLowerCase()));
    const roles: Record<string, string[]> = {};
    for (const row of roleMapping.groups) {
      if (!held.has(row.group.toLowerCase())) continue;
      for (const role of row.roles) (roles[role] ??= []).push(row.group);
    }
    return roles;
  };

  return {
    orgMapping: () => structuredClone(orgMapping),
    setOrgMapping(body) {
      orgMapping = readOrgMapping(body);
      ensureConfigured();
      return structuredClone(orgMapping);
    },
    roleMapping: () => structuredClone(roleMapping),
    setRoleMapping(body) {
      roleMapping = readRoleMapping(body);
      return structuredClone(roleMapping);
    },
    organizations: () => [...orgs.values()].map((o) => ({ ...o })),
    evaluate(userId, input) {
      const before = users.get(userId);
      const decision = decide(before?.organization, input);
      let roles = Object.keys(grants(input));
      if (options.keepRoles && before) roles = [...new Set([...before.roles, ...roles])];
      const moved = before?.organization !== decision.organization;
      users.set(userId, { organization: decision.organization, roles: roles.length ? roles : NO_ROLES });
      const granted = roles.filter((r) => !before?.roles.includes(r));
      const revoked = before ? before.roles.filter((r) => !roles.includes(r)) : NO_ROLES;
      if (!moved && granted.length === 0 && revoked.length === 0) return undefined;
      return {
        userId,
        ...(moved && { organization: { ...(before && { from: before.organization }), to: decision.organization } }),
        granted,
        revoked,
        why: decision.why,
      };
    },
    explain(userId, input) {
      const placed = users.get(userId);
      if (!placed) return undefined;
      const decision = decide(placed.organization, input);
      const granted = grants(input);
      const roles: Record<string, string[]> = {};
      for (const role of placed.roles) roles[role] = granted[role] ?? ['(no group grants it now)'];
      const why = decision.organization === placed.organization ? decision.why : 'not evaluated since the last change';
      return {
        organization: placed.organization,
        roles: [...placed.roles],
        groups: [...input.groups],
        why: { organization: why, roles },
      };
    },
    forget: (userId) => void users.delete(userId),
    clear() {
      users = new Map();
      for (const [key, org] of orgs) if (org.createdBy === 'c42OrgName') orgs.delete(key);
      ensureConfigured();
    },
    export: () => ({
      orgMapping: structuredClone(orgMapping),
      roleMapping: structuredClone(roleMapping),
      organizations: [...orgs.values()].map((o) => ({ ...o })),
      users: Array.from(users, ([id, placed]) => ({ id, ...placed })),
    }),
    import(state) {
      const s = readPlacementState(state);
      orgMapping = s.orgMapping;
      roleMapping = s.roleMapping;
      orgs.clear();
      for (const org of s.organizations) orgs.set(org.name.toLowerCase(), org);
      ensureConfigured();
      users = new Map(s.users.map(({ id, ...placed }) => [id, placed]));
    },
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= 256;

function readOrgMapping(body: unknown, at = 'org-mapping'): OrgMapping {
  if (!isObj(body)) throw scimErrors.invalidValue(`${at}: the body must be a JSON object`);
  const mode = body.mode ?? 'single';
  if (!ORG_MODES.includes(mode as OrgMode))
    throw scimErrors.invalidValue(`${at}: 'mode' must be one of ${ORG_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const organization = body.organization ?? DEFAULT_ORGANIZATION;
  if (!isName(organization)) throw scimErrors.invalidValue(`${at}: 'organization' must be a non-empty name`);
  const groups = body.groups ?? [];
  if (!Array.isArray(groups))
    throw scimErrors.invalidValue(`${at}: 'groups' must be an array of {group, organization}`);
  groups.forEach((row, i) => {
    if (!isObj(row) || !isName(row.group) || !isName(row.organization))
      throw scimErrors.invalidValue(`${at}: 'groups[${i}]' must be {"group": name, "organization": name}`);
  });
  return {
    mode: mode as OrgMode,
    organization,
    groups: (groups as GroupOrganization[]).map(({ group, organization }) => ({ group, organization })),
  };
}

function readRoleMapping(body: unknown, at = 'role-mapping'): RoleMapping {
  if (!isObj(body)) throw scimErrors.invalidValue(`${at}: the body must be a JSON object`);
  const groups = body.groups ?? [];
  if (!Array.isArray(groups)) throw scimErrors.invalidValue(`${at}: 'groups' must be an array of {group, roles}`);
  groups.forEach((row, i) => {
    if (!isObj(row) || !isName(row.group) || !Array.isArray(row.roles) || !row.roles.every(isName))
      throw scimErrors.invalidValue(`${at}: 'groups[${i}]' must be {"group": name, "roles": [name, …]}`);
  });
  return { groups: (groups as GroupRoles[]).map(({ group, roles }) => ({ group, roles: [...new Set(roles)] })) };
}

function readPlacementState(state: unknown): PlacementState {
  if (!isObj(state)) throw scimErrors.invalidValue(`state: 'placement' must be an object`);
  const organizations = state.organizations ?? [];
  if (
    !Array.isArray(organizations) ||
    !organizations.every((o) => isObj(o) && isName(o.name) && typeof o.createdAt === 'string')
  )
    throw scimErrors.invalidValue(`state: 'placement.organizations' must be an array of {name, createdAt, createdBy}`);
  const users = state.users ?? [];
  const placed = (u: unknown) =>
    isObj(u) && typeof u.id === 'string' && isName(u.organization) && Array.isArray(u.roles);
  if (!Array.isArray(users) || !users.every(placed))
    throw scimErrors.invalidValue(`state: 'placement.users' must be an array of {id, organization, roles}`);
  return {
    orgMapping: readOrgMapping(state.orgMapping ?? {}, 'state: placement.orgMapping'),
    roleMapping: readRoleMapping(state.roleMapping ?? {}, 'state: placement.roleMapping'),
    organizations: organizations as Organization[],
    users: users as PlacementState['users'],
  };
}
