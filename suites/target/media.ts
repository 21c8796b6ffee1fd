// Content types (RFC 7644 §3.8). Ping added support for application/scim+json [DOC S3]; whether PingOne sends it or
// application/json is unknown [INF], so accepting application/json is a separate, INFO requirement.
import { randomUUID } from 'node:crypto';
import { SCIM_CONTENT_TYPE } from '../../scim/urns';
import { expectJsonContentType, expectStatus, type CheckContext, type HttpClient, type Requirement } from '../engine';
import { given, idOf, scimUser, search, seedFilter, userPath } from './support';
import type { PingOneUser } from '../../fixtures/users';

const SECTION = 'RFC 7644 §3.8';

/** A create and an update whose bodies are labelled `contentType`: both must be accepted. */
async function createAndUpdate(target: HttpClient, user: PingOneUser, contentType: string): Promise<void> {
  const created = await target.post('/Users', { body: scimUser(user), contentType });
  expectStatus(created, '2xx');
  const id = idOf(created);
  expectStatus(await target.put(userPath(id), { body: scimUser(user, true), contentType }), '2xx');
}

export const mediaRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-MEDIA-SCIM-JSON',
    level: 'MUST',
    source: 'PING-SCIM-CHANGELOG; RFC7644-3.8',
    quote: 'Added support for the application/scim+json HTTP header type.',
    title: 'Request bodies typed application/scim+json are accepted on create and update',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['reject-scim-json'],
    accepts: "Any 2xx to the create and the update; charset and other parameters on the answer's Content-Type.",
    async check({ target, users }) {
      await createAndUpdate(target, users.next(), SCIM_CONTENT_TYPE);
    },
  },
  {
    id: 'SCIM-MEDIA-JSON',
    level: 'INFO',
    source: 'RFC7644-3.8',
    quote: 'SHOULD support the header "Accept: application/json"',
    inference:
      'Whether PingOne sends request bodies as application/json or application/scim+json is not documented, and RFC 7644 §3.8 asks servers only to answer application/json: accepting it on requests is assumed.',
    title: 'Request bodies typed application/json are accepted on create and update',
    suite: 'target',
    section: SECTION,
    accepts: 'Any 2xx to the create and the update.',
    async check({ target, users }) {
      await createAndUpdate(target, users.next(), 'application/json');
    },
  },
  {
    id: 'SCIM-MEDIA-RESPONSE',
    level: 'MUST',
    source: 'RFC7644-3.8',
    quote: 'Service providers MUST support the accept header "Accept: application/scim+json"',
    title: 'Answers to a client accepting application/scim+json are typed application/scim+json, errors included',
    suite: 'target',
    section: SECTION,
    pairedDeviations: ['plain-json-errors'],
    accepts: 'Parameters such as charset on the Content-Type; the media type in any case.',
    async check({ target, users }) {
      const user = users.next();
      const { id, res: created } = await given.userExists(target, scimUser(user));
      const answers = [
        created,
        (await given.userRead(target, id)).res,
        await search(target, seedFilter(user.username)),
        await target.get(userPath(randomUUID())),
      ];
      for (const res of answers) expectJsonContentType(res, [SCIM_CONTENT_TYPE]);
    },
  },
];
