// A lenient but correct SCIM server for the suites' own tests (issue 13 §2): it takes every liberty RFC 7643/7644
// allow, so that a check which fails against it is a false alarm. It is not a mock of Code42 beyond refusing DELETE
// (seed step 6.1), and it is built from the SCIM core rather than from the mock Code42, so that a bug shared with the
// mock does not hide.
//
// Its liberties:
// - `Location` is an absolute path and `meta.location` a relative URI (RFC 7231 §7.1.2, RFC 7643 §2.3.7);
// - PATCH answers 204 with no body (RFC 7644 §3.5.2);
// - its own id format, `usr_0001` (RFC 7643 §3.1: the service provider assigns it);
// - an extra extension attribute on every user, its URN listed first in `schemas` (RFC 7643 §3: order is free);
// - attribute names answered in another case, `UserName` (RFC 7643 §2.1: case-insensitive);
// - pages of at most two resources, whatever `count` asks (RFC 7644 §3.4.2.4: count is a maximum);
// - a refused DELETE answers 501 (RFC 7644 §3.12), as Code42 does not delete users.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import {
  bearerAuth,
  listResponse,
  methodNotAllowed,
  notFoundHandler,
  parseListParams,
  resourceTypesList,
  schemasList,
  scimErrorHandler,
  scimErrors,
  scimJsonParser,
  sendScim,
  serviceProviderConfig,
  createUserStore,
  type ScimResource,
} from '../../scim';

export const LENIENT_TOKEN = 'lenient-server-token-3c9e41';
export const LENIENT_BASE_PATH = '/api/scim/v2';
/** The largest page it serves, declared as filter.maxResults. */
export const LENIENT_PAGE_SIZE = 2;
const EXTRA_URN = 'urn:example:params:scim:schemas:extension:lenient:1.0:User';

export interface LenientServer {
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

/** Writes the user as this server likes to: `UserName`, the extra extension first, a relative meta.location. */
function render(user: ScimResource): Record<string, unknown> {
  const { userName, schemas, meta, ...rest } = user;
  return {
    schemas: [EXTRA_URN, ...((schemas as string[] | undefined) ?? [])],
    UserName: userName,
    ...rest,
    [EXTRA_URN]: { tenant: 'lenient', shard: 7 },
    meta: { ...meta, location: `Users/${encodeURIComponent(user.id!)}` },
  };
}

function withoutExtra(body: Record<string, unknown>): Record<string, unknown> {
  const { [EXTRA_URN]: _ignored, ...rest } = body;
  const schemas = Array.isArray(rest.schemas) ? rest.schemas.filter((urn) => urn !== EXTRA_URN) : rest.schemas;
  return schemas === undefined ? rest : { ...rest, schemas };
}

export async function startLenientServer(): Promise<LenientServer> {
  let sequence = 0;
  const store = createUserStore({ idFactory: () => `usr_${String((sequence += 1)).padStart(4, '0')}` });
  const app = express();
  const scim = express.Router();
  scim.use(bearerAuth({ tokens: [LENIENT_TOKEN], realm: 'lenient' }));
  scim.use(scimJsonParser());
  // What it adds on output it ignores on input, as a readOnly extension (RFC 7643 §7: a client's readOnly values are
  // ignored), so that a client may PUT back the representation it read.
  scim.use((req, _res, next) => {
    if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) req.body = withoutExtra(req.body);
    next();
  });
  const base = (req: Request) => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${LENIENT_BASE_PATH}`;
  const sendUser = (res: Response, status: number, user: ScimResource, headers: Record<string, string> = {}) =>
    sendScim(res, status, render(user), headers);

  scim
    .route('/Users')
    .get((req, res) => {
      const params = parseListParams(req.query as Record<string, unknown>, { maxResults: LENIENT_PAGE_SIZE });
      const result = store.query({ filter: params.filter, startIndex: params.startIndex, count: params.count });
      sendScim(res, 200, listResponse(result.resources.map(render), result.totalResults, params.startIndex));
    })
    .post((req, res) => {
      const user = store.create(req.body, { location: (id) => `Users/${id}` });
      sendUser(res, 201, user, { Location: `${LENIENT_BASE_PATH}/Users/${encodeURIComponent(user.id!)}` });
    })
    .all(methodNotAllowed('GET, POST'));
  scim
    .route('/Users/:id')
    .get((req, res) => sendUser(res, 200, store.get(req.params.id)))
    .put((req, res) => sendUser(res, 200, store.replace(store.get(req.params.id).id!, req.body)))
    .patch((req, res) => {
      store.patch(store.get(req.params.id).id!, req.body);
      res.status(204).end();
    })
    .delete((req) => {
      store.get(req.params.id);
      throw scimErrors.refused(501, 'users are not deleted here: deactivate them with active false', 'GET, PUT, PATCH');
    })
    .all(methodNotAllowed('GET, PUT, PATCH, DELETE'));
  scim.get('/ServiceProviderConfig', (req, res) =>
    sendScim(
      res,
      200,
      serviceProviderConfig({ baseUrl: base(req), patch: true, maxResults: LENIENT_PAGE_SIZE, etag: false }),
    ),
  );
  scim.get('/ResourceTypes', (req, res) => sendScim(res, 200, resourceTypesList(base(req), store.schema)));
  scim.get('/Schemas', (req, res) => sendScim(res, 200, schemasList(base(req), store.schema)));
  scim.use(notFoundHandler);
  scim.use(scimErrorHandler({ logger: { error: () => {} } }));
  app.use(LENIENT_BASE_PATH, scim);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${LENIENT_BASE_PATH}`,
    token: LENIENT_TOKEN,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
