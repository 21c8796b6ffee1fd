// Create (RFC 7644 §3.3): what PingOne's POST /Users gets back when its lookup found nobody (the Ping entries of docs/sources.md).
import {
  describeRequest,
  expectEqual,
  expectHeader,
  expectStatus,
  fail,
  type CheckContext,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { given, idOf, isAbsoluteUri, objectBody, read, resolveLocation, resolveReference, scimUser } from './support';

const SECTION = 'RFC 7644 §3.3';

/** RFC 7643 §2.3.5: an xsd:dateTime, e.g. 2008-01-23T04:56:22Z. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 7643 §3.1 meta, as the answer `res` carries it; returns what is wrong. */
function metaProblems(res: HttpResponse, baseUrl: string): string[] {
  const resource = objectBody(res, 'the User resource');
  const meta = read(resource, 'meta');
  if (meta === null || typeof meta !== 'object') return [`meta is ${JSON.stringify(meta) ?? 'absent'}`];
  const problems: string[] = [];
  const resourceType = read(meta, 'resourceType');
  if (resourceType !== 'User')
    problems.push(`meta.resourceType is ${JSON.stringify(resourceType) ?? 'absent'}, not "User"`);
  for (const name of ['created', 'lastModified']) {
    const value = read(meta, name);
    if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      problems.push(`meta.${name} is ${JSON.stringify(value) ?? 'absent'}, not a dateTime`);
    }
  }
  const location = read(meta, 'location');
  // RFC 7643 §2.3.7: an absolute or a relative URI; a relative one resolves against the service provider's root.
  if (typeof location !== 'string' || location === '' || resolveReference(location, baseUrl) === undefined) {
    problems.push(`meta.location is ${JSON.stringify(location) ?? 'absent'}, not a URI`);
  }
  return problems;
}

export const createRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-CREATE-201',
    level: 'MUST',
    source: 'RFC7644-3.3',
    quote:
      'When the service provider successfully creates the new resource, an HTTP response SHALL be returned with HTTP status code 201 (Created).',
    title: 'POST /Users with the full mapped representation answers 201 with the user, its id and userName',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['create-200', 'reject-scim-json'],
    accepts:
      'Any id format; extra attributes and extensions in the answer; schemas in any order; attribute names in any case.',
    async check({ target, users }) {
      const user = users.next();
      const res = await target.post('/Users', { body: scimUser(user) });
      expectStatus(res, 201);
      idOf(res);
      expectEqual(read(objectBody(res), 'userName'), user.username, 'userName', res);
    },
  },
  {
    id: 'SCIM-CREATE-LOCATION',
    level: 'MUST',
    source: 'RFC7644-3.3; RFC7231-7.1.2',
    quote:
      'The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP body, a JSON representation [RFC7159] with the attribute "meta.location".',
    title: 'A create answers a Location header equal to meta.location, where the user can be read',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-location'],
    accepts:
      'An absolute or a relative Location (resolved against the request URL, RFC 7231 §7.1.2) and an absolute or relative meta.location (resolved against the SCIM base URL, RFC 7643 §2.3.7), compared once resolved.',
    async check({ target, users }) {
      const { id, res } = await given.userExists(target, scimUser(users.next()));
      // RFC 7231 §7.1.2: Location is a URI-reference, resolved against the request URL when relative.
      const header = expectHeader(res, 'Location');
      const location = resolveLocation(header, res.request.url);
      if (location === undefined)
        fail(`${describeRequest(res)} answered Location: ${header}; expected a URI-reference`, res);
      // RFC 7643 §2.3.7: meta.location may be relative too, resolved against the service provider's root.
      const meta = read(objectBody(res), 'meta.location');
      expectEqual(
        typeof meta === 'string' ? resolveReference(meta, target.baseUrl) : meta,
        location,
        `meta.location ${JSON.stringify(meta) ?? '(absent)'}, resolved (expected equal to the Location header, resolved)`,
        res,
      );
      const readBack = await target.get(location);
      expectStatus(readBack, 200);
      expectEqual(read(objectBody(readBack), 'id'), id, `id of the user at its Location`, readBack);
    },
  },
  {
    id: 'SCIM-CREATE-META',
    level: 'SHOULD',
    source: 'RFC7643-3.1; RFC7644-3.3',
    quote: 'The URI of the resource being returned.',
    title: 'A created user carries meta: resourceType User, created, lastModified and location, on create and on read',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['no-meta'],
    accepts:
      'A relative meta.location; dateTimes with or without fractional seconds, in Z or with an offset; extra meta attributes such as version.',
    async check({ target, users }) {
      const { id, res } = await given.userExists(target, scimUser(users.next()));
      const { res: readBack } = await given.userRead(target, id);
      for (const answer of [res, readBack]) {
        const problems = metaProblems(answer, target.baseUrl);
        if (problems.length > 0)
          fail(`${describeRequest(answer)} answered ${answer.status}: ${problems.join('; ')}`, answer);
      }
    },
  },
  {
    id: 'SCIM-LOCATION-ABSOLUTE',
    level: 'SHOULD',
    source: 'RFC7643-2.3.7',
    quote: 'The value MUST be the absolute or relative URI of the target resource.',
    title: 'A create answers the Location header and meta.location as absolute URIs',
    suite: 'target',
    section: SECTION,
    inference:
      'Both forms conform (RFC 7231 §7.1.2, RFC 7643 §2.3.7); an absolute URI is recommended because a client that does not resolve references, as several IdP connectors do not, can use it as it is.',
    pairedDeviations: ['relative-location'],
    accepts: 'Any scheme; http and https alike; a trailing slash or none.',
    async check({ target, users }) {
      const { res } = await given.userExists(target, scimUser(users.next()));
      const header = res.headers.location;
      const meta = read(objectBody(res), 'meta.location');
      const relative = [
        ...(header !== undefined && !isAbsoluteUri(header) ? [`Location: ${header}`] : []),
        ...(!isAbsoluteUri(meta) ? [`meta.location ${JSON.stringify(meta) ?? '(absent)'}`] : []),
      ];
      if (relative.length > 0)
        fail(`${describeRequest(res)} answered ${relative.join(' and ')}; an absolute URI is recommended`, res);
    },
  },
];
