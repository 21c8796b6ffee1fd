import express from 'express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { createAdminSurface } from './admin';
import { expressShell } from './express-shell';
import { createPipeline } from './pipeline';
import type { AdminOptions } from './admin';
import { faultMiddleware } from './faults';
import { journalMiddleware } from './journal';
import type { JournalMiddlewareOptions } from './journal';

// The mock PingOne's express app, until its management API is a route table too (lab/mock-site.ts): the admin surface at /__admin (before the journal,
// so admin calls are never journaled), then the journal, then the inbound faults, then the mock's own routes,
// then its 404 and error handlers.

export interface MockAppOptions {
  /** The admin surface (docs/admin-api.md); its journal, faults and clock are the mock's. */
  admin: AdminOptions;
  /** How inbound exchanges are journaled (the journal is `admin.journal`). */
  journal?: JournalMiddlewareOptions;
  /** The mock's base path, after which fault rules match (`/scim/v2`, `/v1`). */
  basePath: string;
  /** Mounts the mock's own routes. */
  routes(app: express.Express): void;
  /** Answers requests no route took. */
  notFound: RequestHandler;
  /** Renders errors in the mock's own error shape. */
  errorHandler: ErrorRequestHandler;
}

export function createMockApp(options: MockAppOptions): express.Express {
  const { admin } = options;
  const app = express();
  app.disable('x-powered-by');
  // Client addresses and protocols come from the socket, never from X-Forwarded-* headers.
  app.set('trust proxy', false);
  app.use(expressShell([createAdminSurface(admin)], createPipeline({})));
  app.use(journalMiddleware(admin.journal, { now: () => admin.clock.now(), ...options.journal }));
  app.use(faultMiddleware(admin.faults, { basePath: options.basePath }));
  options.routes(app);
  app.use(options.notFound);
  app.use(options.errorHandler);
  return app;
}
