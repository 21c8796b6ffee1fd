import { PROFILE_NAMES, type ProfileName } from '../fixtures/profiles';
import { createPingOne, PINGONE_DEVIATIONS, type PingOneOptions } from '../mock-pingone';
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
import { deviationHelp, type Values } from './code42';
import type { Io } from './io';
import type { Command } from './main';
import { loadState, persistState, serveUntilSignal } from './serve';

export const DEFAULT_PINGONE_PORT = 4243;

const common = commonOptions(DEFAULT_PINGONE_PORT, 'provisioner');

/** The `scim-lab pingone` options (docs/cli.md); `up` reuses them with a `pingone-` prefix. */
export const PINGONE_OPTIONS: OptionTable = {
  port: common.port,
  host: common.host,
  'api-token': {
    type: 'string',
    env: 'SCIM_LAB_API_TOKEN',
    help: 'static management API token (generated if absent)',
    valueName: 'T',
  },
  'client-id': {
    type: 'string',
    env: 'SCIM_LAB_CLIENT_ID',
    help: 'client id for POST /{envId}/as/token (generated if absent)',
    valueName: 'ID',
  },
  'client-secret': {
    type: 'string',
    env: 'SCIM_LAB_CLIENT_SECRET',
    help: 'client secret for the token endpoint (generated if absent)',
    valueName: 'S',
  },
  'admin-token': common['admin-token'],
  'environment-id': {
    type: 'string',
    env: 'SCIM_LAB_ENVIRONMENT_ID',
    help: "the default environment's id (generated if absent)",
    valueName: 'ID',
  },
  target: {
    type: 'string',
    env: 'SCIM_LAB_TARGET_URL',
    help: 'SCIM base URL to provision into, configured as in the seed document',
    valueName: 'URL',
  },
  token: {
    type: 'string',
    env: 'SCIM_LAB_TARGET_TOKEN',
    help: "the target's bearer token (OAuth Access Token)",
    valueName: 'T',
  },
  profile: {
    type: 'string',
    env: 'SCIM_LAB_PROFILE',
    help: 'whose SCIM client the provisioner plays: pingone (default), entra or okta (docs/profiles.md)',
    valueName: 'NAME',
  },
  deviation: common.deviation,
  state: common.state,
  'state-interval': common['state-interval'],
  ca: {
    type: 'string',
    env: 'SCIM_LAB_CA_FILE',
    help: 'PEM CA bundle to trust for an https target',
    valueName: 'FILE',
  },
  insecure: { type: 'boolean', env: 'SCIM_LAB_INSECURE', help: 'accept any certificate from an https target' },
  concurrency: {
    type: 'string',
    env: 'SCIM_LAB_CONCURRENCY',
    help: 'users provisioned in parallel (default 8)',
    valueName: 'N',
  },
  journal: common.journal,
  'journal-max-bytes': common['journal-max-bytes'],
  'low-memory': common['low-memory'],
  'idle-compaction': common['idle-compaction'],
  shell: common.shell,
  ui: UI_OPTION,
  json: common.json,
  help: common.help,
};

/** `--profile NAME`: one of the provisioner profiles (fixtures/profiles.ts). */
export function profileValue(values: Values, name: string): ProfileName | undefined {
  const value = str(values, name);
  if (value === undefined) return undefined;
  if (!(PROFILE_NAMES as readonly string[]).includes(value))
    throw new UsageError(`${flagLabel(values, name)} must be one of ${PROFILE_NAMES.join(', ')}, got '${value}'`);
  return value as ProfileName;
}

/** Option values (with an optional prefix, for `up`) → createPingOne options and listen options. */
export function pingoneConfig(values: Values, prefix = '') {
  const v = (name: string) => `${prefix}${name}`;
  const target = str(values, v('target'));
  const token = str(values, v('token'));
  if (token && !target)
    throw new UsageError(
      `${flagLabel(values, v('token'))} is the target's token; give ${flagLabel(values, v('target'))} too`,
    );
  const ca = str(values, v('ca'));
  if (ca && values[v('insecure')] === true)
    throw new UsageError(`${flagLabel(values, v('ca'))} and ${flagLabel(values, v('insecure'))} exclude each other`);
  const options: PingOneOptions = {
    apiToken: str(values, v('api-token')),
    clientId: str(values, v('client-id')),
    clientSecret: str(values, v('client-secret')),
    adminToken: str(values, v('admin-token')),
    environmentId: str(values, v('environment-id')),
    target: target ? { url: target, ...(token ? { token } : { auth: 'none' as const }) } : undefined,
    deviations: list(values, v('deviation')),
    ca: ca ? readOptionFile(values, v('ca'), ca) : undefined,
    insecure: values[v('insecure')] === true,
    concurrency: int(values, v('concurrency'), 1, 256),
    profile: profileValue(values, v('profile')),
    ...journalConfig(values, prefix),
    // `up` takes --shell once, unprefixed, for both mocks.
    ...shellConfig(values),
  };
  const listen = {
    port: int(values, v('port'), 0, 65535) ?? DEFAULT_PINGONE_PORT,
    host: str(values, v('host')) ?? '127.0.0.1',
  };
  return {
    options,
    listen,
    state: { file: str(values, v('state')), interval: str(values, v('state-interval')), prefix },
  };
}

export function logger(io: Io, label: string) {
  return {
    info: (m: string) => io.log(`${label}: ${m}`),
    warn: (m: string) => io.log(`${label}: warning: ${m}`),
    error: (m: string) => io.log(`${label}: error: ${m}`),
  };
}

export function pingoneDeviationHelp(): string {
  return deviationHelp(
    Object.fromEntries(
      Object.entries(PINGONE_DEVIATIONS).map(([n, d]) => [d.value ? `${n}=${d.value}` : n, d.description]),
    ),
  );
}

export const pingoneCommand: Command = {
  summary: 'run the mock PingOne (management API and SCIM provisioner)',
  async run(argv: string[], io: Io) {
    const values = parseOptions(PINGONE_OPTIONS, argv, io.env);
    if (values.help) {
      io.out(renderHelp('scim-lab pingone [options]', this.summary, PINGONE_OPTIONS, pingoneDeviationHelp()));
      return 0;
    }
    const config = pingoneConfig(values);
    applyMemoryOptions(values, io.log);
    const ui = values.ui ? createLabUi() : undefined;
    let p1;
    try {
      p1 = createPingOne({ ...config.options, ui, logger: logger(io, 'pingone') });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    loadState(p1, config.state, io, 'pingone');
    await p1.listen(config.listen);
    const flushState = persistState(p1, config.state, io, 'pingone');
    const described = p1.describe();
    const signalled = io.untilSignal();
    if (values.json) io.out(JSON.stringify({ pingone: described }));
    io.log(`pingone: API at ${described.apiUrl}, admin at ${described.adminUrl}`);
    if (p1.options.shell !== 'node') io.log(`pingone: served through the ${p1.options.shell} shell`);
    if (config.options.target) io.log(`pingone: provisioning into ${config.options.target.url} (seed configuration)`);
    if (ui) io.log(`pingone: live lab view at ${described.adminUrl.replace(/__admin$/, '__ui')}`);
    return serveUntilSignal(
      io,
      signalled,
      () => {
        ui?.close();
        return p1.close();
      },
      flushState,
    );
  },
};
