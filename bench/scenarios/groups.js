// Groups through the mock PingOne into the mock Code42 (issue 15, "the flow with 1000 groups and 1000 members
// converges under 10% injected faults"), each mock in its own process. The shape is the flow check's
// (fixtures/group-scale.ts): users, groups and memberships made in PingOne with the rule off, then the rule turned on
// with every group selected, timed until PingOne is idle and checked at Code42; then a tenth of the users leave a group
// and another tenth move to another one, timed and checked again. Once without faults, once with 10% of Code42's SCIM
// answers replaced by 429 or 503 (as in provisioning.js).
'use strict';
const { performance } = require('node:perf_hooks');
const { startLab, tenPercentFaults } = require('../lib/lab');
const { pool } = require('../lib/http');
const { round } = require('../lib/load');
const { groupScaleShape } = require('../../dist/fixtures/group-scale');
const { compareGroups } = require('../lib/groups-check');

/** Requests to PingOne's API in flight at once while the scene is set (as the flow check does it). */
const SETUP_CONCURRENCY = 8;
const WAIT_MS = 600_000;
/** 10% of Code42's SCIM answers, on users and groups. */
const FAULTS = tenPercentFaults(['/Users*', '/Groups*']);

async function benchGroups({ users, groups, makeUsers, log, nodeFlags }) {
  const shape = groupScaleShape(users, groups);
  const people = makeUsers(shape.users);
  const userNames = people.map((u) => u.username);
  const groupNames = Array.from({ length: shape.groups }, (_, g) => `bench-group-${g}`);
  const lab = await startLab({ nodeFlags });
  const { p1, apiCall, c42Admin, p1Admin, setRule } = lab;
  const idle = () => p1Admin(200, 'POST', '/wait-idle', { timeoutMs: WAIT_MS });
  const member = (method, userId, groupId) =>
    method === 'POST'
      ? apiCall(201, 'POST', `/users/${userId}/memberOfGroups`, { id: groupId })
      : apiCall(204, 'DELETE', `/users/${userId}/memberOfGroups/${groupId}`);

  /** The users, groups and memberships in PingOne, the rule off; returns their PingOne ids. */
  const setScene = async () => {
    await lab.resetBoth();
    await setRule({ active: false });
    const userIds = [];
    await pool(shape.users, SETUP_CONCURRENCY, async (i) => {
      const body = { ...people[i], population: { id: p1.populationId } };
      userIds[i] = (await apiCall(201, 'POST', '/users', body)).body.id;
    });
    const groupIds = [];
    await pool(shape.groups, SETUP_CONCURRENCY, async (g) => {
      groupIds[g] = (await apiCall(201, 'POST', '/groups', { name: groupNames[g] })).body.id;
    });
    const pairs = userIds.flatMap((_, i) => shape.groupsOf(i).map((g) => [i, g]));
    await pool(pairs.length, SETUP_CONCURRENCY, (k) => member('POST', userIds[pairs[k][0]], groupIds[pairs[k][1]]));
    return { userIds, groupIds };
  };

  const check = async (membersOf) => {
    const state = (await c42Admin(200, 'GET', '/state')).body;
    const summary = (await apiCall(200, 'GET', `/propagation/rules/${p1.ruleId}/syncStatus`)).body;
    return compareGroups(state, summary, { userNames, groupNames, membersOf });
  };

  /** One run: the initial sync of everything, then the moves, each timed until PingOne is idle and checked. */
  const run = async (faulty) => {
    const { userIds, groupIds } = await setScene();
    if (faulty) await lab.addFaults(FAULTS);
    const started = performance.now();
    await setRule({ active: true, groups: groupIds.map((id) => ({ id })) });
    await idle();
    const ms = performance.now() - started;
    const first = await check(shape.membersOf);
    const moving = performance.now();
    await pool(shape.moves.length, SETUP_CONCURRENCY, async (k) => {
      const { user, leave, join } = shape.moves[k];
      await member('DELETE', userIds[user], groupIds[leave]);
      if (join !== undefined) await member('POST', userIds[user], groupIds[join]);
    });
    await idle();
    const movesMs = performance.now() - moving;
    const afterMoves = await check(shape.membersAfter);
    const injected = await lab.clearFaults();
    return { ms: Math.round(ms), movesMs: Math.round(movesMs), injected, first, afterMoves };
  };

  try {
    const clean = await run(false);
    log(
      `groups: ${shape.groups} groups, ${shape.memberships} memberships in ${clean.ms} ms; moves in ${clean.movesMs} ms`,
    );
    const faults = await run(true);
    log(
      `groups: with 10% 429/503, ${faults.ms} ms; moves in ${faults.movesMs} ms (${faults.injected} faults injected)`,
    );
    return {
      users: shape.users,
      groups: shape.groups,
      memberships: shape.memberships,
      biggestGroup: shape.membersOf(0).length,
      moves: shape.moves.length,
      membershipsPerS: round((shape.memberships * 1000) / clean.ms, 1),
      clean,
      faults,
    };
  } finally {
    await lab.stop();
  }
}

module.exports = { benchGroups };
