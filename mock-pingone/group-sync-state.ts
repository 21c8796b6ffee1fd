import { badState, isJsonObject, oneOf } from './state-entities';
import type { GroupSyncRecord } from './model';

// A saved group sync record (the state document's `sync.groups`), checked field by field; errors name the field.

const RESULTS = ['SUCCESS', 'FAILED', 'UNSYNCED', 'PARTIALLY_SYNCED'] as const;
const ACTIONS = ['CREATE', 'ADOPT', 'UPDATE', 'DELETE', 'UNLINK', 'NONE'] as const;
const TRIGGERS = ['sync', 'remove', 'delete'] as const;

export function parseGroupRecord(value: unknown, where: string): GroupSyncRecord {
  if (!isJsonObject(value)) throw badState(`'${where}' must be an object`);
  for (const name of ['ruleId', 'groupId', 'name', 'details', 'lastSyncAt']) {
    if (typeof value[name] !== 'string') throw badState(`'${where}.${name}' must be a string`);
  }
  if (value.targetId !== undefined && typeof value.targetId !== 'string')
    throw badState(`'${where}.targetId' must be a string`);
  if (!Array.isArray(value.members) || value.members.some((m) => typeof m !== 'string'))
    throw badState(`'${where}.members' must be an array of strings`);
  for (const name of ['waiting', 'attempts']) {
    const n = value[name];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw badState(`'${where}.${name}' must be a whole number`);
  }
  oneOf(value, 'status', where, RESULTS);
  oneOf(value, 'lastAction', where, ACTIONS);
  oneOf(value, 'trigger', where, TRIGGERS);
  return value as unknown as GroupSyncRecord;
}
