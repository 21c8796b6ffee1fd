// Attribute-mapping fidelity: every row of the seed's "Map Attributes" table (seed step 7, SEED-7 (docs/sources.md))
// round-trips exactly through its SCIM path, for generated users and for the hostile set (non-ASCII, quotes,
// backslashes, long values, both Unicode normalization forms). Expected values are the fixtures' literal mapping.
import { SEED_MAPPING, type MappingRow } from '../../fixtures/mapping';
import { URN } from '../../scim/urns';
import {
  deepEqual,
  describeRequest,
  expectEqual,
  fail,
  type CheckContext,
  type HttpClient,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { given, member, read, scimUser, type Resource } from './support';

/** RFC 7643 §6: whether /ResourceTypes lists the enterprise extension for User; a note for a failure message. */
async function enterpriseDeclared(target: HttpClient): Promise<{ note: string; evidence: HttpResponse[] }> {
  const res = await target.get('/ResourceTypes');
  const body = res.body as { Resources?: unknown } | undefined;
  const types = Array.isArray(member(body ?? {}, 'Resources')) ? (member(body ?? {}, 'Resources') as Resource[]) : [];
  const user = types.find((t) => String(read(t, 'name')).toLowerCase() === 'user');
  const extensions = read(user ?? {}, 'schemaExtensions');
  const listed =
    Array.isArray(extensions) &&
    extensions.some((e) => String(read(e as Resource, 'schema')).toLowerCase() === URN.EnterpriseUser.toLowerCase());
  if (res.status !== 200 || !user)
    return {
      note: ` (and ${describeRequest(res)} answered ${res.status} with no User resource type to say whether the extension is supported)`,
      evidence: [res],
    };
  return listed
    ? {
        note: ' (the target declares the extension for User in /ResourceTypes, yet did not keep these values)',
        evidence: [res],
      }
    : {
        note: ` (the target's /ResourceTypes does not declare ${URN.EnterpriseUser} among User's schemaExtensions: it does not support the extension Code42 accepts)`,
        evidence: [res],
      };
}

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
    accepts:
      'Attribute names in any case; extra attributes and other values of a multi-valued attribute, which is read by its type; any id format.',
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

export const attributeMappingRequirements: Requirement<CheckContext>[] = [
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
    pairedDeviations: ['drop-attribute=addresses.region', 'no-enterprise-extension'],
    accepts:
      "The extension's URN and attribute names in any case; other extension attributes; manager read back with or without $ref and displayName.",
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
      const got = {
        department: read(readBack, 'department'),
        division: read(readBack, 'division'),
        manager: read(readBack, 'manager.value'),
      };
      const wanted = { department: enterprise.department, division: enterprise.division, manager: managerId };
      if (!deepEqual(got, wanted)) {
        // issue 13 §5: say whether the target declares the extension at all, the first thing a vendor checks.
        const declared = await enterpriseDeclared(target);
        fail(
          `${URN.EnterpriseUser} read back in the answer to ${describeRequest(res)}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}${declared.note}`,
          [res, ...declared.evidence],
        );
      }
    },
  },
];
