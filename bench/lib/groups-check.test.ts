// The groups scenario's verdict (bench/lib/groups-check.js) from small literal state documents: each kind of loss
// is counted, and a state that holds exactly what was sent counts nothing.

interface Counts {
  missingGroups: number;
  duplicatedGroups: number;
  lostMemberships: number;
  extraMemberships: number;
  duplicatedUsers: number;
  failedSyncs: number;
  unfinishedSyncs: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench is CommonJS JavaScript; loaded as is
const { compareGroups } = require('./groups-check') as { compareGroups(...args: unknown[]): Counts };

const users = [
  { id: 'u1', userName: 'ann' },
  { id: 'u2', userName: 'bob' },
  { id: 'u3', userName: 'cy' },
];
/** PingOne was given: "all" holds ann, bob and cy; "ops" holds bob. */
const sent = {
  userNames: ['ann', 'bob', 'cy'],
  groupNames: ['all', 'ops'],
  membersOf: (g: number) => [[0, 1, 2], [1]][g],
};
const counters = (failed = 0, partial = 0) => ({
  users: { failed, partiallySynced: 0 },
  groups: { failed: 0, partiallySynced: partial, unsynced: 0 },
});
const group = (displayName: string, ...ids: string[]) => ({ displayName, members: ids.map((value) => ({ value })) });
const nothing = {
  missingGroups: 0,
  duplicatedGroups: 0,
  lostMemberships: 0,
  extraMemberships: 0,
  duplicatedUsers: 0,
  failedSyncs: 0,
  unfinishedSyncs: 0,
};

describe('issue 15 the groups scenario counts what Code42 lost or doubled', () => {
  it('counts nothing when Code42 holds each group once with exactly its members', () => {
    const state = { users, groups: [group('all', 'u3', 'u1', 'u2'), group('ops', 'u2')] };
    expect(compareGroups(state, counters(), sent)).toEqual(nothing);
  });

  it('counts a group missing, and a group held twice under another case', () => {
    const state = { users, groups: [group('all', 'u1', 'u2', 'u3'), group('ALL', 'u1', 'u2', 'u3')] };
    expect(compareGroups(state, counters(), sent)).toEqual({ ...nothing, missingGroups: 1, duplicatedGroups: 1 });
  });

  it('counts a membership lost, one extra, and a member listed twice as extra', () => {
    const state = { users, groups: [group('all', 'u1', 'u2', 'u2'), group('ops', 'u2', 'u1')] };
    expect(compareGroups(state, counters(), sent)).toEqual({ ...nothing, lostMemberships: 1, extraMemberships: 2 });
  });

  it('counts a member that is no user of the tenant as extra', () => {
    const state = { users, groups: [group('all', 'u1', 'u2', 'u3'), group('ops', 'u2', 'ghost')] };
    expect(compareGroups(state, counters(), sent)).toEqual({ ...nothing, extraMemberships: 1 });
  });

  it("counts users held twice, and PingOne's failed and partial syncs", () => {
    const state = {
      users: [...users, { id: 'u4', userName: 'ANN' }],
      groups: [group('all', 'u1', 'u2', 'u3'), group('ops', 'u2')],
    };
    expect(compareGroups(state, counters(2, 1), sent)).toEqual({
      ...nothing,
      duplicatedUsers: 1,
      failedSyncs: 2,
      unfinishedSyncs: 1,
    });
  });
});
