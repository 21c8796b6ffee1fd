// Interfaces of the plumbing both mocks share (docs/admin-api.md). Implementations live beside this file.

/** The virtual clock: real time plus an offset. Advancing it fires timers that became due. */
export interface Clock {
  now(): Date;
  nowMs(): number;
  offsetMs(): number;
  /** Moves the clock forward and fires every timer that became due, in due order. */
  advance(ms: number): void;
  /** Runs `fn` once the virtual time reaches `dueMs` (epoch ms); also fires on real time passing. Returns a handle. */
  at(dueMs: number, fn: () => void): number;
  cancel(handle: number): void;
  pending(): number;
  /** Offset back to 0, pending timers cancelled. */
  reset(): void;
  /** Stops real timers (for shutdown). */
  dispose(): void;
}

export interface JournalMessage {
  headers: Record<string, string>;
  body: unknown;
}

export interface JournalEntry {
  time: string;
  direction: 'inbound' | 'outbound';
  /** Code42: the SCIM provider (id) whose token the request used. */
  provider?: string;
  method: string;
  url: string;
  /** 0 when no response was received (connection reset, timeout). */
  status: number;
  durationMs: number;
  request: JournalMessage;
  response: JournalMessage;
  /** A network error or fault that replaced the response, e.g. "connection reset". */
  error?: string;
  /**
   * What the exchange changed beyond the resource it wrote, e.g. the mock Code42's organization and role changes of a
   * group write (HAR: `_effects`).
   */
  effects?: object[];
}

export interface JournalQuery {
  method?: string;
  /** Substring, or a glob with `*`, matched against the URL path. */
  path?: string;
  status?: number;
  direction?: 'inbound' | 'outbound';
  /** The newest N (still newest last). */
  limit?: number;
}

/** A capped record of exchanges; oldest dropped first. Redaction happens on record. */
export interface Journal {
  /** Which exchanges it keeps (docs/cli.md `--journal`); with `off`, callers may skip building entries at all. */
  readonly mode?: 'all' | 'errors' | 'off';
  record(entry: JournalEntry): void;
  list(query?: JournalQuery): JournalEntry[];
  clear(): void;
  dropped(): number;
  size(): number;
  toHar(creatorVersion?: string): unknown;
  /**
   * Calls `listener` with each entry as it is kept (redacted and truncated, as `list()` gives it); returns the
   * function that stops it. The lab view's live traffic (lab/ui-feed.ts) listens here.
   */
  subscribe?(listener: (entry: JournalEntry) => void): () => void;
}

export type FaultAction = 'status' | 'latency' | 'reset' | 'empty';

/** docs/admin-api.md: a fault rule as posted to /__admin/faults. */
export interface FaultRule {
  id?: string;
  match: { method?: string; path?: string };
  action: FaultAction;
  status?: number;
  retryAfter?: number;
  body?: unknown;
  latencyMs?: [number, number];
  times?: number;
  percent?: number;
  direction?: 'inbound' | 'outbound';
}

export interface Faults {
  /** Validates and adds a rule; throws a ScimError (invalidValue) naming the bad field. */
  add(rule: FaultRule): FaultRule & { id: string };
  list(): (FaultRule & { id: string; remaining?: number; hits: number })[];
  clear(): void;
  /**
   * Picks the rule that applies to this request, consuming one of its `times`. `path` is the path after the
   * mock's base path, with its query string. For a `latency` rule, `delayMs` is the delay drawn for this request.
   */
  take(
    method: string,
    path: string,
    direction: 'inbound' | 'outbound',
  ): (FaultRule & { id: string; delayMs?: number }) | undefined;
}

export interface Listening {
  url: string;
  port: number;
  host: string;
  protocol: 'http' | 'https';
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
  /** With `tls: true`: the generated self-signed certificate (PEM), for clients to trust (e.g. `--ca`). */
  certificate?: string;
}

export interface ListenOptions {
  port?: number;
  host?: string;
  /** true: a generated self-signed certificate; or a given PEM cert and key. */
  tls?: boolean | { cert: string; key: string };
  /** The whole request must arrive within this (Node's `server.requestTimeout`). Default 60 s. */
  requestTimeoutMs?: number;
  /** The request headers must arrive within this (Node's `server.headersTimeout`). Default 20 s. */
  headersTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this (Node's `server.keepAliveTimeout`). Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** `close()` destroys connections still busy after this grace period. Default 10 s. */
  closeGraceMs?: number;
}
