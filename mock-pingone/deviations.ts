// Deviations: realistic provisioner bugs, off by default, switched on to test the tests (issue 4).
// Each one changes what goes on the wire; deviations.test.ts proves every effect.

export interface DeviationInfo {
  /** Takes a value (`name=value`); the value names what it applies to. */
  value?: string;
  description: string;
}

/** The closed set, with the one-line descriptions `scim-lab pingone --help` prints. */
export const PINGONE_DEVIATIONS: Readonly<Record<string, DeviationInfo>> = {
  'delete-on-disable': {
    description: 'disabling a user (and Remove Action Disable) sends DELETE instead of PUT active:false',
  },
  'no-lookup': { description: 'creates with POST without searching the target with the User Filter Expression first' },
  'patch-updates': {
    description: 'updates users with PATCH (PatchOp replace) instead of a PUT of the full representation',
  },
  'drop-attribute': {
    value: 'NAME',
    description: 'never sends the mapped attribute NAME (a flattened SCIM name, e.g. workEmail)',
  },
  'no-retry': { description: 'gives up after the first 429/5xx/network error instead of retrying' },
  'wrong-auth-scheme': {
    description: 'sends "Authorization: Token <token>" instead of the configured scheme (Bearer)',
  },
  'unescaped-filter': { description: 'puts the identifier into the filter without JSON escaping (breaks on " and \\)' },
  'retry-4xx': { description: 'retries 4xx and 501 answers (a retry storm on refusals such as a refused DELETE)' },
  'ignore-retry-after': { description: 'retries on its own backoff, sooner than the Retry-After the target asked for' },
  'recased-filter': {
    description: 'rewrites the User Filter Expression to "userName eq" instead of sending it verbatim',
  },
  'clear-attributes': {
    description: 'sends empty values for emptied attributes instead of keeping the target value (cannot-clear broken)',
  },
  'duplicate-create': { description: 'searches, but POSTs a new user even when the search found one' },
  'disable-via-patch': { description: 'disables and re-enables with PATCH active instead of a PUT' },
  'ignore-toggles': { description: 'creates, updates and disables even when the store toggles forbid it' },
  'delete-as-disable': {
    description: 'Remove Action Delete sends a PUT with active:false instead of DELETE (the setting is ignored)',
  },
  'delete-refusal-success': {
    description: 'a DELETE the target refuses is recorded as a successful sync instead of a failed one',
  },
  'retry-storm': { description: 'retries 429/5xx/network errors at once, without backoff or Retry-After, 20 times' },
  'resync-changed-only': {
    description: 'Full Resync re-sends only users whose last sync did not succeed, not every user',
  },
  'group-put-drops-foreign': {
    description: "a PUT of a group carries PingOne's members only, so members added at the target are lost on merge",
  },
  'members-before-users': {
    description: 'sends a group member before its user exists at the target, by its PingOne id',
  },
  'no-group-limit': {
    description: 'a rule accepts more than the recommended 1000 groups instead of refusing the excess',
  },
  'group-remove-without-path': {
    description:
      'removes group members with a PATCH "remove" that has no path (the members in its value), which RFC 7644 §3.5.2.2 refuses with noTarget',
  },
  'no-group-lookup': {
    description: 'creates a group with POST without searching the target for one of the same displayName first',
  },
};

/**
 * Deviations read once, when the mock starts: `drop-attribute` (it takes a value, and the rule scope compiles it) and
 * `no-group-limit` (the group store takes its limit when it is built). Every other one is read at the moment the
 * provisioner acts, so the lab view may switch it while the mock runs.
 */
const READ_AT_START: ReadonlySet<string> = new Set(['drop-attribute', 'no-group-limit']);

/** The deviations the lab view may turn on and off while the mock runs. */
export const RUNTIME_SAFE_PINGONE_DEVIATIONS: readonly string[] = Object.keys(PINGONE_DEVIATIONS).filter(
  (name) => !READ_AT_START.has(name),
);

/** The parsed `--deviation` list: which are on, and the values given to the ones that take a value. */
export interface Deviations {
  has(name: string): boolean;
  values(name: string): string[];
  list(): string[];
  /**
   * The deviations as they are now, unaffected by later switches: a sync attempt takes one when it starts, so that it
   * runs whole with or without a deviation the lab view switches meanwhile.
   */
  snapshot(): Deviations;
  /** Turns a deviation of RUNTIME_SAFE_PINGONE_DEVIATIONS on or off while the mock runs; throws for another. */
  set(name: string, on: boolean): void;
}

/** Parses `name` / `name=value` entries; an unknown name or a missing/unexpected value throws naming it. */
export function parseDeviations(entries: readonly string[] = []): Deviations {
  const on = new Map<string, string[]>();
  for (const entry of entries) {
    if (typeof entry !== 'string') throw new Error(`deviations: each entry must be a string, got ${typeof entry}`);
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : entry.slice(eq + 1).trim();
    const info = PINGONE_DEVIATIONS[name];
    if (!info) {
      throw new Error(`deviations: unknown deviation '${name}' (known: ${Object.keys(PINGONE_DEVIATIONS).join(', ')})`);
    }
    if (info.value && !value) throw new Error(`deviations: '${name}' needs a value: ${name}=${info.value}`);
    if (!info.value && value !== undefined) throw new Error(`deviations: '${name}' takes no value`);
    const values = on.get(name) ?? [];
    if (value) values.push(value);
    on.set(name, values);
  }
  return deviationsOf(on);
}

/** Deviations over `on`, which is never changed in place: a switch replaces it, so a snapshot is the map itself. */
function deviationsOf(initial: ReadonlyMap<string, readonly string[]>): Deviations {
  let on = initial;
  const frozen = (map: ReadonlyMap<string, readonly string[]>): Deviations => ({
    has: (name) => map.has(name),
    values: (name) => [...(map.get(name) ?? [])],
    list: () => [...map].flatMap(([name, values]) => (values.length ? values.map((v) => `${name}=${v}`) : [name])),
    snapshot: () => frozen(map),
    set() {
      throw new Error('deviations: a snapshot cannot be switched');
    },
  });
  return {
    has: (name) => on.has(name),
    values: (name) => [...(on.get(name) ?? [])],
    list: () => frozen(on).list(),
    snapshot: () => frozen(on),
    set(name, turnOn) {
      if (!RUNTIME_SAFE_PINGONE_DEVIATIONS.includes(name))
        throw new Error(`deviation '${name}' is read when the mock starts; set it with --deviation`);
      if (turnOn === on.has(name)) return;
      const next = new Map(on);
      if (turnOn) next.set(name, []);
      else next.delete(name);
      on = next;
    },
  };
}
