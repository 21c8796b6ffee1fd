import request from 'supertest';
import { ERROR_URN } from '../fixtures/scim-wire';
import { lab } from './test-support';

// The mock Code42's OAuth 2 token endpoint and the SCIM schemes each provider may use (docs/admin-api.md, issue 16):
// RFC 6749 §4.4 client credentials, §5.1/§5.2 answers; RFC 7617 Basic for providers given Basic credentials.

type Lab = ReturnType<typeof lab>;

async function ccProvider(l: Lab, extra: Record<string, unknown> = {}) {
  const res = await l.admin.post('/providers', { name: 'CC client', clientCredentials: true, ...extra }).expect(201);
  return res.body as { id: string; clientId: string; clientSecret: string; tokenUrl: string; token: string };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function tokenRequest(l: Lab, form: Record<string, string>, authorization?: string) {
  const req = request(l.c42.app).post('/oauth/token').type('form').send(form);
  return authorization ? req.set('Authorization', authorization) : req;
}

describe('RFC 6749 §4.4 client credentials at POST /oauth/token', () => {
  it('issues a Bearer token with expires_in and no-store to a client authenticated with Basic (§2.3.1, §5.1)', async () => {
    const l = lab();
    const p = await ccProvider(l, { tokenLifetimeSeconds: 120 });
    expect(p.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/oauth\/token$/);
    const res = await tokenRequest(l, { grant_type: 'client_credentials' }, basic(p.clientId, p.clientSecret));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 120 });
  });

  it('accepts the client in the body (client_secret_post), and the token opens the SCIM API until it expires', async () => {
    const l = lab();
    const p = await ccProvider(l, { tokenLifetimeSeconds: 60 });
    const res = await tokenRequest(l, {
      grant_type: 'client_credentials',
      client_id: p.clientId,
      client_secret: p.clientSecret,
    }).expect(200);
    const scim = () => request(l.c42.app).get('/scim/v2/Users').set('Authorization', `Bearer ${res.body.access_token}`);
    expect((await scim()).status).toBe(200);
    l.c42.clock.advance(60_000);
    const expired = await scim();
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(expired.body.schemas).toEqual([ERROR_URN]);
  });

  const refusals: [string, Record<string, string>, boolean, number, string][] = [
    ['no grant_type', {}, true, 400, 'invalid_request'],
    ['another grant', { grant_type: 'password' }, true, 400, 'unsupported_grant_type'],
    ['no client authentication', { grant_type: 'client_credentials' }, false, 401, 'invalid_client'],
  ];
  it.each(refusals)('refuses %s with §5.2 %s', async (_label, form, withBasic, status, error) => {
    const l = lab();
    const p = await ccProvider(l);
    const res = await tokenRequest(l, form, withBasic ? basic(p.clientId, p.clientSecret) : undefined);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error, error_description: expect.any(String) });
  });

  it('refuses a wrong secret, an unknown client and a revoked provider with 401 invalid_client and a challenge', async () => {
    const l = lab();
    const p = await ccProvider(l);
    const form = { grant_type: 'client_credentials' };
    for (const auth of [basic(p.clientId, 'wrong'), basic('nobody', p.clientSecret)]) {
      const res = await tokenRequest(l, form, auth);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="code42-oauth"');
      expect(res.body.error).toBe('invalid_client');
    }
    const issued = (await tokenRequest(l, form, basic(p.clientId, p.clientSecret)).expect(200)).body.access_token;
    await l.admin.delete(`/providers/${p.id}`).expect(204);
    expect((await tokenRequest(l, form, basic(p.clientId, p.clientSecret))).status).toBe(401);
    // Revoking the provider revokes the tokens it was issued too.
    const scim = await request(l.c42.app).get('/scim/v2/Users').set('Authorization', `Bearer ${issued}`);
    expect(scim.status).toBe(401);
  });

  it('refuses a client that authenticates twice (§2.3) and a body that is not a form', async () => {
    const l = lab();
    const p = await ccProvider(l);
    const twice = await tokenRequest(
      l,
      { grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.clientSecret },
      basic(p.clientId, p.clientSecret),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('invalid_request');
    const json = await request(l.c42.app)
      .post('/oauth/token')
      .set('Authorization', basic(p.clientId, p.clientSecret))
      .send({ grant_type: 'client_credentials' });
    expect(json.status).toBe(400);
    expect(json.body.error_description).toContain('x-www-form-urlencoded');
  });
});

describe('the SCIM schemes each provider accepts (docs/admin-api.md)', () => {
  it('accepts Basic only from a provider given Basic credentials, and records which provider used it', async () => {
    const l = lab();
    const withBasic = (await l.admin.post('/providers', { name: 'Basic', basic: true }).expect(201)).body;
    expect(withBasic).toEqual(
      expect.objectContaining({ basicUser: expect.any(String), basicPassword: expect.any(String) }),
    );
    const ok = await request(l.c42.app)
      .get('/scim/v2/Users')
      .set('Authorization', basic(withBasic.basicUser, withBasic.basicPassword));
    expect(ok.status).toBe(200);
    const wrong = await request(l.c42.app).get('/scim/v2/Users').set('Authorization', basic(withBasic.basicUser, 'x'));
    expect(wrong.status).toBe(401);
    const journal = (await l.admin.get('/journal?path=/scim/v2/Users').expect(200)).body.entries;
    expect(journal[0].provider).toBe(withBasic.id);
    expect(journal[0].request.headers.authorization).toBe('[redacted]');
    await l.admin.delete(`/providers/${withBasic.id}`).expect(204);
    const revoked = await request(l.c42.app)
      .get('/scim/v2/Users')
      .set('Authorization', basic(withBasic.basicUser, withBasic.basicPassword));
    expect(revoked.status).toBe(401);
  });

  it('lists providers without any secret, and refuses a bad provider request naming the field', async () => {
    const l = lab();
    const p = await ccProvider(l);
    await l.admin.post('/providers', { name: 'Basic', basic: true }).expect(201);
    const listed = JSON.stringify((await l.admin.get('/providers').expect(200)).body);
    expect(listed).not.toContain(p.clientSecret);
    expect(listed).not.toContain('basicPassword');
    expect(listed).toContain(p.clientId);
    const bad = await l.admin.post('/providers', { name: 'x', tokenLifetimeSeconds: 60 });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("'tokenLifetimeSeconds' needs 'clientCredentials': true");
  });
});

describe('SCIM 1.1 bodies at a SCIM 2.0-only service (C42-PINGONE-PROVISIONING)', () => {
  it('refuses a POST with the 1.1 core URN as 400 invalidSyntax naming it', async () => {
    const l = lab();
    const res = await l.scim.post('/Users', { schemas: ['urn:scim:schemas:core:1.0'], userName: 'v11@example.com' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(expect.objectContaining({ schemas: [ERROR_URN], scimType: 'invalidSyntax' }));
    expect(res.body.detail).toContain("'urn:scim:schemas:core:1.0' is a SCIM 1.1 schema URN");
  });
});

describe('the saved state (docs/admin-api.md)', () => {
  it('keeps a provider client credentials across an export and import, but not the tokens issued to it', async () => {
    const l = lab();
    const p = await ccProvider(l);
    const form = { grant_type: 'client_credentials' };
    const issued = (await tokenRequest(l, form, basic(p.clientId, p.clientSecret)).expect(200)).body.access_token;
    const saved = (await l.admin.get('/state').expect(200)).body;
    const next = lab();
    await next.admin.put('/state', saved).expect(204);
    const stale = await request(next.c42.app).get('/scim/v2/Users').set('Authorization', `Bearer ${issued}`);
    expect(stale.status).toBe(401);
    const fresh = (await tokenRequest(next, form, basic(p.clientId, p.clientSecret)).expect(200)).body.access_token;
    expect((await request(next.c42.app).get('/scim/v2/Users').set('Authorization', `Bearer ${fresh}`)).status).toBe(
      200,
    );
  });
});
