// RFC 7644 §3.4.2.2: the filter grammar, as an AST. Also used for PATCH paths (§3.5.2).

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A JSON literal from the filter text: strings are already decoded as JSON strings. */
export type FilterValue = string | number | boolean | null;

/**
 * An attribute path. `uri` is the schema URN when one was written (kept as written),
 * `attr` the attribute name and `sub` the sub-attribute, both as written (matching is case-insensitive).
 */
export interface AttrPath {
  uri?: string;
  attr: string;
  sub?: string;
}

export type Filter =
  | { op: 'pr'; path: AttrPath }
  | { op: CompareOp; path: AttrPath; value: FilterValue }
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  /** `emails[type eq "work"]`: true when one element of `path` matches `filter` (per element). */
  | { op: 'valuePath'; path: AttrPath; filter: Filter };

/** RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]. */
export interface PatchPath {
  path: AttrPath;
  /** The value filter in `emails[type eq "work"]`. */
  filter?: Filter;
  /** The sub-attribute after a value filter: `emails[type eq "work"].value` → `value`. */
  sub?: string;
}
