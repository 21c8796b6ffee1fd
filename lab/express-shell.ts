// The express shell: express matches the route, the pipeline (lab/pipeline.ts) does the rest. It is what
// `createCode42().app` and `createPingOne().app` are, for users who mount a mock in their own express app.
import express, { type Express } from 'express';
import { ROUTE_METHODS, type Route, type Surface } from './http-core';
import type { Pipeline } from './pipeline';

/** An express app serving `surfaces` through `pipeline`, mountable under a prefix of another app. */
export function expressShell(surfaces: readonly Surface[], pipeline: Pipeline): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // Client addresses and protocols come from the socket, never from X-Forwarded-* headers.
  app.set('trust proxy', false);
  const ordered = [...surfaces].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const surface of ordered) {
    const router = express.Router();
    for (const route of surface.routes) mount(router, surface, route, pipeline);
    router.use((req, res) => pipeline.serve(req, res, req.originalUrl, surface));
    if (surface.prefix === '') app.use(router);
    else app.use(surface.prefix, router);
  }
  return app;
}

function mount(router: express.Router, surface: Surface, route: Route, pipeline: Pipeline): void {
  const chain = router.route(route.path);
  const serve = (req: express.Request, res: express.Response) =>
    pipeline.serve(req, res, req.originalUrl, surface, route, req.params as Record<string, string>);
  for (const method of ROUTE_METHODS)
    if (route.handlers[method]) chain[method.toLowerCase() as Lowercase<typeof method>](serve);
  // HEAD is served as GET by express itself; every other method reaches the pipeline, which answers 405.
  chain.all(serve);
}
