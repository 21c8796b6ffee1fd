// Deviations of the mock Code42's groups, organizations and roles (issue 15 §1): how each one bends a request.
import { isObject } from '../scim/json';

/**
 * A PATCH that removes members with a value filter, the path IdPs use (`members[value eq "…"]`, RFC 7644 §3.5.2.2):
 * what the `group-remove-filter-ignored` deviation answers 200 to without applying.
 */
export function removesByFilter(body: unknown): boolean {
  if (!isObject(body) || !Array.isArray(body.Operations)) return false;
  return body.Operations.some(
    (op) =>
      isObject(op) &&
      String(op.op).toLowerCase() === 'remove' &&
      typeof op.path === 'string' &&
      /^members\[/i.test(op.path.trim()),
  );
}
