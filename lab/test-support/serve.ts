import type http from 'node:http';
import { listen } from '../listen';
import type { Listening } from '../types';

/** Serves an app on 127.0.0.1 and an ephemeral port (supertest's `request(app)` would listen on every interface). */
export function serve(app: http.RequestListener): Promise<Listening> {
  return listen(app, { host: '127.0.0.1', port: 0, closeGraceMs: 1_000 });
}

/** Runs `fn` against the app served on 127.0.0.1, then closes the server. */
export async function withServer<T>(app: http.RequestListener, fn: (url: string) => Promise<T>): Promise<T> {
  const server = await serve(app);
  try {
    return await fn(server.url);
  } finally {
    await server.close();
  }
}
