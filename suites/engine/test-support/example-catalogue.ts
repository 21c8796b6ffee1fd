// A small example catalogue that exercises every status of the engine against tiny-scim.ts.
// It proves the engine; the real suites are written elsewhere on top of it.
import { toExpectedScim } from '../../../fixtures/users';
import { expectEqual, expectHeader, expectJsonContentType, expectScimError, expectStatus } from '../assert';
import { CheckFailure, skip } from '../outcomes';
import type { CheckContext, Requirement } from '../types';
import { TOKEN } from './tiny-scim';

export const HOSTILE_MARKUP = '<script>alert(1)</script>';

// eslint-disable-next-line max-lines-per-function -- a data table: one entry per example requirement, each short; splitting it would only scatter the catalogue the engine tests read as a whole.
export function exampleCatalogue(): Requirement<CheckContext>[] {
  return [
    {
      id: 'SCIM-CREATE-201',
      level: 'MUST',
      source: 'RFC 7644 §3.3',
      title: 'Create answers 201 with Location and a JSON body',
      suite: 'target',
      async check({ target, users }) {
        const res = await target.post('/Users', { body: toExpectedScim(users.next()) });
        expectStatus(res, 201);
        expectHeader(res, 'Location');
        expectJsonContentType(res);
      },
    },
    {
      id: 'C42-DELETE-REFUSED',
      level: 'MUST',
      source: 'seed step 6.1',
      quote: "Code42 doesn't support user deletion",
      title: 'DELETE is refused with a SCIM Error',
      suite: 'target',
      pairedDeviations: ['allow-delete'],
      async check({ target, users }) {
        const created = await target.post('/Users', { body: toExpectedScim(users.next()) });
        expectStatus(created, 201);
        const id = (created.body as { id: string }).id;
        expectScimError(await target.delete(`/Users/${id}`), ['4xx', 501]);
      },
    },
    {
      id: 'SCIM-ERROR-STATUS-STRING',
      level: 'SHOULD',
      source: 'RFC 7644 §3.12',
      title: 'Error bodies carry status as a string',
      suite: 'target',
      async check({ target }) {
        expectScimError(await target.get('/numeric-status-error'), 400, 'invalidFilter');
      },
    },
    {
      id: 'SCIM-PATCH-REPLACE',
      level: 'SHOULD',
      source: 'RFC 7644 §3.5.2',
      title: 'PATCH replace changes an attribute',
      suite: 'target',
      async check({ target }) {
        const spc = await target.get('/ServiceProviderConfig');
        if ((spc.body as { patch?: { supported?: boolean } }).patch?.supported !== true) {
          skip('/ServiceProviderConfig declares patch unsupported');
        }
      },
    },
    {
      id: 'C42-DISABLED-READABLE',
      level: 'INFO',
      source: 'C42-DEACTIVATE-USERS [INF]',
      title: 'A created user reads back with its userName',
      suite: 'target',
      async check({ target, users }) {
        const user = users.hostile().find((u) => u.username.endsWith(HOSTILE_MARKUP));
        if (!user) throw new Error('the hostile set has no markup username');
        const created = await target.post('/Users', { body: toExpectedScim(user) });
        expectStatus(created, 201);
        const read = await target.get(`/Users/${(created.body as { id: string }).id}`);
        expectEqual((read.body as { userName?: unknown }).userName, user.username, 'userName', read);
      },
    },
    {
      id: 'MAP-HOSTILE-NAME',
      level: 'SHOULD',
      source: 'SEED-7',
      section: 'SEED-7',
      title: 'A warning that quotes hostile data',
      suite: 'target',
      async check({ target }) {
        const res = await target.get('/html');
        throw new CheckFailure(`the name ${HOSTILE_MARKUP} & "quotes" came back as ${res.text}`, res);
      },
    },
    {
      id: 'SCIM-AUTH-LEAK',
      level: 'INFO',
      source: 'RFC 7644 §2 [INF]',
      title: 'A failure whose message and bodies contain the token',
      suite: 'target',
      async check({ target, admin }) {
        const echoed = await target.get('/echo', { query: { token: TOKEN } });
        if (admin) await admin.get('/token');
        throw new CheckFailure(`the token ${TOKEN} was echoed`, echoed);
      },
    },
    {
      id: 'C42-ADMIN-HEALTH',
      level: 'INFO',
      source: 'docs/admin-api.md',
      title: 'Needs the admin surface',
      suite: 'target',
      needs: ['admin'],
      async check({ admin }) {
        if (!admin) throw new Error('no admin client');
        expectStatus(await admin.get('/health'), 200);
      },
    },
    {
      id: 'SCIM-HANG',
      level: 'MUST',
      source: 'RFC 7644 §3.4.1',
      title: 'A check that never finishes',
      suite: 'target',
      timeoutMs: 300,
      async check({ target }) {
        await target.get('/hang');
      },
    },
    {
      id: 'C42-MUST-SKIPS',
      level: 'MUST',
      source: 'seed step 6',
      title: 'A MUST that tries to skip',
      suite: 'target',
      async check() {
        skip('bulk is not supported');
      },
    },
    {
      id: 'FLOW-CRASH',
      level: 'MUST',
      source: 'seed step 8',
      title: 'A check with a bug',
      suite: 'flow',
      async check() {
        const missing = undefined as unknown as { x: number };
        void missing.x;
      },
    },
  ];
}
