import { DEACTIVATE_AFTER_MS } from './user-lifecycle';
import { parseDeviations, type Code42Deviations } from './deviations';
import { newToken } from './providers';
import { JOURNAL_MODES, DEFAULT_JOURNAL_MAX_BYTES, type JournalMode } from '../lab/journal';
import { SHELLS, type ShellName } from '../lab/mock-site';
import type { LabUi } from '../lab/ui';

/** One typed options object with defaults, validated once (style.md 5). */
export interface Code42Options {
  /** SCIM base path; default `/scim/v2` [INF, weak: the Code42 entries of docs/sources.md]. */
  basePath?: string;
  /** The first provider's token; generated when absent. */
  token?: string;
  adminToken?: string;
  /** Status of the user-deletion refusal [INF: the Code42 entries of docs/sources.md]; default 405. */
  deleteStatus?: 400 | 403 | 405 | 501;
  /** `NAME` or `NAME=VALUE`, see CODE42_DEVIATIONS. */
  deviations?: readonly string[];
  /** Block → deactivate delay [DOC S7: 15 minutes]. */
  deactivateAfterMs?: number;
  /** Journal entries kept. Default 2000. */
  journalCap?: number;
  /** Which exchanges the journal keeps: `all` (default), `errors` (status 400 or above, or none), `off`. */
  journal?: JournalMode;
  /** Journal bytes kept (oldest dropped first); default 32 MiB. */
  journalMaxBytes?: number;
  /** Largest `count` served per page (declared as filter.maxResults). */
  maxPageSize?: number;
  /** SCIM request body limit (413 above it). */
  bodyLimit?: string;
  /** Name of the first provider ("Add SCIM provider"). */
  providerName?: string;
  /** The base URL clients use, when it differs from the listening address (e.g. behind a container port map). */
  publicUrl?: string;
  /** The HTTP shell `listen()` serves through: `node` (node:http with find-my-way, the default) or `express`. `app` is always the express shell. */
  shell?: ShellName;
  /**
   * The URN of the Code42 User extension that carries `c42OrgName` [INF: Code42 names the attribute, not its schema];
   * default `urn:ietf:params:scim:schemas:extension:code42:2.0:User`.
   */
  code42ExtensionUrn?: string;
  /** Most members one group holds (a PingOne rule syncs groups of 1000 and more); default 10,000. */
  maxGroupMembers?: number;
  logger?: (line: string) => void;
  /** The live lab view (`--ui`): the mock joins it and serves its page at /__ui. */
  ui?: LabUi;
}

export interface ResolvedCode42Options {
  basePath: string;
  token: string;
  adminToken: string;
  deleteStatus: 400 | 403 | 405 | 501;
  deviations: Code42Deviations;
  deactivateAfterMs: number;
  journalCap: number;
  journal: JournalMode;
  journalMaxBytes: number;
  maxPageSize: number;
  bodyLimit: string;
  providerName: string;
  publicUrl?: string;
  shell: ShellName;
  code42ExtensionUrn: string;
  maxGroupMembers: number;
  logger: (line: string) => void;
}

/** [INF] Code42 documents `c42OrgName` but not the URN of its schema: this one is the lab's, and configurable. */
export const DEFAULT_CODE42_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:code42:2.0:User';

const DELETE_STATUSES = [400, 403, 405, 501] as const;

function fail(option: string, why: string): never {
  throw new Error(`createCode42: option '${option}' ${why}`);
}

export function resolveCode42Options(options: Code42Options = {}): ResolvedCode42Options {
  const basePath = options.basePath ?? '/scim/v2';
  if (!/^\/[A-Za-z0-9._~\-/]*[A-Za-z0-9._~-]$/.test(basePath) || basePath.startsWith('/__admin'))
    fail('basePath', `must be a path like /scim/v2 (no trailing slash), got '${basePath}'`);
  const deleteStatus = options.deleteStatus ?? 405;
  if (!DELETE_STATUSES.includes(deleteStatus)) fail('deleteStatus', `must be one of 400, 403, 405, 501`);
  for (const [name, value] of [
    ['token', options.token],
    ['adminToken', options.adminToken],
  ] as const) {
    if (value !== undefined && !/^[\x21-\x7e]{8,512}$/.test(value))
      fail(name, 'must be 8 to 512 visible ASCII characters (RFC 6750 b64token)');
  }
  if (options.token !== undefined && options.token === options.adminToken)
    fail('adminToken', 'must differ from the SCIM token');
  const positive = (name: string, v: number | undefined, dflt: number, max: number) => {
    if (v === undefined) return dflt;
    if (!Number.isInteger(v) || v < 1 || v > max) fail(name, `must be an integer from 1 to ${max}`);
    return v;
  };
  let deviations: Code42Deviations;
  try {
    deviations = parseDeviations(options.deviations ?? []);
  } catch (err) {
    fail('deviations', (err as Error).message);
  }
  return {
    basePath,
    token: options.token ?? newToken(),
    adminToken: options.adminToken ?? newToken(),
    deleteStatus,
    deviations,
    deactivateAfterMs: positive('deactivateAfterMs', options.deactivateAfterMs, DEACTIVATE_AFTER_MS, 365 * 86400_000),
    journalCap: positive('journalCap', options.journalCap, 2000, 1_000_000),
    journal: journalMode(options.journal),
    journalMaxBytes: positive('journalMaxBytes', options.journalMaxBytes, DEFAULT_JOURNAL_MAX_BYTES, 2 ** 40),
    maxPageSize: positive('maxPageSize', options.maxPageSize, 200, 10_000),
    bodyLimit: options.bodyLimit ?? '1mb',
    providerName: options.providerName ?? 'PingOne',
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    shell: shellName(options.shell),
    code42ExtensionUrn: extensionUrn(options.code42ExtensionUrn),
    maxGroupMembers: positive('maxGroupMembers', options.maxGroupMembers, 10_000, 1_000_000),
    logger: options.logger ?? (() => {}),
  };
}

function journalMode(mode: JournalMode | undefined): JournalMode {
  if (mode !== undefined && !JOURNAL_MODES.includes(mode))
    fail('journal', `must be one of ${JOURNAL_MODES.join(', ')}`);
  return mode ?? 'all';
}

function shellName(shell: ShellName | undefined): ShellName {
  if (shell !== undefined && !SHELLS.includes(shell)) fail('shell', `must be one of ${SHELLS.join(', ')}`);
  return shell ?? 'node';
}

/** What is wrong with `urn` as the Code42 extension URN (RFC 8141 syntax, loosely; not the core or enterprise User URN). */
export function extensionUrnProblem(urn: string): string | undefined {
  if (!/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[\x21-\x7e]+$/.test(urn) || urn.endsWith(':'))
    return `must be a URN such as ${DEFAULT_CODE42_EXTENSION_URN}, got '${urn}'`;
  const taken = [
    'urn:ietf:params:scim:schemas:core:2.0:user',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user',
  ];
  if (taken.includes(urn.toLowerCase())) return `must not be the core or enterprise User URN, got '${urn}'`;
  return undefined;
}

function extensionUrn(urn: string | undefined): string {
  if (urn === undefined) return DEFAULT_CODE42_EXTENSION_URN;
  const problem = extensionUrnProblem(urn);
  if (problem) fail('code42ExtensionUrn', problem);
  return urn;
}
