// How the store keeps one user (issue 14): one JSON string instead of a tree of objects. A user of a dozen attributes
// is some twenty small objects and strings on V8's heap, each with its header and spare slots; as a single one-byte
// string it costs its length. Each read parses a fresh copy, which is what every caller got before (a deep copy), so
// a caller can never change a stored user through what it was given.
import type { ScimResource } from './validate';

/** One stored user: its creation rank (answers keep creation order), its revision and the user as JSON text. */
export interface StoredUser {
  readonly seq: number;
  readonly rev: number;
  readonly json: string;
}

export function storeUser(seq: number, rev: number, resource: ScimResource): StoredUser {
  return { seq, rev, json: JSON.stringify(resource) };
}

/** A fresh copy of the stored user, in the key order it was stored with. */
export function readUser(stored: StoredUser): ScimResource {
  return JSON.parse(stored.json) as ScimResource;
}
