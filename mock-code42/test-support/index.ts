import type { RequestListener } from 'node:http';
import request from 'supertest';
import type { ShellName } from '../../lab/mock-site';
import { createCode42, type Code42, type Code42Options } from '../index';

/**
 * The shell these tests serve the mock through: node:http by default; jest.config.js runs the same suites a second
 * time with SCIM_LAB_TEST_SHELL=express (its "express shell" project), so that neither shell can drift.
 */
export const TEST_SHELL: ShellName = process.env.SCIM_LAB_TEST_SHELL === 'express' ? 'express' : 'node';

/** The request listener of the shell under test. */
export const appOf = (c42: Code42): RequestListener => c42.listener(TEST_SHELL);

export const TOKEN = 'test-scim-token-0001';
export const ADMIN = 'test-admin-token-0001';

/** A fresh mock Code42 with known tokens, and supertest agents for SCIM and admin calls. */
export function lab(options: Code42Options = {}) {
  const c42: Code42 = createCode42({ token: TOKEN, adminToken: ADMIN, shell: TEST_SHELL, ...options });
  const app = appOf(c42);
  const base = c42.options.basePath;
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const adminAuth = { Authorization: `Bearer ${ADMIN}` };
  const scim = {
    get: (path: string) =>
      request(app)
        .get(base + path)
        .set(auth),
    post: (path: string, body: unknown) =>
      request(app)
        .post(base + path)
        .set(auth)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(body)),
    put: (path: string, body: unknown) =>
      request(app)
        .put(base + path)
        .set(auth)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(body)),
    patch: (path: string, body: unknown) =>
      request(app)
        .patch(base + path)
        .set(auth)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(body)),
    delete: (path: string) =>
      request(app)
        .delete(base + path)
        .set(auth),
  };
  const admin = {
    get: (path: string) =>
      request(app)
        .get('/__admin' + path)
        .set(adminAuth),
    post: (path: string, body?: unknown) =>
      request(app)
        .post('/__admin' + path)
        .set(adminAuth)
        .send(body as object),
    put: (path: string, body: unknown) =>
      request(app)
        .put('/__admin' + path)
        .set(adminAuth)
        .send(body as object),
    delete: (path: string) =>
      request(app)
        .delete('/__admin' + path)
        .set(adminAuth),
  };
  return { c42, scim, admin };
}

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

export function user(userName: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER_URN], userName, active: true, ...extra };
}

export function filterQuery(filter: string): string {
  return `/Users?filter=${encodeURIComponent(filter)}`;
}
