// The one request pipeline both shells hand requests to, with the route they matched:
//   journal (surfaces that are journaled) → inbound fault rules → the surface's guard → 404 or 405 → JSON body →
//   the handler → its reply written in one `end`; any error is rendered by the surface.
// It knows node's request and response only, so the node:http shell and the express shell answer byte for byte alike.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { TLSSocket } from 'node:tls';
import { scimErrors } from '../scim/errors';
import { jsonBodyReader, writeReply, type Reply } from '../scim/http';
import { faultResponse, pathAfterBase, resetSocket } from './faults';
import { allowOf, type Ctx, type Handler, type Route, type RouteMethod, type Surface } from './http-core';
import { DEFAULT_MAX_BODY_BYTES, recordInbound } from './journal';
import type { Faults, Journal } from './types';

export interface PipelineOptions {
  /** Where journaled surfaces record their exchanges, stamped with `now` (the mock's clock). */
  journal?: { journal: Journal; now(): Date; maxBodyBytes?: number };
  /** The inbound fault rules, which match the path after `basePath`. */
  faults?: { faults: Faults; basePath: string };
}

export interface Pipeline {
  /**
   * Answers one request. `url` is the request target as the client sent it (express's `originalUrl`: a mock
   * mounted under a prefix of another app still sees its own), `route` the route the shell matched, if any.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    surface: Surface,
    route?: Route,
    params?: Record<string, string>,
  ): void;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function createPipeline(options: PipelineOptions): Pipeline {
  const readers = new Map<string | number, ReturnType<typeof jsonBodyReader>>();
  const readerFor = (limit: string | number) => {
    let reader = readers.get(limit);
    if (!reader) readers.set(limit, (reader = jsonBodyReader({ limit })));
    return reader;
  };

  const run = async (ctx: Ctx, surface: Surface, sent: Sent, route?: Route): Promise<void> => {
    if (surface.journaled && options.faults && (await faulted(ctx, options.faults, sent))) return;
    if (!route?.open) surface.guard?.(ctx);
    if (!route) throw surface.notFound(ctx);
    const handler = handlerOf(route, ctx.method);
    if (!handler)
      throw scimErrors.methodNotAllowed(
        `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allowOf(route, surface)}`,
        allowOf(route, surface),
      );
    if (BODY_METHODS.has(ctx.method))
      ctx.body = await (route.readBody ?? readerFor(route.bodyLimit ?? surface.bodyLimit ?? '1mb'))(ctx.req, ctx.res);
    const reply = await handler(ctx);
    // A streaming handler (the lab view's server-sent events, lab/ui-feed.ts) has written its own head.
    if (!ctx.res.headersSent) sent.payload = writeReply(ctx.res, reply, surface.contentType);
  };

  return {
    serve(req, res, url, surface, route, params = {}) {
      const ctx = contextOf(req, res, url, params);
      const sent: Sent = {};
      // `--journal off` keeps nothing: the exchange is not even assembled.
      if (surface.journaled && options.journal && options.journal.journal.mode !== 'off')
        journalExchange(ctx, sent, options.journal);
      run(ctx, surface, sent, route).catch((err: unknown) => {
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        sent.payload = writeReply(res, surface.renderError(err, ctx), surface.contentType);
      });
    },
  };
}

/** The body written, kept for the journal. */
interface Sent {
  payload?: string | Buffer;
}

function handlerOf(route: Route, method: string): Handler | undefined {
  if (method === 'HEAD') return route.handlers.GET;
  return route.handlers[method as RouteMethod];
}

function contextOf(req: IncomingMessage, res: ServerResponse, url: string, params: Record<string, string>): Ctx {
  const at = url.indexOf('?');
  const protocol = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  return {
    method: req.method ?? 'GET',
    url,
    path: at < 0 ? url : url.slice(0, at),
    params,
    query: at < 0 ? {} : parseQuery(url.slice(at + 1)),
    headers: req.headers,
    get(name) {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    origin: `${protocol}://${req.headers.host ?? '127.0.0.1'}`,
    body: undefined,
    locals: {},
    req,
    res,
  };
}

/**
 * Applies the first matching inbound fault rule; true when it answered for the handler:
 * - `status`: the rule's status (and `Retry-After`, body); the handler never runs;
 * - `latency`: waits the drawn delay, then the request goes on (nothing runs if the client left meanwhile);
 * - `reset`: destroys the connection with a TCP RST where the socket supports it (the client sees ECONNRESET);
 * - `empty`: closes the connection without writing a single byte (the client sees an empty reply).
 */
async function faulted(ctx: Ctx, { faults, basePath }: NonNullable<PipelineOptions['faults']>, sent: Sent) {
  const rule = faults.take(ctx.method, pathAfterBase(ctx.url, basePath), 'inbound');
  if (!rule) return false;
  switch (rule.action) {
    case 'status': {
      const { status, headers, body } = faultResponse(rule);
      ctx.locals.note = `injected fault ${rule.id}: status ${status}`;
      const { 'Content-Type': type, ...rest } = headers;
      sent.payload = writeReply(ctx.res, { status, headers: rest, raw: body, type });
      return true;
    }
    case 'latency':
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, rule.delayMs ?? 0);
        ctx.res.once('close', () => clearTimeout(timer));
      });
      return ctx.res.destroyed;
    case 'reset':
      ctx.locals.note = `injected fault ${rule.id}: connection reset`;
      resetSocket(ctx.req.socket);
      return true;
    case 'empty': {
      ctx.locals.note = `injected fault ${rule.id}: empty reply`;
      const socket = ctx.req.socket;
      socket.end(() => socket.destroy());
      return true;
    }
  }
}

/**
 * Records the exchange when the response finishes, or when the connection closes first (status 0 and an `error`).
 * The request body is the parsed one; the response body is what the pipeline wrote.
 */
function journalExchange(ctx: Ctx, sent: Sent, options: NonNullable<PipelineOptions['journal']>): void {
  const time = options.now().toISOString();
  const started = performance.now();
  const protocol = ctx.origin.slice(0, ctx.origin.indexOf(':'));
  const url = `${protocol}://${ctx.req.headers.host ?? 'localhost'}${ctx.url}`;
  let recorded = false;
  const record = (finished: boolean) => {
    if (recorded) return;
    recorded = true;
    const note = ctx.locals.note as string | undefined;
    const provider = ctx.locals.provider as string | undefined;
    const effects = ctx.locals.effects as object[] | undefined;
    recordInbound(options.journal, {
      time,
      method: ctx.method,
      url,
      status: finished ? ctx.res.statusCode : 0,
      durationMs: performance.now() - started,
      requestHeaders: ctx.headers,
      requestBody: ctx.body,
      responseHeaders: finished ? (ctx.res.getHeaders() as Record<string, string>) : {},
      responseBody: finished ? sent.payload : undefined,
      provider,
      effects,
      error: finished ? note : (note ?? 'the connection closed before the response was complete'),
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    });
  };
  ctx.res.once('finish', () => record(true));
  ctx.res.once('close', () => record(ctx.res.writableFinished));
}

export type { Reply };
