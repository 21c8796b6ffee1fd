import { createCode42 } from '../mock-code42';
import { createPingOne } from '../mock-pingone';
import { parseOptions, renderHelp, str, UsageError, type OptionTable } from './args';
import { CODE42_DEVIATIONS } from '../mock-code42';
import { CODE42_OPTIONS, code42Config, deviationHelp } from './code42';
import type { Io } from './io';
import type { Command } from './main';
import { logger, PINGONE_OPTIONS, pingoneConfig, pingoneDeviationHelp } from './pingone';
import {
  applyMemoryOptions,
  IDLE_COMPACTION_OPTION,
  LOW_MEMORY_OPTION,
  SHELL_OPTION,
  UI_OPTION,
} from './common-options';
import { createLabUi } from '../lab/ui';
import { loadState, persistState, serveUntilSignal } from './serve';

const SHARED = new Set(['json', 'help', 'host', 'low-memory', 'idle-compaction', 'shell', 'ui']);

/** `--code42-token`, `SCIM_LAB_CODE42_TOKEN`, …: each mock's options with a prefix (docs/cli.md). */
function prefixed(table: OptionTable, prefix: string, skip: Set<string>): OptionTable {
  const out: OptionTable = {};
  for (const [name, spec] of Object.entries(table)) {
    if (SHARED.has(name) || skip.has(name)) continue;
    const env = spec.env?.replace(/^SCIM_LAB_/, `SCIM_LAB_${prefix.toUpperCase().replace(/-$/, '')}_`);
    // The help names its sibling flags (`--cert/--key`): name them as `up` spells them (`--code42-cert`).
    const help = spec.help.replace(/--([a-z][a-z-]*)/g, (flag, other: string) =>
      other in table && !SHARED.has(other) && !skip.has(other) ? `--${prefix}${other}` : flag,
    );
    out[`${prefix}${name}`] = { ...spec, env, help };
  }
  return out;
}

export const UP_OPTIONS: OptionTable = {
  host: {
    type: 'string',
    env: 'SCIM_LAB_HOST',
    help: 'address both mocks listen on (default 127.0.0.1)',
    valueName: 'HOST',
  },
  ...prefixed(CODE42_OPTIONS, 'code42-', new Set()),
  // The mock PingOne provisions into the mock Code42 started here: no target options of its own.
  ...prefixed(PINGONE_OPTIONS, 'pingone-', new Set(['target', 'token', 'ca', 'insecure', 'profile'])),
  // --profile, not --pingone-profile: it names the identity provider the provisioner plays, PingOne or another.
  profile: PINGONE_OPTIONS.profile,
  'low-memory': LOW_MEMORY_OPTION,
  'idle-compaction': IDLE_COMPACTION_OPTION,
  shell: SHELL_OPTION,
  ui: UI_OPTION,
  json: { type: 'boolean', help: 'print one JSON line on stdout once both are ready' },
  help: { type: 'boolean', help: 'show this help' },
};

export const upCommand: Command = {
  summary: 'run both mocks, the mock PingOne provisioning into the mock Code42 as in the seed document',
  async run(argv: string[], io: Io) {
    const values = parseOptions(UP_OPTIONS, argv, io.env);
    if (values.help) {
      io.out(
        renderHelp(
          'scim-lab up [options]',
          this.summary,
          UP_OPTIONS,
          `Code42 ${deviationHelp(CODE42_DEVIATIONS)}\n\nPingOne ${pingoneDeviationHelp()}`,
        ),
      );
      return 0;
    }
    const host = str(values, 'host');
    const c42Config = code42Config({ ...values, 'code42-host': host }, 'code42-');
    const p1Config = pingoneConfig({ ...values, 'pingone-host': host, 'pingone-profile': values.profile }, 'pingone-');
    applyMemoryOptions(values, io.log);
    if (c42Config.listen.tls) throw new UsageError('--code42-tls is not supported by up: PingOne would need its CA');
    // One lab view for both mocks: the page on either port shows and drives both.
    const ui = values.ui ? createLabUi() : undefined;
    let c42;
    try {
      c42 = createCode42({ ...c42Config.options, ui, logger: io.log });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    loadState(c42, c42Config.state, io, 'code42');
    await c42.listen(c42Config.listen);
    const code42 = c42.describe();
    let p1;
    try {
      p1 = createPingOne({
        ...p1Config.options,
        target: { url: code42.baseUrl, token: code42.token },
        ui,
        logger: logger(io, 'pingone'),
      });
      loadState(p1, p1Config.state, io, 'pingone');
      await p1.listen(p1Config.listen);
    } catch (err) {
      await c42.close();
      throw err instanceof Error && /option/.test(err.message) ? new UsageError(err.message) : err;
    }
    const flushCode42 = persistState(c42, c42Config.state, io, 'code42');
    const flushPingOne = persistState(p1, p1Config.state, io, 'pingone');
    const pingone = p1.describe();
    const signalled = io.untilSignal();
    if (values.json) io.out(JSON.stringify({ code42, pingone }));
    io.log(`code42: SCIM at ${code42.baseUrl}, admin at ${code42.adminUrl}`);
    io.log(`pingone: API at ${pingone.apiUrl}, admin at ${pingone.adminUrl}, provisioning into code42`);
    if (p1.options.shell !== 'node') io.log(`up: both mocks served through the ${p1.options.shell} shell`);
    if (ui) io.log(`up: live lab view at ${pingone.adminUrl.replace(/__admin$/, '__ui')} (and on the code42 port)`);
    return serveUntilSignal(
      io,
      signalled,
      async () => {
        ui?.close();
        await p1.close();
        await c42.close();
      },
      () => {
        flushCode42();
        flushPingOne();
      },
    );
  },
};
