// Discovery (RFC 7644 §4, RFC 7643 §5-7): the three documents exist and tell the truth about the behaviour the seed
// relies on. SHOULD: the seed's flow never reads them (the Ping entries of docs/sources.md), so a gap warns instead of failing the run.
import { SEED_MAPPING } from '../../fixtures/mapping';
import { URN } from '../../scim/urns';
import {
  describeRequest,
  expectHeader,
  expectStatus,
  fail,
  skip,
  type CheckContext,
  type Requirement,
} from '../engine';
import { given, hasUrn, listOf, member, objectBody, patchOp, read, scimUser, userPath, type Resource } from './support';

const SECTION = 'RFC 7644 §4';
const FEATURES = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'] as const;

function named(list: unknown, name: string): Resource | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.find(
    (a: unknown) =>
      a !== null && typeof a === 'object' && String(member(a, 'name')).toLowerCase() === name.toLowerCase(),
  ) as Resource | undefined;
}

/** `name.givenName` → ['name', 'givenName']; `emails[type eq "work"].value` → ['emails', 'value']. */
function schemaPath(scimPath: string): string[] {
  return scimPath.replace(/\[[^\]]*\]/g, '').split('.');
}

export const discoveryRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-DISCOVERY-SPC',
    level: 'SHOULD',
    source: 'RFC7644-4; RFC7643-5',
    quote:
      'An HTTP GET to this endpoint will return a JSON structure that describes the SCIM specification features available on a service provider.',
    title: '/ServiceProviderConfig declares each feature, filtering and the Bearer scheme the seed uses',
    suite: 'target',
    section: SECTION,
    accepts:
      'Any value for features other than filter; schemas URNs in any case and order; extra members; the Bearer scheme type in any case.',
    async check({ target }) {
      const res = await target.get('/ServiceProviderConfig');
      expectStatus(res, 200);
      const spc = objectBody(res, 'the ServiceProviderConfig');
      const problems: string[] = [];
      const schemas = read(spc, 'schemas');
      if (!hasUrn(schemas, URN.ServiceProviderConfig)) {
        problems.push(`schemas is ${JSON.stringify(schemas) ?? 'absent'}, not containing ${URN.ServiceProviderConfig}`);
      }
      for (const feature of FEATURES) {
        const supported = read(spc, `${feature}.supported`);
        if (typeof supported !== 'boolean') {
          problems.push(`${feature}.supported is ${JSON.stringify(supported) ?? 'absent'}, not a boolean`);
        }
      }
      // The seed's User Filter Expression is a filter (seed step 6.1): a target PingOne works with filters.
      if (read(spc, 'filter.supported') === false) problems.push('filter.supported is false, yet lookups use a filter');
      const schemes = read(spc, 'authenticationSchemes');
      const bearer =
        Array.isArray(schemes) &&
        schemes.some(
          (s: unknown) =>
            s !== null && typeof s === 'object' && String(member(s, 'type')).toLowerCase() === 'oauthbearertoken',
        );
      if (!bearer) {
        problems.push(
          `authenticationSchemes ${JSON.stringify(schemes)?.slice(0, 200) ?? 'is absent'} declares no "oauthbearertoken", the seed's scheme`,
        );
      }
      if (problems.length > 0) fail(`${describeRequest(res)}: ${problems.join('; ')}`, res);
    },
  },
  {
    id: 'SCIM-DISCOVERY-RESOURCETYPES',
    level: 'SHOULD',
    source: 'RFC7644-4',
    quote:
      'An HTTP GET to this endpoint is used to discover the types of resources available on a SCIM service provider (e.g., Users and Groups).',
    title: '/ResourceTypes lists User at the endpoint /Users with the core User schema',
    suite: 'target',
    section: SECTION,
    accepts:
      'The endpoint with or without its leading slash, in any case; the schema URN in any case; other resource types and schema extensions.',
    async check({ target }) {
      const res = await target.get('/ResourceTypes');
      const user = named(listOf(res).resources, 'User');
      if (!user) fail(`${describeRequest(res)} lists no resource type named "User"`, res);
      const endpoint = read(user, 'endpoint');
      const schema = read(user, 'schema');
      // RFC 7643 §6: the endpoint is relative to the base URL; with or without its leading slash, any case.
      const sameEndpoint = typeof endpoint === 'string' && endpoint.replace(/^\/?/, '/').toLowerCase() === '/users';
      if (!sameEndpoint || !hasUrn([schema], URN.User)) {
        fail(
          `${describeRequest(res)} lists User with endpoint ${JSON.stringify(endpoint)} and schema ${JSON.stringify(schema)}; expected "/Users" (seed step 5.2, the Users Resource) and ${JSON.stringify(URN.User)}`,
          res,
        );
      }
    },
  },
  {
    id: 'SCIM-DISCOVERY-SCHEMAS',
    level: 'SHOULD',
    source: 'RFC7644-4; RFC7643-2.2; RFC7643-4.1.1',
    quote:
      'An HTTP GET to this endpoint is used to retrieve information about resource schemas supported by a SCIM service provider.',
    title: '/Schemas describes userName as required, not case-exact and unique, and every mapped attribute',
    suite: 'target',
    section: SECTION,
    accepts:
      'Attribute and characteristic names in any case; attributes beyond the seed mapping; externalId left out (RFC 7643 §8.7.1).',
    async check({ target }) {
      const res = await target.get('/Schemas');
      const core = listOf(res).resources.find((s) => String(read(s, 'id')).toLowerCase() === URN.User.toLowerCase());
      if (!core) fail(`${describeRequest(res)} lists no schema with id ${URN.User}`, res);
      const attributes = read(core, 'attributes');
      const problems: string[] = [];
      const userName = named(attributes, 'userName');
      const wanted: [string, unknown][] = [
        ['type', 'string'],
        ['required', true],
        ['caseExact', false],
        ['uniqueness', 'server'],
      ];
      for (const [characteristic, value] of wanted) {
        const actual = userName && member(userName, characteristic);
        if (actual !== value) {
          problems.push(
            `userName.${characteristic} is ${JSON.stringify(actual) ?? 'absent'}, expected ${JSON.stringify(value)}`,
          );
        }
      }
      // externalId is a common attribute (RFC 7643 §3.1), which schemas do not list (RFC 7643 §8.7.1).
      for (const row of SEED_MAPPING.filter((r) => r.scimPath !== 'externalId')) {
        const [attr, sub] = schemaPath(row.scimPath);
        const def = named(attributes, attr);
        if (!def || (sub !== undefined && !named(member(def, 'subAttributes'), sub))) {
          problems.push(`${row.scimPath} (${row.code42}, seed step 7) is not described`);
        }
      }
      if (problems.length > 0) fail(`${describeRequest(res)}, schema ${URN.User}: ${problems.join('; ')}`, res);
    },
  },
  {
    id: 'SCIM-DISCOVERY-PATCH',
    level: 'SHOULD',
    source: 'RFC7644-3.5.2; RFC7643-5',
    quote:
      'HTTP PATCH is an OPTIONAL server function that enables clients to update one or more attributes of a SCIM resource using a sequence of operations to "add", "remove", or "replace" values.',
    title: 'When /ServiceProviderConfig declares patch.supported, a PATCH is served',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['patch-not-implemented'],
    accepts:
      '200 with the user or 204 with no body. Skipped unless /ServiceProviderConfig declares patch.supported: true.',
    async check({ target, users }) {
      const spc = await given.serviceProviderConfig(target);
      if (spc === undefined) skip('the target serves no /ServiceProviderConfig to be consistent with');
      if (read(spc, 'patch.supported') !== true) skip('/ServiceProviderConfig does not declare patch.supported: true');
      const { id } = await given.userExists(target, scimUser(users.next()));
      const res = await target.patch(userPath(id), {
        body: patchOp({ op: 'replace', path: 'nickName', value: 'Patched' }),
      });
      if (res.status !== 200 && res.status !== 204) {
        fail(
          `/ServiceProviderConfig declares patch.supported: true, but ${describeRequest(res)} answered ${res.status}; expected 200 or 204`,
          res,
        );
      }
    },
  },
  {
    id: 'SCIM-DISCOVERY-ETAG',
    level: 'SHOULD',
    source: 'RFC7644-3.14; RFC7643-3.1',
    quote: 'When supported, SCIM ETags MUST be specified as an HTTP header',
    title: 'When /ServiceProviderConfig declares etag.supported, a read carries an ETag equal to meta.version',
    suite: 'target',
    section: SECTION,
    accepts: 'Weak or strong ETags. Skipped unless /ServiceProviderConfig declares etag.supported: true.',
    async check({ target, users }) {
      const spc = await given.serviceProviderConfig(target);
      if (spc === undefined || read(spc, 'etag.supported') !== true) {
        skip('/ServiceProviderConfig does not declare etag.supported: true');
      }
      const { id } = await given.userExists(target, scimUser(users.next()));
      const { res, resource } = await given.userRead(target, id);
      const etag = expectHeader(res, 'ETag');
      const version = read(resource, 'meta.version');
      if (version !== etag) {
        fail(
          `${describeRequest(res)} answered ETag ${etag} but meta.version ${JSON.stringify(version) ?? 'absent'}; expected them equal`,
          res,
        );
      }
    },
  },
];
