import { CODE42_DEVIATIONS, createCode42, type Code42Options } from '../mock-code42';
import { extensionUrnProblem } from '../mock-code42/options';
import {
  flagLabel,
  int,
  list,
  parseOptions,
  readOptionFile,
  renderHelp,
  str,
  UsageError,
  type OptionTable,
} from './args';
import { applyMemoryOptions, commonOptions, journalConfig, shellConfig, UI_OPTION } from './common-options';
import { createLabUi } from '../lab/ui';
import type { Io } from './io';
import type { Command } from './main';
import { loadState, persistState, serveUntilSignal } from './serve';

export const DEFAULT_CODE42_PORT = 4242;

const common = commonOptions(DEFAULT_CODE42_PORT, 'server');

/** The `scim-lab code42` options (docs/cli.md); `up` reuses them with a `code42-` prefix. */
export const CODE42_OPTIONS: OptionTable = {
  port: common.port,
  host: common.host,
  token: {
    type: 'string',
    env: 'SCIM_LAB_TOKEN',
    help: "the first SCIM provider's bearer token (generated if absent)",
    valueName: 'T',
  },
  'admin-token': common['admin-token'],
  'base-path': {
    type: 'string',
    env: 'SCIM_LAB_BASE_PATH',
    help: 'SCIM base path (default /scim/v2)',
    valueName: 'PATH',
  },
  'public-url': {
    type: 'string',
    env: 'SCIM_LAB_PUBLIC_URL',
    help: 'SCIM base URL to advertise, when clients reach it through another address',
    valueName: 'URL',
  },
  'delete-status': {
    type: 'string',
    env: 'SCIM_LAB_DELETE_STATUS',
    help: 'status of the user-deletion refusal: 405 (default), 400, 403 or 501',
    valueName: 'S',
  },
  'extension-urn': {
    type: 'string',
    env: 'SCIM_LAB_EXTENSION_URN',
    help: 'URN of the Code42 User extension that carries c42OrgName (inferred; default urn:ietf:params:scim:schemas:extension:code42:2.0:User)',
    valueName: 'URN',
  },
  deviation: common.deviation,
  state: common.state,
  'state-interval': common['state-interval'],
  tls: {
    type: 'boolean',
    env: 'SCIM_LAB_TLS',
    help: 'serve HTTPS (a generated self-signed certificate unless --cert/--key)',
  },
  cert: { type: 'string', env: 'SCIM_LAB_CERT_FILE', help: 'PEM certificate for --tls', valueName: 'FILE' },
  key: { type: 'string', env: 'SCIM_LAB_KEY_FILE', help: 'PEM private key for --tls', valueName: 'FILE' },
  journal: common.journal,
  'journal-max-bytes': common['journal-max-bytes'],
  'low-memory': common['low-memory'],
  'idle-compaction': common['idle-compaction'],
  shell: common.shell,
  ui: UI_OPTION,
  json: common.json,
  help: common.help,
};

export function deviationHelp(table: Record<string, string>): string {
  return ['Deviations (off by default):', ...Object.entries(table).map(([n, d]) => `  ${n.padEnd(24)} ${d}`)].join(
    '\n',
  );
}

export type Values = ReturnType<typeof parseOptions>;

/** Option values (with an optional prefix, for `up`) → createCode42 options and listen options. */
export function code42Config(values: Values, prefix = '') {
  const v = (name: string) => `${prefix}${name}`;
  const deleteStatus = str(values, v('delete-status'));
  if (deleteStatus !== undefined && !['400', '403', '405', '501'].includes(deleteStatus))
    throw new UsageError(
      `${flagLabel(values, v('delete-status'))} must be 400, 403, 405 or 501, got '${deleteStatus}'`,
    );
  const extensionUrn = str(values, v('extension-urn'));
  const urnProblem = extensionUrn === undefined ? undefined : extensionUrnProblem(extensionUrn);
  if (urnProblem) throw new UsageError(`${flagLabel(values, v('extension-urn'))} ${urnProblem}`);
  const cert = str(values, v('cert'));
  const key = str(values, v('key'));
  if (Boolean(cert) !== Boolean(key))
    throw new UsageError(`${flagLabel(values, v('cert'))} and ${flagLabel(values, v('key'))} go together`);
  const options: Code42Options = {
    token: str(values, v('token')),
    adminToken: str(values, v('admin-token')),
    basePath: str(values, v('base-path')),
    publicUrl: str(values, v('public-url')),
    deleteStatus: deleteStatus ? (Number(deleteStatus) as 400 | 403 | 405 | 501) : undefined,
    deviations: list(values, v('deviation')),
    code42ExtensionUrn: extensionUrn,
    ...journalConfig(values, prefix),
    ...shellConfig(values),
  };
  const tls =
    cert && key
      ? { cert: readOptionFile(values, v('cert'), cert), key: readOptionFile(values, v('key'), key) }
      : values[v('tls')] === true;
  const listen = {
    port: int(values, v('port'), 0, 65535) ?? DEFAULT_CODE42_PORT,
    host: str(values, v('host')) ?? '127.0.0.1',
    tls,
  };
  return {
    options,
    listen,
    state: { file: str(values, v('state')), interval: str(values, v('state-interval')), prefix },
  };
}

export const code42Command: Command = {
  summary: 'run the mock Code42 (a SCIM 2.0 service provider)',
  async run(argv: string[], io: Io) {
    const values = parseOptions(CODE42_OPTIONS, argv, io.env);
    if (values.help) {
      io.out(renderHelp('scim-lab code42 [options]', this.summary, CODE42_OPTIONS, deviationHelp(CODE42_DEVIATIONS)));
      return 0;
    }
    const config = code42Config(values);
    applyMemoryOptions(values, io.log);
    const ui = values.ui ? createLabUi() : undefined;
    const c42 = (() => {
      try {
        return createCode42({ ...config.options, ui, logger: io.log });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    })();
    loadState(c42, config.state, io, 'code42');
    await c42.listen(config.listen);
    const flushState = persistState(c42, config.state, io, 'code42');
    const described = c42.describe();
    const signalled = io.untilSignal();
    if (values.json) io.out(JSON.stringify({ code42: described }));
    io.log(`code42: SCIM at ${described.baseUrl}, admin at ${described.adminUrl}`);
    if (!values.json && (!config.options.token || !config.options.adminToken))
      io.log('code42: tokens were generated; run with --json (or give --token/--admin-token) to learn them');
    if (c42.options.deviations.list().length)
      io.log(`code42: deviations on: ${c42.options.deviations.list().join(', ')}`);
    if (c42.options.shell !== 'node') io.log(`code42: served through the ${c42.options.shell} shell`);
    if (ui) io.log(`code42: live lab view at ${described.adminUrl.replace(/__admin$/, '__ui')}`);
    return serveUntilSignal(
      io,
      signalled,
      () => {
        ui?.close();
        return c42.close();
      },
      flushState,
    );
  },
};
