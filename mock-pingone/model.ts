import type { ProfileName } from '../fixtures/profiles';

// The entities of the mock PingOne, in the PingOne Platform API's shapes (developer.pingidentity.com, S5).

export interface Environment {
  id: string;
  name: string;
  type: 'SANDBOX' | 'PRODUCTION';
  region: string;
  createdAt: string;
  updatedAt: string;
}

export interface Population {
  id: string;
  name: string;
  description?: string;
  default: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A PingOne user: the writable fields (S5) plus the read-only ones the API adds. */
export interface UserFields {
  username: string;
  email?: string;
  name?: {
    given?: string;
    family?: string;
    middle?: string;
    formatted?: string;
    honorificPrefix?: string;
    honorificSuffix?: string;
  };
  address?: {
    streetAddress?: string;
    locality?: string;
    region?: string;
    postalCode?: string;
    countryCode?: string;
  };
  primaryPhone?: string;
  mobilePhone?: string;
  externalId?: string;
  nickname?: string;
  title?: string;
  type?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  enabled: boolean;
  population: { id: string };
}

/**
 * A PingOne group (S5 "Groups"): environment-level, or population-level when `population` is set (fixed at creation).
 * `sourceType` is the mock's stand-in for PingOne's internal and external groups [INF]: an EXTERNAL group is one
 * that arrived from an external identity provider, and PINGONE-GROUP-PROVISIONING syncs internal groups only.
 */
export interface Group {
  id: string;
  name: string;
  description?: string;
  externalId?: string;
  population?: { id: string };
  customData?: Record<string, unknown>;
  sourceType: GroupSourceType;
  createdAt: string;
  updatedAt: string;
}

export type GroupSourceType = 'INTERNAL' | 'EXTERNAL';

export interface User extends UserFields {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export type AuthenticationMethod =
  'None' | 'Basic Authentication' | 'OAuth 2 Bearer Token' | 'OAuth 2 Client Credentials';
/** RFC 6749 §2.3.1: how the provisioner authenticates to the token endpoint (names of RFC 7591 §2). */
export type OAuthClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
/** How the provisioner updates a user: PUT of the full representation, or PATCH (RFC 7644 §3.5.2). */
export type UpdateMethod = 'PUT' | 'PATCH';
export type RemoveAction = 'Disable' | 'Delete';

/** SEED-5, SEED-6 (docs/sources.md)[DOC S5]: the configuration keys of a propagation store of type scim. */
export interface ScimStoreConfiguration {
  SCIM_URL: string;
  SCIM_VERSION: string;
  USERS_RESOURCE: string;
  AUTHENTICATION_METHOD: AuthenticationMethod;
  AUTHORIZATION_TYPE: string;
  OAUTH_ACCESS_TOKEN?: string;
  BASIC_AUTH_USER?: string;
  BASIC_AUTH_PASSWORD?: string;
  /** OAuth 2 Client Credentials: the token endpoint (PingOne's "OAuth Token Request"), client id and secret (S5). */
  OAUTH_TOKEN_REQUEST?: string;
  OAUTH_CLIENT_ID?: string;
  OAUTH_CLIENT_SECRET?: string;
  /** [INF] not a documented key: Basic (the default, RFC 6749 §2.3.1) or the request body. */
  OAUTH_CLIENT_AUTH_METHOD?: OAuthClientAuthMethod;
  /** AUTHORIZATION_TYPE "Custom": the Authorization header's whole value (the console's "Custom Header"; key [INF]). */
  CUSTOM_HEADER?: string;
  USER_FILTER: string;
  UNIQUE_USER_IDENTIFIER: string;
  REMOVE_ACTION: RemoveAction;
  CREATE_USERS: boolean;
  UPDATE_USERS: boolean;
  DISABLE_USERS: boolean;
  /** [INF] key: PUT (default, as the seed's rule) or PATCH (PING-SCIM-LIMITS no longer lists "no PATCH"). */
  UPDATE_METHOD: UpdateMethod;
  /** [INF] key (PingOne's own stores spell it PROVISION_DISABLED_USERS_PROV_OPT): create disabled users, inactive. */
  PROVISION_DISABLED_USERS: boolean;
  /** [INF] key: how group membership changes are sent (default PATCH, as PING-SCIM-CHANGELOG added). */
  GROUP_UPDATE_METHOD?: GroupUpdateMethod;
  /** [INF] key: what a group taken off the rule becomes at the target (default Delete). */
  GROUP_REMOVE_ACTION?: GroupRemoveAction;
  /**
   * [INF] the lab's own key: the identity provider whose SCIM client the provisioner plays (fixtures/profiles.ts).
   * Absent: PingOne, whose wire follows the other keys.
   */
  PROVISIONER_PROFILE?: ProfileName;
}

export interface Erratum {
  field: string;
  seed: string;
  corrected: string;
  reason: string;
}

export interface PropagationStore {
  id: string;
  type: 'scim' | 'directory';
  name: string;
  description?: string;
  status: 'ACTIVE' | 'INACTIVE';
  managed: boolean;
  /** Only for type scim. */
  configuration?: ScimStoreConfiguration;
  createdAt: string;
  updatedAt: string;
}

export interface PropagationPlan {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: string;
  updatedAt: string;
}

export interface PropagationRule {
  id: string;
  plan: { id: string };
  name: string;
  description?: string;
  active: boolean;
  sourceStore: { id: string };
  targetStore: { id: string };
  /** A PingOne user filter, e.g. `population.id eq "…"`; the users the rule provisions. */
  populationExpression: string;
  /** S5 "Create Rule" `groups[].id`: the groups the rule provisions (PINGONE-GROUP-PROVISIONING). */
  groups: { id: string }[];
  /**
   * [INF] the mock's names for the console's "Merge Group Memberships" / "Overwrite Group Memberships" modal: what
   * happens to a group of the same name already at the target, and whether the administrator acknowledged it.
   */
  groupMembershipHandling: GroupMembershipHandling;
  groupConflictAcknowledged: boolean;
  createdAt: string;
  updatedAt: string;
}

/** PINGONE-GROUP-PROVISIONING: the current page merges; an older copy overwrites. */
export type GroupMembershipHandling = 'MERGE' | 'OVERWRITE';
/** [INF] store key GROUP_UPDATE_METHOD: membership changes as PATCH `members` operations, or a PUT of the group. */
export type GroupUpdateMethod = 'PATCH' | 'PUT';
/** [INF] store key GROUP_REMOVE_ACTION: a group taken off the rule is deleted at the target, or left there. */
export type GroupRemoveAction = 'Delete' | 'Keep';

export interface PropagationMapping {
  id: string;
  rule: { id: string };
  sourceAttribute: string;
  targetAttribute: string;
  attributeMappingType: 'userAttributeMapping';
  /** Set when the mapping was created from a seed document entry that had to be corrected. */
  errata?: Erratum[];
  createdAt: string;
  updatedAt: string;
}

export type SyncResult = 'SUCCESS' | 'FAILED' | 'UNSYNCED' | 'PARTIALLY_SYNCED';
export type SyncAction = 'CREATE' | 'UPDATE' | 'DISABLE' | 'ENABLE' | 'DELETE' | 'NONE';
export type SyncTrigger = 'create' | 'update' | 'disable' | 'enable' | 'remove' | 'resync';

/** Per user and rule: what the provisioner last did and how it went (the Ping entries of docs/sources.md "Sync status"). */
export interface UserSyncRecord {
  ruleId: string;
  userId: string;
  username: string;
  status: SyncResult;
  trigger: SyncTrigger;
  lastAction: SyncAction;
  /** The target's error detail (SCIM `detail`) or the reason for Unsynced / Partially Synced. */
  details: string;
  /** The user's id at the target, once known (created or adopted). */
  targetId?: string;
  attempts: number;
  lastSyncAt: string;
}

export type GroupSyncAction = 'CREATE' | 'ADOPT' | 'UPDATE' | 'DELETE' | 'UNLINK' | 'NONE';
export type GroupSyncTrigger = 'sync' | 'remove' | 'delete';

/** Per group and rule: what the provisioner last did with the group at the target (PING-SYNC-STATUS, for groups). */
export interface GroupSyncRecord {
  ruleId: string;
  groupId: string;
  name: string;
  status: SyncResult;
  trigger: GroupSyncTrigger;
  lastAction: GroupSyncAction;
  details: string;
  /** The group's id at the target, once known (created or adopted). */
  targetId?: string;
  /** The target ids of the members this rule has placed in the group (foreign members are not listed). */
  members: string[];
  /** Members in PingOne whose user is not at the target yet (users before memberships). */
  waiting: number;
  attempts: number;
  lastSyncAt: string;
}

export interface RuleSyncState {
  /** Set when the last propagation failed because of the connection (network, TLS, credentials, exhausted retries). */
  connectionError?: string;
  lastSyncAt?: string;
}
