// The route table of a mock: plain handlers of a small request context, grouped in surfaces (the admin surface at
// /__admin, the SCIM or API surface at the base path, the rest). Two shells serve the same table: node:http with
// find-my-way (lab/node-shell.ts) and express (lab/express-shell.ts). Neither holds logic: both hand each request to
// the one pipeline (lab/pipeline.ts) with the route they matched.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../scim/http';

export type { Reply };

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** What a handler sees of a request. */
export interface Ctx {
  readonly method: string;
  /** The request target as the client sent it: path and query string. */
  readonly url: string;
  /** `url` without its query string, not decoded. */
  readonly path: string;
  /** The route's path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, parsed as node:querystring does (a repeated name gives an array). */
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly headers: IncomingHttpHeaders;
  /** A request header, by case-insensitive name; a repeated one joined as node joins it. */
  get(name: string): string | undefined;
  /** `http://host` or `https://host`, from the socket and the Host header (never from X-Forwarded-*). */
  readonly origin: string;
  /** The parsed JSON body of a POST, PUT or PATCH; undefined without one. */
  body: unknown;
  /** Per-request values the surface's guard hands to handlers and to the journal (`provider`, `note`). */
  readonly locals: Record<string, unknown>;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  /** The path after the surface's prefix, in find-my-way and express syntax (`/Users/:id`). */
  path: string;
  handlers: Partial<Record<RouteMethod, Handler>>;
  /** The largest accepted body (bytes, or a size string such as "200mb"). Default: the surface's. */
  bodyLimit?: string | number;
  /** Served without the surface's guard (the admin surface's /health). */
  open?: boolean;
  /** Reads the body instead of the JSON reader (the mock Code42's OAuth token endpoint reads a form). */
  readBody?: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
}

/** A group of routes under one prefix that share a guard, an error shape and whether the journal sees them. */
export interface Surface {
  /** `/__admin`, `/scim/v2`, `/v1`; '' for the rest (a surface with no routes that answers everything else). */
  prefix: string;
  routes: Route[];
  /** Runs before the route (authentication, header checks); throws to refuse. */
  guard?(ctx: Ctx): void;
  /** The error for a request no route takes. */
  notFound(ctx: Ctx): Error;
  /** How an error becomes a reply (the mock's own error shape). */
  renderError(err: unknown, ctx: Ctx): Reply;
  /** The Content-Type of replies that name none. */
  contentType: string;
  /** Journaled and subject to inbound fault rules (everything but the admin surface). */
  journaled: boolean;
  /** The `Allow` header of a 405 also names HEAD where GET is allowed. */
  allowHead?: boolean;
  /** Default body limit. Default "1mb". */
  bodyLimit?: string | number;
}

/** The allowed methods of a route, as the `Allow` header of a 405 names them. */
export function allowOf(route: Route, surface: Surface): string {
  const allow: string[] = Object.keys(route.handlers);
  if (surface.allowHead && allow.includes('GET')) allow.push('HEAD');
  return allow.join(', ');
}
