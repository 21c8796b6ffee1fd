// The driver profile (issue 16 §3, `conformance --driver-profile`): whose SCIM client the provisioner under test claims
// to be. The checks whose expectation depends on the identity provider read it from that profile's rules
// (fixtures/profiles.ts), and their messages name the profile, the rule and its source; the other checks do not look.
import { PROFILES, type Profile, type ProfileName } from '../../fixtures/profiles';
import type { UpdateMethod } from '../driver/protocol';

const RULE_LABELS = {
  lookupFilter: 'lookup filter',
  externalIdLookup: 'second lookup',
  updateMethod: 'update method',
  activeShape: 'disable and enable',
  deprovision: 'deprovision',
  booleans: 'booleans in a PATCH',
} as const;

export type JudgedRule = keyof typeof RULE_LABELS;

/** The profile judged when none is chosen: PingOne's, the rules the suite always applied. */
export const DEFAULT_DRIVER_PROFILE: ProfileName = 'pingone';

export function driverProfile(name: ProfileName = DEFAULT_DRIVER_PROFILE): Profile {
  return PROFILES[name];
}

/** `the entra profile's update method rule [ENTRA-SCIM-ENDPOINT]`, with `; inferred` when no source states it. */
export function ruleCitation(profile: Profile, rule: JudgedRule): string {
  const { source, inferred } = profile[rule];
  return `the ${profile.name} profile's ${RULE_LABELS[rule]} rule [${source}${inferred ? '; inferred' : ''}]`;
}

/** The method a check expects, and why, in words a failure message can end with. */
export interface ExpectedMethod {
  method: UpdateMethod;
  why: string;
}

/** How attribute updates go out: the profile's method, or the store's when the profile leaves it to the store. */
export function updateMethodOf(profile: Profile, storeMethod: UpdateMethod): ExpectedMethod {
  const fixed = profile.updateMethod.value;
  if (fixed === null) {
    return {
      method: storeMethod,
      why: `the store's update method is ${storeMethod} (${ruleCitation(profile, 'updateMethod')}: the store's UPDATE_METHOD)`,
    };
  }
  return { method: fixed, why: `${ruleCitation(profile, 'updateMethod')}: ${fixed}` };
}

/** How a disable or re-enable goes out: as the update method, or as a PATCH of `active` (Entra ID, Okta). */
export function activeMethodOf(profile: Profile, storeMethod: UpdateMethod): ExpectedMethod {
  if (profile.activeShape.value === 'update-method') return updateMethodOf(profile, storeMethod);
  return { method: 'PATCH', why: `${ruleCitation(profile, 'activeShape')}: a PATCH of active` };
}

/**
 * Whether `value` sets `active` as the profile allows: a JSON boolean (RFC 7643 §2.2), and under a profile whose
 * client has sent strings (Entra ID, ENTRA-SCIM-KNOWN-ISSUES) also "True" or "False" as written there.
 */
export function activeAllowed(profile: Profile, value: unknown, active: boolean): boolean {
  if (value === active) return true;
  return profile.booleans.value === 'string' && value === (active ? 'True' : 'False');
}

/** What a check of `active` accepts, for its failure message. */
export function activeExpected(profile: Profile, active: boolean): string {
  const strings = profile.booleans.value === 'string' ? ` or the string "${active ? 'True' : 'False'}"` : '';
  return `${active}${strings} (${ruleCitation(profile, 'booleans')})`;
}

/**
 * Capabilities of a provisioner-suite run under a profile (a requirement `needs` them): `remove-action-delete` when
 * the profile deletes under Remove Action Delete, `pingone-limits` when PingOne's documented limitations apply.
 */
export const PROFILE_NEEDS = { removeByDelete: 'remove-action-delete', pingOneLimits: 'pingone-limits' } as const;

export function profileCapabilities(profile: Profile): string[] {
  const capabilities: string[] = [];
  if (profile.deprovision.value === null) capabilities.push(PROFILE_NEEDS.removeByDelete);
  if (profile.name === 'pingone') capabilities.push(PROFILE_NEEDS.pingOneLimits);
  return capabilities;
}

/** Why a requirement that needs `need` does not apply under `profile`, or undefined when `need` is not a profile's. */
export function notApplicableUnder(profile: Profile, need: string): string | undefined {
  if (need === PROFILE_NEEDS.removeByDelete) {
    return `${ruleCitation(profile, 'deprovision')}: the ${profile.name} profile deprovisions with ${profile.deprovision.value ?? 'the Remove Action'} and has no Remove Action Delete`;
  }
  if (need === PROFILE_NEEDS.pingOneLimits) {
    return `it rests on a documented limitation of PingOne's provisioner [PING-SCIM-LIMITS]; no source states it of the ${profile.name} profile`;
  }
  return undefined;
}
