// Issue 14 §2: a list answer built from users already serialised. Rendering a user for an answer (its location, the
// projection, the output deviations) and serialising it cost about as much as the rest of a filter lookup; a client
// that polls the same user (a provisioner's lookups, a dashboard, a load test) pays it once per version instead.
// The cache is keyed by the stored user object itself: a write replaces that object (scim/store.ts queryStored), so a
// new version can never be answered with an old text. It is bounded, so that a scan of every user cannot grow it.
import type { ScimResource } from '../scim';

/** Rendered users kept; the oldest used is dropped first. About a kilobyte each. */
export const RENDERED_USERS_KEPT = 1024;

export interface RenderedUsers {
  /**
   * The JSON text of `user` as `render` gives it. `key` names everything the rendering depends on besides the user
   * (its location, the projection, the output deviations): a different key renders again.
   */
  text(user: Readonly<ScimResource>, key: string, render: () => ScimResource): string;
}

export function createRenderedUsers(kept = RENDERED_USERS_KEPT): RenderedUsers {
  const cache = new Map<Readonly<ScimResource>, { key: string; text: string }>();
  return {
    text(user, key, render) {
      const hit = cache.get(user);
      if (hit?.key === key) {
        cache.delete(user);
        cache.set(user, hit); // Map keeps insertion order: re-inserting marks it the most recently used
        return hit.text;
      }
      const text = JSON.stringify(render());
      cache.delete(user);
      cache.set(user, { key, text });
      if (cache.size > kept) cache.delete(cache.keys().next().value as Readonly<ScimResource>);
      return text;
    },
  };
}

/** RFC 7644 §3.4.2 ListResponse, as JSON.stringify(listResponse(…)) writes it, around resources already serialised. */
export function listResponseText(
  resourceTexts: readonly string[],
  totalResults: number,
  startIndex: number,
  listUrn: string,
): string {
  const head = `{"schemas":[${JSON.stringify(listUrn)}],"totalResults":${totalResults},"startIndex":${startIndex}`;
  return `${head},"itemsPerPage":${resourceTexts.length},"Resources":[${resourceTexts.join(',')}]}`;
}
