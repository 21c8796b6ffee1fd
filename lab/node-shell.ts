// The node:http shell: find-my-way matches the route, the pipeline (lab/pipeline.ts) does the rest. The CLI, the
// containers and createCode42's own listen() use it.
import { METHODS, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { Route, Surface } from './http-core';
import type { Pipeline } from './pipeline';

/**
 * A request listener serving `surfaces` through `pipeline`. Routing follows express's defaults, so that both shells
 * route alike: paths are case-insensitive and a trailing slash is ignored. A path with a route but not the method
 * goes to the pipeline with the route (405); a path with none goes to the surface whose prefix it starts with (404).
 */
export function nodeShell(surfaces: readonly Surface[], pipeline: Pipeline): RequestListener {
  const byPrefix = [...surfaces].sort((a, b) => b.prefix.length - a.prefix.length);
  const surfaceOf = (url: string): Surface => {
    const path = url.split('?', 1)[0].toLowerCase();
    return (
      byPrefix.find(
        (s) => s.prefix === '' || path === s.prefix.toLowerCase() || path.startsWith(`${s.prefix.toLowerCase()}/`),
      ) ?? byPrefix[byPrefix.length - 1]
    );
  };
  const router = FindMyWay({
    caseSensitive: false,
    ignoreTrailingSlash: true,
    // An id is a path parameter: longer ones must reach the handler (and its 404), not miss the route.
    maxParamLength: 16 * 1024,
    defaultRoute: (req: IncomingMessage, res: ServerResponse) =>
      pipeline.serve(req, res, req.url ?? '/', surfaceOf(req.url ?? '/')),
  });
  for (const surface of surfaces) for (const route of surface.routes) register(router, surface, route, pipeline);
  return (req, res) => router.lookup(req, res);
}

function register(
  router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>,
  surface: Surface,
  route: Route,
  pipeline: Pipeline,
) {
  const path = `${surface.prefix}${route.path === '/' ? '' : route.path}` || '/';
  const handle = (req: IncomingMessage, res: ServerResponse, params: Record<string, string | undefined>) =>
    pipeline.serve(req, res, req.url ?? '/', surface, route, params as Record<string, string>);
  // Every method reaches the pipeline with the route: it answers the declared ones, HEAD as GET, and 405 to the rest.
  router.on(METHODS.filter((m) => m !== 'CONNECT') as HTTPMethod[], path, handle);
}
