// Create (RFC 7644 §3.3): what PingOne's POST /Users gets back when its lookup found nobody (behavior-notes §3).
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
import { given, idOf, objectBody, read, scimUser } from './support';

const SECTION = 'RFC 7644 §3.3';

/** RFC 7643 §2.3.5: an xsd:dateTime, e.g. 2008-01-23T04:56:22Z. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 7643 §3.1 meta, as the answer `res` carries it; returns what is wrong. */
function metaProblems(res: HttpResponse): string[] {
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
  if (typeof location !== 'string' || !URL.canParse(location)) {
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
    async check({ target, users }) {
      const { id, res } = await given.userExists(target, scimUser(users.next()));
      const location = expectHeader(res, 'Location');
      if (!URL.canParse(location))
        fail(`${describeRequest(res)} answered Location: ${location}; expected an absolute URI`, res);
      expectEqual(
        read(objectBody(res), 'meta.location'),
        location,
        'meta.location (expected equal to the Location header)',
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
    async check({ target, users }) {
      const { id, res } = await given.userExists(target, scimUser(users.next()));
      const { res: readBack } = await given.userRead(target, id);
      for (const answer of [res, readBack]) {
        const problems = metaProblems(answer);
        if (problems.length > 0)
          fail(`${describeRequest(answer)} answered ${answer.status}: ${problems.join('; ')}`, answer);
      }
    },
  },
];
