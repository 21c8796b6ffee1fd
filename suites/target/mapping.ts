// Attribute-mapping fidelity: every row of the seed's "Map Attributes" table (seed step 7, behavior-notes §4)
// round-trips exactly through its SCIM path, for generated users and for the hostile set (non-ASCII, quotes,
// backslashes, long values, both Unicode normalization forms). Expected values are the fixtures' literal mapping.
import { SEED_MAPPING, type MappingRow } from '../../fixtures/mapping';
import { URN } from '../../scim/urns';
import { expectEqual, type CheckContext, type Requirement } from '../engine';
import { given, member, read, scimUser, type Resource } from './support';

const SECTION = 'Attribute mapping';

/** The row as the seed prints it, errata included: `workStreetAddeess Street Address`. */
function seedWords(row: MappingRow): string {
  const code42 = row.erratum?.column === 'code42' ? row.erratum.seedText : row.code42;
  const pingone = row.erratum?.column === 'pingone' ? row.erratum.seedText : row.pingone;
  return `${code42} ${pingone}`;
}

/** `addresses[type eq "work"].locality` → `addresses.locality`, the form the mock's drop-attribute deviation takes. */
function dropDeviation(row: MappingRow): string {
  return `drop-attribute=${row.scimPath.replace(/\[[^\]]*\]/g, '')}`;
}

function mappingRequirement(row: MappingRow): Requirement<CheckContext> {
  const erratum = row.erratum ? ` (the seed prints "${row.erratum.seedText}", an erratum)` : '';
  return {
    id: `MAP-${row.code42.toUpperCase()}`,
    level: 'MUST',
    source: 'SEED-7',
    quote: seedWords(row),
    title: `${row.code42} ← ${row.pingone}${erratum} round-trips exactly through ${row.scimPath}`,
    suite: 'target',
    section: SECTION,
    pairedDeviations: [dropDeviation(row)],
    async check({ target, users }) {
      const cases = [{ who: 'the generated user', user: users.next() }];
      for (const { label, user } of users.hostileCases())
        cases.push({ who: `the user of the hostile case "${label}"`, user });
      for (const { who, user } of cases) {
        const sent = scimUser(user);
        const { id } = await given.userExists(target, sent);
        const { res, resource } = await given.userRead(target, id);
        expectEqual(
          read(resource, row.scimPath),
          read(sent, row.scimPath),
          `${row.scimPath} of ${who}, read back`,
          res,
        );
        if (row.primary) {
          // workEmail is sent as the primary email [DOC].
          const primary = row.scimPath.replace(/\.value$/, '.primary');
          expectEqual(read(resource, primary), true, `${primary} of ${who}, read back`, res);
        }
      }
    },
  };
}

export const mappingRequirements: Requirement<CheckContext>[] = [
  ...SEED_MAPPING.map(mappingRequirement),
  {
    id: 'C42-EXTRA-ATTRIBUTES',
    level: 'MUST',
    source: 'ENTRA-CODE42',
    quote: 'addresses[type eq "work"].region String',
    title:
      'The attributes Code42 also accepts round-trip: the work address region, and department, division and manager',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['drop-attribute=addresses.region'],
    async check({ target, users }) {
      const { id: managerId } = await given.userExists(target, scimUser(users.next()));
      const user = users.next();
      const base = scimUser(user);
      const region = user.address?.region ?? 'IL';
      const enterprise = { department: 'Identity & Access', division: 'Sécurité', manager: { value: managerId } };
      const sent: Resource = {
        ...base,
        schemas: [URN.User, URN.EnterpriseUser],
        addresses: [{ ...(base.addresses as Resource[])[0], region }],
        [URN.EnterpriseUser]: enterprise,
      };
      const { id } = await given.userExists(target, sent);
      const { res, resource } = await given.userRead(target, id);
      const path = 'addresses[type eq "work"].region';
      expectEqual(read(resource, path), region, `${path} read back`, res);
      const extension = member(resource, URN.EnterpriseUser);
      const readBack = extension !== null && typeof extension === 'object' ? extension : {};
      expectEqual(
        {
          department: read(readBack, 'department'),
          division: read(readBack, 'division'),
          manager: read(readBack, 'manager.value'),
        },
        { department: enterprise.department, division: enterprise.division, manager: managerId },
        `${URN.EnterpriseUser} read back`,
        res,
      );
    },
  },
];
