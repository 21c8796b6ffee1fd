// What the groups scenario (bench/scenarios/groups.js) counts once PingOne is idle: the mock Code42's state document
// (`GET /__admin/state`) against what PingOne was given, and PingOne's own sync counters
// (`GET …/rules/{id}/syncStatus`). Each count must be 0 for the README's row to be met (bench/lib/report.js).
'use strict';

/**
 * What Code42 holds against what PingOne was given: groups missing or held twice, memberships lost or extra (by
 * userName), users held twice; and PingOne's own count of failed syncs, and of syncs left partial or unsynced.
 * `membersOf(g)` gives the indexes into `userNames` of group `groupNames[g]`'s members.
 */
function compareGroups(state, summary, { userNames, groupNames, membersOf }) {
  const nameOf = new Map(state.users.map((u) => [u.id, u.userName]));
  const users = new Map();
  for (const u of state.users) users.set(u.userName.toLowerCase(), (users.get(u.userName.toLowerCase()) ?? 0) + 1);
  const byName = new Map();
  // displayName compares without regard to case (RFC 7643 §8.7.1), so "Sales" and "sales" are one group held twice.
  const key = (name) => name.toLowerCase();
  for (const g of state.groups ?? []) byName.set(key(g.displayName), [...(byName.get(key(g.displayName)) ?? []), g]);
  const out = { missingGroups: 0, duplicatedGroups: 0, lostMemberships: 0, extraMemberships: 0 };
  groupNames.forEach((name, g) => {
    const held = byName.get(key(name)) ?? [];
    if (held.length === 0) return void (out.missingGroups += 1);
    if (held.length > 1) out.duplicatedGroups += 1;
    const members = held[0].members ?? [];
    const got = new Set(members.map((m) => nameOf.get(m.value) ?? `unknown ${m.value}`));
    const want = new Set(membersOf(g).map((i) => userNames[i]));
    for (const u of want) if (!got.has(u)) out.lostMemberships += 1;
    for (const u of got) if (!want.has(u)) out.extraMemberships += 1;
    // A member listed twice is one membership too many.
    out.extraMemberships += members.length - got.size;
  });
  return {
    ...out,
    duplicatedUsers: [...users.values()].filter((n) => n > 1).length,
    failedSyncs: summary.users.failed + summary.groups.failed,
    unfinishedSyncs: summary.users.partiallySynced + summary.groups.partiallySynced + summary.groups.unsynced,
  };
}

module.exports = { compareGroups };
