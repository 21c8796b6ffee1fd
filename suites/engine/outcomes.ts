// How a check reports its outcome, and the errors the engine raises for bad input.
import type { Exchange } from './types';

/** Anything that carries a recorded exchange: an Exchange itself or a client response. */
export type EvidenceLike = Exchange | { exchange: Exchange };

/** A check failed: `failed` for a MUST, `warned` for a SHOULD or INFO (docs/reports.md). */
export class CheckFailure extends Error {
  /** The exchanges that prove the failure; when empty, the report shows all the requirement's exchanges. */
  readonly evidence: Exchange[];

  constructor(message: string, evidence?: EvidenceLike | readonly EvidenceLike[]) {
    super(message);
    this.name = 'CheckFailure';
    const items = evidence === undefined ? [] : Array.isArray(evidence) ? evidence : [evidence];
    this.evidence = (items as EvidenceLike[]).map((e) => ('exchange' in e ? e.exchange : e));
  }
}

/**
 * A check cannot apply, e.g. an RFC-optional feature (patch, sort, etag, bulk, changePassword) that
 * /ServiceProviderConfig declares unsupported. docs/reports.md: never for a MUST — the runner turns a MUST skip into `error`.
 */
export class CheckSkip extends Error {
  /** An RFC-optional feature the target does not declare (docs/reports.md): a MUST that needs it may skip too. */
  readonly optionalFeature: boolean;
  constructor(reason: string, optionalFeature = false) {
    super(reason);
    this.name = 'CheckSkip';
    this.optionalFeature = optionalFeature;
  }
}

export function skip(reason: string, options: { optionalFeature?: boolean } = {}): never {
  throw new CheckSkip(reason, options.optionalFeature);
}

export function fail(message: string, evidence?: EvidenceLike | readonly EvidenceLike[]): never {
  throw new CheckFailure(message, evidence);
}

/** No response arrived: refused connection, reset, TLS failure, abort. A check that meets it ends in `error`. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** A bad selection or option from the user (e.g. `--only` matching nothing): exit 2 with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The catalogue breaks a rule of docs/reports.md; the message names the requirement. */
export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueError';
  }
}
