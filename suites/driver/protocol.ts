// docs/driver-protocol.md: the driver protocol, version 1 — the harness spawns the driver command once per step, writes one
// JSON document on its stdin and reads its exit code. This file holds the protocol's data only, so that the default
// driver (a separate executable) and the runner share it without sharing anything else.

export const PROTOCOL_VERSION = 1;

/** docs/driver-protocol.md: what a step asks the provisioner under test to do with one user. */
export const DRIVER_ACTIONS = [
  'create',
  'update',
  'disable',
  'enable',
  'delete',
  'leave-population',
  'resync',
] as const;
export type DriverAction = (typeof DRIVER_ACTIONS)[number];

/**
 * docs/driver-protocol.md "Group steps": what a step asks the provisioner under test to do with one group (issue 15 §3),
 * a compatible extension of version 1. A driver that does not know them exits 4, as for any action it cannot perform.
 */
export const GROUP_ACTIONS = [
  'group-create',
  'group-update',
  'group-add-member',
  'group-remove-member',
  'group-delete',
] as const;
export type GroupAction = (typeof GROUP_ACTIONS)[number];

/** SEED-5, SEED-6 (docs/sources.md): the provisioning options of seed step 6, under PingOne's API names [DOC S5]. */
export interface DriverSettings {
  USER_FILTER: string;
  UNIQUE_USER_IDENTIFIER: string;
  REMOVE_ACTION: 'Disable' | 'Delete';
  CREATE_USERS: boolean;
  UPDATE_USERS: boolean;
  DISABLE_USERS: boolean;
  /**
   * How the provisioner updates users (issue 16): `PUT` of the full representation (the default when absent, the
   * seed-era PingOne rule) or `PATCH` (RFC 7644 §3.5.2). A driver that cannot honour it exits 4.
   */
  UPDATE_METHOD?: UpdateMethod;
  /**
   * Group steps (issue 15): how the provisioner changes a group's members at the target, PATCH with `members`
   * operations (the default when absent) or PUT of the whole group. A driver that cannot honour it exits 4.
   */
  GROUP_UPDATE_METHOD?: UpdateMethod;
  /**
   * Group steps: the administrator acknowledged that a group of the same name already at the target is merged
   * (PingOne's "I understand and want to continue", PINGONE-GROUP-PROVISIONING). Absent means not acknowledged.
   */
  GROUP_MERGE_ACKNOWLEDGED?: boolean;
}

export type UpdateMethod = 'PUT' | 'PATCH';

/** The user in PingOne's API shape [DOC S5] (fixtures/users.ts `PingOneUser`). */
export type DriverUser = { username: string } & Record<string, unknown>;

/** The stdin document of one step. */
export interface DriverStep {
  protocol: typeof PROTOCOL_VERSION;
  action: DriverAction;
  /** Stable across the steps of one user: the suites use the user's username at its first step. */
  key: string;
  user: DriverUser;
  settings: DriverSettings;
}

/** A group as it should be in the identity provider after the step (PingOne's API shape, members by username). */
export interface DriverGroup {
  name: string;
  description?: string;
  /** The usernames of its members: users earlier steps created (their `key`). */
  members: string[];
}

/** The stdin document of one group step. It carries no `user`: a driver reads `action` before anything else. */
export interface DriverGroupStep {
  protocol: typeof PROTOCOL_VERSION;
  action: GroupAction;
  /** Stable across the steps of one group: the suites use the group's name at its first step. */
  key: string;
  group: DriverGroup;
  /** `group-add-member` and `group-remove-member`: the username of the member added or removed. */
  member?: string;
  settings: DriverSettings;
}

/** docs/driver-protocol.md exit codes; any other code is a driver error. */
export const EXIT = {
  /** The provisioner has propagated the change. */
  propagated: 0,
  /** The provisioner reports a failed sync; stdout carries `{"detail": "…"}`. */
  failedSync: 3,
  /** The provisioner cannot perform the action (stdout may carry `{"detail": "why"}`, an extension). */
  cannotPerform: 4,
} as const;

/** docs/driver-protocol.md: the environment the harness adds to its own for the driver. */
export const DRIVER_ENV = {
  targetUrl: 'SCIM_LAB_TARGET_URL',
  targetToken: 'SCIM_LAB_TARGET_TOKEN',
  stepTimeoutMs: 'SCIM_LAB_STEP_TIMEOUT_MS',
} as const;

/**
 * Extension for the built-in default driver: where the mock PingOne it steers listens. The harness sets these for
 * its embedded mock PingOne; point them at `scim-lab pingone --json` output to drive another instance. The rule,
 * store and population ids are optional (the driver finds the first rule, its store and the default population).
 */
export const PINGONE_ENV = {
  apiUrl: 'SCIM_LAB_PINGONE_API_URL',
  apiToken: 'SCIM_LAB_PINGONE_API_TOKEN',
  environmentId: 'SCIM_LAB_PINGONE_ENVIRONMENT_ID',
  adminUrl: 'SCIM_LAB_PINGONE_ADMIN_URL',
  adminToken: 'SCIM_LAB_PINGONE_ADMIN_TOKEN',
  ruleId: 'SCIM_LAB_PINGONE_RULE_ID',
  storeId: 'SCIM_LAB_PINGONE_STORE_ID',
  populationId: 'SCIM_LAB_PINGONE_POPULATION_ID',
} as const;

/** The step time limit when the run gives none. */
export const DEFAULT_STEP_TIMEOUT_MS = 15_000;
