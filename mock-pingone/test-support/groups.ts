import type { Lab } from './lab';

// Steps of the group tests, through the management API and the recording target (group-provisioning.test.ts,
// deviations.test.ts). `current` gives the test's lab, which each test starts afresh.

export function groupSteps(current: () => Lab) {
  const l = current;
  return {
    groupCalls: (lab: Lab = l()) =>
      lab.target.requests
        .filter((r) => r.path.startsWith('/Groups'))
        .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{id}')}`),
    newGroup: async (name: string) => (await l().api.post('/groups', { name }).expect(201)).body as { id: string },
    join: (userId: string, groupId: string) =>
      l().api.post(`/users/${userId}/memberOfGroups`, { id: groupId }).expect(201),
    leave: (userId: string, groupId: string) =>
      l().api.delete(`/users/${userId}/memberOfGroups/${groupId}`).expect(204),
    async setRule(changes: object): Promise<void> {
      const rule = (await l().api.get(`/propagation/rules/${l().d.ruleId}`).expect(200)).body;
      await l()
        .api.put(`/propagation/rules/${l().d.ruleId}`, { ...rule, ...changes })
        .expect(200);
    },
    targetIdOf: (username: string) => l().target.byUserName(username)?.id as string,
    targetGroup: (name: string) => [...l().target.groups.values()].find((g) => g.displayName === name),
    memberIds: (name: string) =>
      [...l().target.groups.values()]
        .find((g) => g.displayName === name)
        ?.members.map((m) => m.value)
        .sort(),
    syncedGroup: async (groupId: string) =>
      (await l().api.get(`/propagation/rules/${l().d.ruleId}/syncedGroups/${groupId}`).expect(200)).body,
  };
}
