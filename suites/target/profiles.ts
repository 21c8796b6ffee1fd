// Profile checks (issue 16 §3, docs/profiles.md): the target gets the traffic of Entra ID's or Okta's SCIM client,
// whose wire rules are the data of fixtures/profiles.ts, and must handle it as a Code42 target for their customers.
// Selected with `conformance --profile entra|okta|all`; the default, pingone, is the rest of the target suite.
import { activeValue, PROFILES } from '../../fixtures/profiles';
import {
  describeRequest,
  expectEqual,
  expectScimError,
  expectStatus,
  fail,
  type CheckContext,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { expectFoundOnce, given, patchOp, read, scimUser, userPath, type Resource } from './support';

const SECTION = 'Other identity providers (docs/profiles.md)';
const entra = PROFILES.entra;
const okta = PROFILES.okta;

/** The attributes a change of `active` must leave as they were. */
const KEPT = ['userName', 'externalId', 'name.givenName', 'name.familyName', 'title'];

/** Every attribute of KEPT reads in `after` as in `before`. */
function expectKept(before: Resource, after: Resource, what: string, res: HttpResponse): void {
  for (const path of KEPT) expectEqual(read(after, path), read(before, path), `${path} after ${what}`, res);
}

/** A profile's filter template with `%s` replaced by `value`, escaped as a JSON string (RFC 7644 §3.4.2.2). */
const filterOf = (template: string | null, value: unknown) =>
  (template ?? '').replace('%s', JSON.stringify(String(value)).slice(1, -1));

const is2xx = (res: HttpResponse) => res.status === 200 || res.status === 204;

/** Entra's disable (ENTRA-SCIM-KNOWN-ISSUES): `{"op": "Replace", "path": "active", "value": "False"}`. */
const entraActive = (active: boolean) =>
  patchOp({ op: entra.patchOp.value, path: 'active', value: activeValue(entra, active) });

export const profileRequirements: (Requirement<CheckContext> & { profile: 'entra' | 'okta' })[] = [
  {
    id: 'C42-ENTRA-EXTERNALID-LOOKUP',
    profile: 'entra',
    level: 'MUST',
    source: 'ENTRA-SCIM-ENDPOINT; RFC7644-3.4.2.2',
    quote:
      'This article describes how to build a SCIM endpoint and integrate with the Microsoft Entra provisioning service.',
    title: 'Entra ID: a user is found by "externalId eq" and by "userName eq", exactly once',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-externalid-filter'],
    accepts: 'Extra attributes in the answers; any paging of a one-user answer.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user, true));
      const byName = filterOf(entra.lookupFilter.value, user.username);
      await expectFoundOnce(target, byName, id, 'the user created by Entra ID');
      const byExternal = filterOf(entra.externalIdLookup.value, user.externalId);
      await expectFoundOnce(target, byExternal, id, 'the user created by Entra ID, by its externalId');
    },
  },
  {
    id: 'C42-ENTRA-STRING-BOOLEAN-SAFE',
    profile: 'entra',
    level: 'MUST',
    source: 'ENTRA-SCIM-KNOWN-ISSUES; RFC7644-3.5.2.3',
    quote:
      "This article describes current and past issues with the Microsoft Entra user provisioning service's adherence to the SCIM 2.0 protocol, and how to work around these issues.",
    title: 'Entra ID: a PATCH of active "False" deactivates the user, or is refused, and never corrupts it',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['string-booleans-truthy'],
    accepts:
      'A 2xx after which the user reads active false (the boolean) with its other attributes unchanged, or a 4xx SCIM error after which the user is unchanged.',
    async check({ target, users }) {
      const { id } = await given.userExists(target, scimUser(users.next(), true));
      const before = await given.userRead(target, id);
      const res = await target.patch(userPath(id), { body: entraActive(false) });
      const after = await given.userRead(target, id);
      if (res.status >= 400 && res.status < 500) {
        expectScimError(res, '4xx');
        expectEqual(read(after.resource, 'active'), true, 'active after the refused PATCH', after.res);
      } else {
        expectStatus(res, [200, 204]);
        expectEqual(read(after.resource, 'active'), false, 'active after PATCH active "False"', after.res);
      }
      expectKept(before.resource, after.resource, 'PATCH active "False"', after.res);
    },
  },
  {
    id: 'C42-ENTRA-STRING-BOOLEAN-ACCEPTED',
    profile: 'entra',
    level: 'INFO',
    source: 'ENTRA-SCIM-KNOWN-ISSUES',
    quote: 'We have worked to ensure backwards compatibility for the changes we have made.',
    inference:
      'Entra applications without the fix still send "True"/"False"; no public Code42 source says whether Code42 accepts them. A server that refuses them leaves those customers\' leavers active.',
    title: 'Entra ID: PATCH active "False" and "True" (op "Replace") are accepted and toggle the user',
    suite: 'target',
    section: SECTION,
    accepts: '200 with the user or 204 with no body.',
    async check({ target, users }) {
      const { id } = await given.userExists(target, scimUser(users.next(), true));
      for (const active of [false, true]) {
        const res = await target.patch(userPath(id), { body: entraActive(active) });
        if (!is2xx(res)) {
          fail(`${describeRequest(res)} answered ${res.status}; expected 200 or 204: Entra ID sends these values`, res);
        }
        const after = await given.userRead(target, id);
        expectEqual(
          read(after.resource, 'active'),
          active,
          `active after PATCH active "${String(activeValue(entra, active))}"`,
          after.res,
        );
      }
    },
  },
  {
    id: 'C42-OKTA-DEACTIVATE-PATHLESS',
    profile: 'okta',
    level: 'MUST',
    source: 'OKTA-SCIM-20; RFC7644-3.5.2.3',
    quote: 'Okta runs a query against the userName values stored on the SCIM server.',
    title:
      'Okta: the user found by "userName eq" is deactivated by PATCH {"op": "replace", "value": {"active": false}}',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['pathless-replace-ignored', 'ignore-active'],
    accepts: '200 with the user or 204 with no body; other attributes are judged unchanged.',
    async check({ target, users }) {
      const user = users.next();
      const { id } = await given.userExists(target, scimUser(user, true));
      const filter = filterOf(okta.lookupFilter.value, user.username);
      const before = await expectFoundOnce(target, filter, id, 'the user created by Okta');
      const body = patchOp({ op: okta.patchOp.value, value: { active: activeValue(okta, false) } });
      expectStatus(await target.patch(userPath(id), { body }), [200, 204]);
      const after = await given.userRead(target, id);
      expectEqual(read(after.resource, 'active'), false, "active after Okta's deactivation", after.res);
      expectKept(before.resource, after.resource, "Okta's deactivation", after.res);
    },
  },
];
