import express from 'express';
import request from 'supertest';
import { scimErrorHandler } from '../scim/express';
import { requireBearer, safeEqual } from './auth';
import { withServer } from './test-support/serve';

describe('constant-time token comparison', () => {
  it('tells equal strings from different ones, whatever their lengths', () => {
    expect(safeEqual('token-a', 'token-a')).toBe(true);
    expect(safeEqual('token-a', 'token-b')).toBe(false);
    expect(safeEqual('token', 'token-longer')).toBe(false);
  });
});

describe('RFC 6750 §2.1 requireBearer', () => {
  const accepted = ['first-token', 'second-token'];
  const app = express();
  app.get('/fixed', requireBearer('only-token', 'fixed'), (_req, res) => void res.json({ ok: true }));
  app.get(
    '/live',
    requireBearer(() => accepted, 'live'),
    (_req, res) => void res.json({ ok: true }),
  );
  app.use(scimErrorHandler());

  it('accepts the token, and any of the tokens a function returns at request time', async () => {
    await withServer(app, async (url) => {
      await request(url).get('/fixed').set('Authorization', 'Bearer only-token').expect(200);
      await request(url).get('/live').set('Authorization', 'Bearer second-token').expect(200);
      accepted.pop();
      await request(url).get('/live').set('Authorization', 'Bearer second-token').expect(401);
    });
  });

  it('refuses a missing or wrong token with 401 and a challenge naming the realm', async () => {
    await withServer(app, async (url) => {
      const missing = await request(url).get('/fixed').expect(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="fixed"');
      const wrong = await request(url).get('/fixed').set('Authorization', 'Bearer other-token').expect(401);
      expect(wrong.headers['www-authenticate']).toMatch(/^Bearer realm="fixed"/);
    });
  });
});
