import { URN } from '../scim/urns';
import type { Erratum, User } from './model';

/** PingOne user attributes a mapping may read (S5 field paths). */
export const SOURCE_ATTRIBUTES = [
  'username',
  'email',
  'name.given',
  'name.family',
  'name.middle',
  'name.formatted',
  'name.honorificPrefix',
  'name.honorificSuffix',
  'address.streetAddress',
  'address.locality',
  'address.region',
  'address.postalCode',
  'address.countryCode',
  'primaryPhone',
  'mobilePhone',
  'externalId',
  'nickname',
  'title',
  'type',
  'preferredLanguage',
  'locale',
  'timezone',
  'id',
] as const;

type ScimUser = Record<string, unknown>;

interface TargetDef {
  /** The SCIM 2.0 path, for documentation and error text (SEED-7 (docs/sources.md)). */
  path: string;
  read(user: ScimUser): unknown;
  write(user: ScimUser, value: string): void;
}

const obj = (parent: ScimUser, key: string): ScimUser => {
  if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
  return parent[key] as ScimUser;
};

const plain = (attr: string): TargetDef => ({
  path: attr,
  read: (u) => u[attr],
  write: (u, v) => {
    u[attr] = v;
  },
});

const sub = (attr: string, key: string): TargetDef => ({
  path: `${attr}.${key}`,
  read: (u) => (u[attr] as ScimUser | undefined)?.[key],
  write: (u, v) => {
    obj(u, attr)[key] = v;
  },
});

const ENTERPRISE = URN.EnterpriseUser;

/** RFC 7643 §3.3: extension attributes live in an object keyed by the extension's URN. */
const enterprise = (key: string): TargetDef => ({
  path: `${ENTERPRISE}:${key}`,
  read: (u) => (u[ENTERPRISE] as ScimUser | undefined)?.[key],
  write: (u, v) => {
    obj(u, ENTERPRISE)[key] = v;
  },
});

/** An element of a multi-valued attribute picked by `type` ([DOC S3]: one value per type). */
const typed = (attr: string, type: string, key: string, extra: Record<string, unknown> = {}): TargetDef => ({
  path: `${attr}[type eq "${type}"].${key}`,
  read: (u) => {
    const list = Array.isArray(u[attr]) ? (u[attr] as ScimUser[]) : [];
    return list.find((e) => typeof e?.type === 'string' && e.type.toLowerCase() === type)?.[key];
  },
  write: (u, v) => {
    const list = (Array.isArray(u[attr]) ? u[attr] : (u[attr] = [])) as ScimUser[];
    let element = list.find((e) => e.type === type);
    if (!element) list.push((element = { type, ...extra }));
    element[key] = v;
  },
});

/**
 * Flattened SCIM names → SCIM 2.0 paths (SEED-7 (docs/sources.md); flattened names per DOC S2, S3, S8).
 * The seed's fourteen come first; the rest are optional extras a mapping may use.
 */
export const SCIM_TARGETS: Readonly<Record<string, TargetDef>> = {
  userName: plain('userName'),
  externalId: plain('externalId'),
  givenName: sub('name', 'givenName'),
  familyName: sub('name', 'familyName'),
  // [DOC, Ping Atlassian connector reference]: workEmail is sent as the primary email.
  workEmail: typed('emails', 'work', 'value', { primary: true }),
  workPhone: typed('phoneNumbers', 'work', 'value'),
  workCity: typed('addresses', 'work', 'locality'),
  workStreetAddress: typed('addresses', 'work', 'streetAddress'),
  workCountry: typed('addresses', 'work', 'country'),
  workPostalCode: typed('addresses', 'work', 'postalCode'),
  userType: plain('userType'),
  title: plain('title'),
  nickName: plain('nickName'),
  formattedName: sub('name', 'formatted'),
  // Optional extras: Code42 also accepts region and the enterprise extension [DOC S8].
  workRegion: typed('addresses', 'work', 'region'),
  middleName: sub('name', 'middleName'),
  honorificPrefix: sub('name', 'honorificPrefix'),
  honorificSuffix: sub('name', 'honorificSuffix'),
  displayName: plain('displayName'),
  mobilePhone: typed('phoneNumbers', 'mobile', 'value'),
  // A second and third e-mail, for targets with more than one (PING-SCIM-LIMITS: one value per type).
  homeEmail: typed('emails', 'home', 'value'),
  otherEmail: typed('emails', 'other', 'value'),
  preferredLanguage: plain('preferredLanguage'),
  locale: plain('locale'),
  timezone: plain('timezone'),
  department: enterprise('department'),
  division: enterprise('division'),
  employeeNumber: enterprise('employeeNumber'),
  costCenter: enterprise('costCenter'),
  organization: enterprise('organization'),
};

/** Seed document errata (SEED-7 (docs/sources.md)): the spelling in the seed → what the mock uses, and why. */
export const SEED_ERRATA: readonly Erratum[] = [
  {
    field: 'targetAttribute',
    seed: 'workStreetAddeess',
    corrected: 'workStreetAddress',
    reason: 'typo in the seed (Ping\u2019s current guide keeps it; the PingFederate guide says workStreet)',
  },
  {
    field: 'sourceAttribute',
    seed: 'County Code',
    corrected: 'address.countryCode',
    reason: '"County Code" is Country Code, i.e. PingOne address.countryCode, per Ping\u2019s current guide',
  },
];

/** Target names a mapping may be created with that are corrected on the way in (and reported). */
export const TARGET_ALIASES: Readonly<Record<string, { name: string; erratum: Erratum }>> = {
  workStreetAddeess: { name: 'workStreetAddress', erratum: SEED_ERRATA[0] },
};

/** The seed's mapping table (step 7), with both errata corrected: [targetAttribute, sourceAttribute, erratum?]. */
export const SEED_MAPPINGS: readonly { target: string; source: string; errata?: Erratum[] }[] = [
  { target: 'userName', source: 'username' },
  { target: 'externalId', source: 'externalId' },
  { target: 'givenName', source: 'name.given' },
  { target: 'familyName', source: 'name.family' },
  { target: 'workPhone', source: 'primaryPhone' },
  { target: 'workEmail', source: 'email' },
  { target: 'workCity', source: 'address.locality' },
  { target: 'workStreetAddress', source: 'address.streetAddress', errata: [SEED_ERRATA[0]] },
  { target: 'workCountry', source: 'address.countryCode', errata: [SEED_ERRATA[1]] },
  { target: 'workPostalCode', source: 'address.postalCode' },
  { target: 'userType', source: 'type' },
  { target: 'title', source: 'title' },
  { target: 'nickName', source: 'nickname' },
  { target: 'formattedName', source: 'name.formatted' },
];

/** Flattened name → value; undefined means the source value is empty. */
export type FlatUser = Record<string, string | undefined>;

function readPath(source: Record<string, unknown>, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/** Applies the mappings to a PingOne user: the flattened SCIM values (empty sources stay undefined). */
export function mapUser(
  user: User,
  mappings: readonly { sourceAttribute: string; targetAttribute: string }[],
): FlatUser {
  const flat: FlatUser = {};
  for (const m of mappings) {
    const value = readPath(user as unknown as Record<string, unknown>, m.sourceAttribute);
    flat[m.targetAttribute] = isEmpty(value) ? undefined : String(value);
  }
  return flat;
}

/** Reads the flattened values back from a SCIM user (e.g. the target's current one, for cannot-clear). */
export function flattenScimUser(user: ScimUser, names: readonly string[]): FlatUser {
  const flat: FlatUser = {};
  for (const name of names) {
    const value = SCIM_TARGETS[name]?.read(user);
    flat[name] = isEmpty(value) ? undefined : String(value);
  }
  return flat;
}

/**
 * Builds the SCIM 2.0 User the provisioner sends: `schemas`, each non-empty flattened value at its
 * SCIM path, and `active`. `emptyAs` set to "" writes empty values too (the clear-attributes deviation).
 */
export function toScimUser(input: FlatUser, active: boolean, options: { emptyAs?: string } = {}): ScimUser {
  const user: ScimUser = { schemas: [URN.User] };
  const { flat, allPrimary } = fillEmails(input);
  for (const [name, value] of Object.entries(flat)) {
    const target = SCIM_TARGETS[name];
    if (!target) continue;
    if (value !== undefined) target.write(user, value);
    else if (options.emptyAs !== undefined) target.write(user, options.emptyAs);
  }
  if (allPrimary) for (const email of user.emails as ScimUser[]) email.primary = true;
  if (user[ENTERPRISE] !== undefined) (user.schemas as string[]).push(ENTERPRISE);
  user.active = active;
  return user;
}

/**
 * PING-SCIM-LIMITS: "If the target application supports two email attributes and one attribute is empty, the
 * provisioner populates both attributes with the email address and sets both as primary."
 */
function fillEmails(flat: FlatUser): { flat: FlatUser; allPrimary: boolean } {
  const emails = Object.keys(flat).filter((name) => SCIM_TARGETS[name]?.path.startsWith('emails['));
  const value = emails.map((name) => flat[name]).find((v) => v !== undefined);
  if (emails.length < 2 || value === undefined || emails.every((name) => flat[name] !== undefined))
    return { flat, allPrimary: false };
  const filled = { ...flat };
  for (const name of emails) filled[name] ??= value;
  return { flat: filled, allPrimary: true };
}
