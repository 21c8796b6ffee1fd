/**
 * Deviations: realistic server bugs the mock Code42 can reproduce, so that the suites can prove
 * they catch them (issue 3, issue 5 §5). All are off by default.
 */
export const CODE42_DEVIATIONS = {
  'allow-delete': 'DELETE /Users/{id} deletes the user (204) instead of refusing',
  'case-sensitive-filter': 'filter attribute names match case-sensitively, so `username Eq` finds nothing',
  'case-sensitive-values': 'userName values compare case-sensitively in filters and uniqueness',
  'no-uniqueness': 'a second user with the same userName is accepted (no 409)',
  'ignore-active': 'the `active` attribute is ignored on PUT and PATCH: users are never blocked',
  'drop-attribute': 'drop-attribute=<scim path>: the attribute is silently not stored (e.g. addresses.locality)',
  'plain-json-errors': 'errors are {"error": "..."} in application/json instead of the SCIM Error body',
  'no-auth': 'SCIM requests are served without checking the bearer token',
  'no-location': 'a 201 from POST /Users has no Location header',
  'create-200': 'POST /Users answers 200 instead of 201 Created',
  'unknown-id-500': 'an unknown user id answers 500 instead of 404',
  'unknown-user-404': 'a filter that matches nothing answers 404 instead of 200 with totalResults 0',
  'wrong-total-results': 'ListResponse totalResults counts the page, not all matches',
  'ignore-paging': 'startIndex and count are ignored: every match comes back',
  'put-merges': 'PUT merges into the user instead of replacing it (omitted attributes stay)',
  'no-meta': 'resources come back without meta',
  'status-as-number': 'the Error body carries status as a number, not a string',
  'no-filter-unescape': 'filter string values are not JSON-decoded (\\" and \\\\ stay escaped)',
  'reject-scim-json': 'request bodies typed application/scim+json are refused with 415',
  'patch-not-implemented': 'ServiceProviderConfig declares PATCH, but PATCH answers 501',
  'active-as-string': 'active is returned as the string "false"/"true" instead of a boolean',
  'deactivate-immediately': 'active:false deactivates at once instead of blocking, then deactivating after 15 minutes',
  'free-license': 'deactivation frees the licence',
  'local-users-writable': 'local users (created in the console) accept SCIM writes instead of refusing them',
  'manual-deactivate-delayed':
    'a console deactivation waits 15 minutes like a provisioning one instead of acting at once',
  // Correct but not recommended: caught only by a SHOULD.
  'relative-location': 'Location and meta.location are absolute paths (/scim/v2/Users/{id}), not absolute URIs',
  // Capabilities declared in /ServiceProviderConfig but not honoured (issue 13 §6); see deviations-capabilities.ts.
  'patch-not-atomic': 'PATCH applies its operations one by one: when one fails, the earlier ones stay applied',
  'patch-generic-errors': 'PATCH errors answer 400 invalidValue instead of noTarget, invalidPath or mutability',
  'patch-replace-all-values':
    'PATCH replace with a value-filter path replaces the whole multi-valued attribute, not the matching values',
  'ignore-if-match': 'If-Match is not checked: a write with a stale version succeeds instead of 412',
  'declares-sort': '/ServiceProviderConfig declares sort.supported true, but sortBy and sortOrder are ignored',
  'no-enterprise-extension':
    'the enterprise User extension is neither declared in /ResourceTypes nor stored (Code42 accepts it [DOC])',
  'filter-co-as-sw': "the filter operator 'co' (contains) matches only at the start, like 'sw'",
  // Bugs only another identity provider's traffic reveals (issue 16 §3, docs/profiles.md).
  'string-booleans-truthy':
    'a PATCH of active as a string (Entra\'s "False") is read by truthiness: the user stays active, and the answer is 200',
  'pathless-replace-ignored':
    'PATCH replace without a path (Okta\'s {"value": {"active": false}}) answers 200 and changes nothing',
  'no-externalid-filter': "a filter on externalId (Entra's lookup) matches nobody",
  // Groups, organizations and roles (issue 15 §1); see deviations-groups.ts.
  'group-put-drops-members': 'PUT /Groups/{id} stores the group without its members (they are silently lost)',
  'group-displayname-case-sensitive':
    'group displayName compares case-sensitively in filters and uniqueness (RFC 7643 declares caseExact false)',
  'no-group-uniqueness': 'a second group with the same displayName is accepted (no 409)',
  'group-patch-ignored': 'PATCH /Groups/{id} answers 200 and changes nothing',
  'group-remove-filter-ignored': 'a PATCH remove with a members[value eq "…"] path answers 200 and removes nobody',
  'group-unknown-members': 'members that name no user are accepted and stored (no 400 invalidValue)',
  'no-user-groups': "users come back without their read-only 'groups' attribute",
  'org-not-reevaluated':
    "a membership change leaves the user's organization and roles as they were, until the user itself is written",
  'roles-not-revoked': 'leaving a group keeps the roles it granted',
  'org-attribute-ignored': 'c42OrgName is ignored: users stay in the default organization in attribute mode',
} as const;

export type Code42DeviationName = keyof typeof CODE42_DEVIATIONS;

export interface Code42Deviations {
  has(name: Code42DeviationName): boolean;
  /** The values of a repeatable `name=value` deviation, e.g. every `drop-attribute`. */
  values(name: Code42DeviationName): string[];
  list(): string[];
  /** Turns a deviation of RUNTIME_SAFE_DEVIATIONS on or off while the mock runs (the lab view); throws for another. */
  set(name: Code42DeviationName, on: boolean): void;
}

/**
 * Deviations read once, when the mock builds its store, lifecycle or SCIM surface (or that need a value): turning them
 * on or off while it runs would change nothing, or leave state behind. Every other deviation is read per request.
 */
const READ_AT_START: ReadonlySet<Code42DeviationName> = new Set([
  'case-sensitive-values',
  'no-uniqueness',
  'deactivate-immediately',
  'free-license',
  'manual-deactivate-delayed',
  'no-auth',
  'reject-scim-json',
  'local-users-writable',
  'drop-attribute',
]);

/** The deviations the lab view may turn on and off while the mock runs. */
export const RUNTIME_SAFE_DEVIATIONS: readonly Code42DeviationName[] = (
  Object.keys(CODE42_DEVIATIONS) as Code42DeviationName[]
).filter((name) => !READ_AT_START.has(name));

const WITH_VALUE: ReadonlySet<Code42DeviationName> = new Set(['drop-attribute']);

/** Parses `--deviation NAME[=VALUE]` entries; an unknown or malformed one throws, naming it. */
export function parseDeviations(entries: readonly string[]): Code42Deviations {
  const parsed = new Map<Code42DeviationName, string[]>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = (eq === -1 ? entry : entry.slice(0, eq)).trim() as Code42DeviationName;
    const value = eq === -1 ? undefined : entry.slice(eq + 1).trim();
    if (!(name in CODE42_DEVIATIONS)) {
      throw new Error(`deviation '${entry}' is unknown; known: ${Object.keys(CODE42_DEVIATIONS).join(', ')}`);
    }
    if (WITH_VALUE.has(name) && !value) throw new Error(`deviation '${name}' needs a value: ${name}=<scim path>`);
    if (!WITH_VALUE.has(name) && value !== undefined) throw new Error(`deviation '${name}' takes no value`);
    parsed.set(name, [...(parsed.get(name) ?? []), ...(value ? [value] : [])]);
  }
  let inForce = entries.map((e) => e.trim());
  return {
    has: (name) => parsed.has(name),
    values: (name) => parsed.get(name) ?? [],
    list: () => [...inForce],
    set(name, on) {
      if (!RUNTIME_SAFE_DEVIATIONS.includes(name))
        throw new Error(`deviation '${name}' is read when the mock starts; set it with --deviation`);
      if (on && !parsed.has(name)) {
        parsed.set(name, []);
        inForce.push(name);
      } else if (!on) {
        parsed.delete(name);
        inForce = inForce.filter((entry) => entry !== name);
      }
    },
  };
}
