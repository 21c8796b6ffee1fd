import type { Ctx } from '../lab/http-core';
import type {
  Group,
  GroupSyncRecord,
  Population,
  PropagationMapping,
  PropagationPlan,
  PropagationRule,
  PropagationStore,
  UserSyncRecord,
} from './model';
import { maskedConfiguration } from './store-configuration';
import type { Directory, Propagation } from './types';

// The management API's HAL shapes (PingOne Platform API, S5): each entity with its `_links`, and lists as
// `_links`, `_embedded.<plural>`, `count`, `size`. Views only read; the routes in api.ts decide what to show.

/** What every view needs: where the request came from, the environment, and the parts to read from. */
export interface ViewContext {
  /** `<scheme>://<host>/v1`, the base of every `_links` href. */
  base: string;
  /** `<base>/environments/<envId>`. */
  env: string;
  envId: string;
  /** The request's own URL, for `_links.self` of lists. */
  self: string;
  directory: Directory;
  propagation: Propagation;
}

/** `<scheme>://<host>/v1` as the client reached the mock, the base of every `_links` href. */
export const apiBase = (ctx: Pick<Ctx, 'origin'>) => `${ctx.origin}/v1`;

export function viewContext(
  ctx: Pick<Ctx, 'origin' | 'url'>,
  envId: string,
  parts: Pick<ViewContext, 'directory' | 'propagation'>,
): ViewContext {
  const base = apiBase(ctx);
  return {
    directory: parts.directory,
    propagation: parts.propagation,
    base,
    env: `${base}/environments/${envId}`,
    envId,
    self: `${base}${ctx.url.replace(/^\/v1/, '')}`,
  };
}

/** A HAL list: `_links.self` (and `next` when there is a next page), `_embedded.<key>`, `count`, `size`. */
export function halList(v: ViewContext, key: string, items: unknown[], extra: { count?: number; next?: string } = {}) {
  return {
    _links: { self: { href: v.self }, ...(extra.next !== undefined && { next: { href: extra.next } }) },
    _embedded: { [key]: items },
    count: extra.count ?? items.length,
    size: items.length,
  };
}

const links = (v: ViewContext, path: string) => ({ self: { href: `${v.env}${path}` }, environment: { href: v.env } });

export function environmentView(v: ViewContext) {
  return { _links: { self: { href: v.env } }, ...v.directory.environment() };
}

export function populationView(v: ViewContext, p: Population) {
  return {
    _links: links(v, `/populations/${p.id}`),
    id: p.id,
    environment: { id: v.envId },
    name: p.name,
    ...(p.description !== undefined && { description: p.description }),
    default: p.default,
    userCount: v.directory.populations.userCount(p.id),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** S5 "User enabled": the user's enabled flag as its own resource. */
export function enabledView(v: ViewContext, id: string) {
  return {
    _links: { self: { href: `${v.env}/users/${id}/enabled` }, user: { href: `${v.env}/users/${id}` } },
    enabled: v.directory.users.get(id).enabled,
  };
}

export function storeView(v: ViewContext, s: PropagationStore) {
  return {
    _links: links(v, `/propagation/stores/${s.id}`),
    id: s.id,
    environment: { id: v.envId },
    type: s.type,
    name: s.name,
    ...(s.description !== undefined && { description: s.description }),
    status: s.status,
    managed: s.managed,
    ...(s.configuration && { configuration: maskedConfiguration(s, v.propagation.stores.extras(s.id)) }),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function planView(v: ViewContext, p: PropagationPlan) {
  return {
    _links: links(v, `/propagation/plans/${p.id}`),
    id: p.id,
    environment: { id: v.envId },
    name: p.name,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function ruleView(v: ViewContext, r: PropagationRule) {
  return {
    _links: {
      ...links(v, `/propagation/rules/${r.id}`),
      mappings: { href: `${v.env}/propagation/rules/${r.id}/mappings` },
      syncStatus: { href: `${v.env}/propagation/rules/${r.id}/syncStatus` },
    },
    id: r.id,
    environment: { id: v.envId },
    plan: r.plan,
    name: r.name,
    ...(r.description !== undefined && { description: r.description }),
    active: r.active,
    sourceStore: r.sourceStore,
    targetStore: r.targetStore,
    populationExpression: r.populationExpression,
    groups: r.groups,
    groupMembershipHandling: r.groupMembershipHandling,
    groupConflictAcknowledged: r.groupConflictAcknowledged,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function mappingView(v: ViewContext, m: PropagationMapping) {
  return {
    _links: links(v, `/propagation/mappings/${m.id}`),
    id: m.id,
    environment: { id: v.envId },
    rule: m.rule,
    sourceAttribute: m.sourceAttribute,
    targetAttribute: m.targetAttribute,
    attributeMappingType: m.attributeMappingType,
    ...(m.errata && { errata: m.errata }),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

/** S5 "Read One Synced Rule for a User", plus the mock's lastAction, trigger, targetId and attempts. */
export function syncedRuleView(v: ViewContext, record: UserSyncRecord) {
  const rule = v.propagation.rules.get(record.ruleId);
  const store = (id: string) => {
    const s = v.propagation.stores.get(id);
    return { id: s.id, name: s.name, type: s.type };
  };
  return {
    _links: links(v, `/users/${record.userId}/syncedRules/${record.ruleId}`),
    rule: { id: rule.id, name: rule.name },
    sourceStore: store(rule.sourceStore.id),
    targetStore: store(rule.targetStore.id),
    environment: { id: v.envId },
    user: { id: record.userId, username: record.username },
    type: 'OUTBOUND',
    status: record.status,
    lastAction: record.lastAction,
    trigger: record.trigger,
    details: record.details,
    ...(record.targetId !== undefined && { targetId: record.targetId }),
    attempts: record.attempts,
    lastSyncAt: record.lastSyncAt,
  };
}

/** S5 "Groups": a group with its direct member count. */
export function groupView(v: ViewContext, g: Group) {
  return {
    _links: links(v, `/groups/${g.id}`),
    id: g.id,
    environment: { id: v.envId },
    name: g.name,
    ...(g.description !== undefined && { description: g.description }),
    ...(g.externalId !== undefined && { externalId: g.externalId }),
    ...(g.population !== undefined && { population: g.population }),
    ...(g.customData !== undefined && { customData: g.customData }),
    sourceType: g.sourceType,
    directMemberCounts: { users: v.directory.groups.memberCount(g.id) },
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

/** S5 "Read One Group Membership for User": the group a user is a direct member of. */
export function membershipView(v: ViewContext, userId: string, g: Group) {
  return {
    _links: {
      self: { href: `${v.env}/users/${userId}/memberOfGroups/${g.id}` },
      user: { href: `${v.env}/users/${userId}` },
      group: { href: `${v.env}/groups/${g.id}` },
    },
    id: g.id,
    name: g.name,
    type: 'DIRECT',
  };
}

/** S5 "Read One Synced Group for a Rule", with the mock's lastAction, trigger, targetId, members and waiting. */
export function syncedGroupView(v: ViewContext, record: GroupSyncRecord) {
  const rule = v.propagation.rules.get(record.ruleId);
  return {
    _links: {
      self: { href: `${v.env}/propagation/rules/${record.ruleId}/syncedGroups/${record.groupId}` },
      environment: { href: v.env },
    },
    rule: { id: rule.id, name: rule.name },
    environment: { id: v.envId },
    group: { id: record.groupId, name: record.name },
    type: 'OUTBOUND',
    status: record.status,
    lastAction: record.lastAction,
    trigger: record.trigger,
    details: record.details,
    ...(record.targetId !== undefined && { targetId: record.targetId }),
    memberCount: record.members.length,
    waiting: record.waiting,
    attempts: record.attempts,
    lastSyncAt: record.lastSyncAt,
  };
}
