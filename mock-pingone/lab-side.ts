import type { Clock, Faults, Journal } from '../lab/types';
import type { LabSide, LabUser } from '../lab/ui';
import { scimErrors } from '../scim/errors';
import { PINGONE_DEVIATIONS, RUNTIME_SAFE_PINGONE_DEVIATIONS, type Deviations } from './deviations';
import type { User, UserSyncRecord } from './model';
import { PROVISIONER_USER_AGENT } from './outbound-client';
import type { Directory, Propagation, Provisioner } from './types';

// What the mock PingOne lends the live lab view (`--ui`, lab/ui.ts): its journal (the management API and the
// provisioner's SCIM calls), faults, clock, users with their sync status, and Full Resync.

export interface PingOneSideParts {
  adminToken: string;
  journal: Journal;
  faults: Faults;
  clock: Clock;
  deviations: Deviations;
  directory: Directory;
  propagation: Propagation;
  provisioner: Provisioner;
}

export function pingoneSide(parts: PingOneSideParts): LabSide {
  const { directory, propagation, provisioner } = parts;
  return {
    name: 'pingone',
    adminToken: parts.adminToken,
    journal: parts.journal,
    faults: parts.faults,
    clock: parts.clock,
    deviations: () => parts.deviations.list(),
    switchableDeviations: () =>
      RUNTIME_SAFE_PINGONE_DEVIATIONS.map((name) => ({
        name,
        description: PINGONE_DEVIATIONS[name].description,
        on: parts.deviations.has(name),
      })),
    setDeviation(name, on) {
      if (!RUNTIME_SAFE_PINGONE_DEVIATIONS.includes(name))
        throw scimErrors.invalidValue(
          `deviations: '${name}' cannot be switched while the mock runs; switchable: ${RUNTIME_SAFE_PINGONE_DEVIATIONS.join(', ')}`,
        );
      parts.deviations.set(name, on);
    },
    provisionerAgent: PROVISIONER_USER_AGENT,
    users: () => directory.users.list().map((user) => labUser(user, latest(provisioner.recordsOfUser(user.id)))),
    resync() {
      const live = propagation.rules.list().filter((rule) => provisioner.live(rule));
      // [DOC S4] Full Resync is an action of an active rule.
      if (live.length === 0)
        throw scimErrors.badRequest(
          'resync: no rule is live (rule active, plan ACTIVE, store ACTIVE); nothing to resync',
        );
      return live.reduce((queued, rule) => queued + provisioner.resync(rule), 0);
    },
  };
}

function latest(records: UserSyncRecord[]): UserSyncRecord | undefined {
  return records.reduce<UserSyncRecord | undefined>((a, b) => (a && a.lastSyncAt >= b.lastSyncAt ? a : b), undefined);
}

function labUser(user: User, record: UserSyncRecord | undefined): LabUser {
  return {
    id: user.id,
    userName: user.username,
    state: user.enabled ? 'enabled' : 'disabled',
    ...(record?.targetId !== undefined && { targetId: record.targetId }),
    ...(record && {
      sync: {
        status: record.status,
        lastAction: record.lastAction,
        details: record.details,
        attempts: record.attempts,
        lastSyncAt: record.lastSyncAt,
      },
    }),
  };
}
