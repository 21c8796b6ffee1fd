import { PROFILE_NAMES, type ProfileName } from '../fixtures/profiles';
import { statSync } from 'node:fs';
import {
  createTerminalReporter,
  exitCode,
  parseReportOption,
  shouldUseColor,
  UsageError as EngineUsageError,
  writeReports,
  type ReportPaths,
  type TransportOptions,
} from '../suites/engine';
import { runConformance, type ConformanceRun, type TargetEndpoint } from '../suites/conformance';
import { PreflightError } from '../suites/preflight';
import {
  flagLabel,
  int,
  list,
  parseOptions,
  renderHelp,
  str,
  UsageError,
  type OptionTable,
  type ParsedOptions,
} from './args';
import { tlsTrust } from './common-options';
import { exportScenarios } from './scenario-export';
import type { Io } from './io';
import type { Command } from './main';

export const CONFORMANCE_OPTIONS: OptionTable = {
  target: {
    type: 'string',
    env: 'SCIM_LAB_TARGET_URL',
    help: 'SCIM base URL of a server under test (default: an embedded mock Code42)',
    valueName: 'URL',
  },
  token: { type: 'string', env: 'SCIM_LAB_TARGET_TOKEN', help: 'bearer token for --target', valueName: 'T' },
  'admin-url': {
    type: 'string',
    env: 'SCIM_LAB_TARGET_ADMIN_URL',
    help: "the target's /__admin URL, when it is a scim-lab mock (enables Code42-side checks)",
    valueName: 'URL',
  },
  'admin-token': {
    type: 'string',
    env: 'SCIM_LAB_TARGET_ADMIN_TOKEN',
    help: 'admin token for --admin-url',
    valueName: 'A',
  },
  'idp-driver': {
    type: 'string',
    env: 'SCIM_LAB_IDP_DRIVER',
    help: 'command that steers a provisioner under test (driver protocol v1)',
    valueName: 'CMD',
  },
  runtime: { type: 'string', env: 'SCIM_LAB_RUNTIME', help: 'embedded (default) or containers', valueName: 'R' },
  image: {
    type: 'string',
    env: 'SCIM_LAB_IMAGE',
    help: 'image of --runtime containers (default scim-lab:local, built by scripts/build-image.sh)',
    valueName: 'IMG',
  },
  only: {
    type: 'string',
    multiple: true,
    env: 'SCIM_LAB_ONLY',
    help: 'requirement ids, id prefixes or levels (MUST, SHOULD, INFO); comma-separated or repeated',
    valueName: 'IDS',
  },
  profile: {
    type: 'string',
    env: 'SCIM_LAB_PROFILE',
    help: 'whose traffic the target suite sends: pingone (default), entra, okta or all (docs/profiles.md)',
    valueName: 'NAME',
  },
  'driver-profile': {
    type: 'string',
    env: 'SCIM_LAB_DRIVER_PROFILE',
    help: 'whose SCIM client the provisioner suite holds the provisioner to: pingone (default), entra or okta',
    valueName: 'NAME',
  },
  seed: {
    type: 'string',
    env: 'SCIM_LAB_SEED',
    help: 'seed of the generated users (default random; printed)',
    valueName: 'N',
  },
  report: {
    type: 'string',
    multiple: true,
    env: 'SCIM_LAB_REPORT',
    help: 'reports to write: junit=PATH,json=PATH,html=PATH,har=PATH (repeatable; the formats add up)',
    valueName: 'SPEC',
  },
  ca: {
    type: 'string',
    env: 'SCIM_LAB_CA_FILE',
    help: 'PEM CA bundle to trust for an https --target (added to the system roots)',
    valueName: 'FILE',
  },
  insecure: {
    type: 'boolean',
    env: 'SCIM_LAB_INSECURE',
    help: "accept any certificate from an https --target (a lab server's self-signed one)",
  },
  'exchange-timeout-ms': {
    type: 'string',
    env: 'SCIM_LAB_EXCHANGE_TIMEOUT_MS',
    help: 'time limit of one HTTP exchange with the target, headers and body (default 10000)',
    valueName: 'MS',
  },
  'max-response-bytes': {
    type: 'string',
    env: 'SCIM_LAB_MAX_RESPONSE_BYTES',
    help: 'largest response body read from the target; past it the exchange is an error (default 4194304)',
    valueName: 'N',
  },
  'timeout-ms': {
    type: 'string',
    env: 'SCIM_LAB_REQUIREMENT_TIMEOUT_MS',
    help: 'time limit of one requirement (default 20000)',
    valueName: 'MS',
  },
  'step-timeout-ms': {
    type: 'string',
    env: 'SCIM_LAB_STEP_TIMEOUT_MS',
    help: 'time limit of one driver step; the driver gets it as SCIM_LAB_STEP_TIMEOUT_MS (default 15000)',
    valueName: 'MS',
  },
  'export-scenarios': {
    type: 'string',
    help: 'write DIR/<id>.json, a scenario reproducing each failed or warned requirement (docs/scenarios.md)',
    valueName: 'DIR',
  },
  help: { type: 'boolean', help: 'show this help' },
};

const EXIT_CODES = `Exit codes: 1 when a MUST failed; otherwise 2 when a requirement ended in error, for a usage error or an
unreachable target; otherwise 0.`;

/** Below this length a token may occur by chance in other text; issue 13 §7 asks the run to say so. */
const SHORT_TOKEN_CHARS = 8;

/** Every `--report` (and SCIM_LAB_REPORT) added up; one format given twice, across them, is a usage error. */
function reportPaths(values: ParsedOptions): ReportPaths {
  const paths: ReportPaths = {};
  for (const spec of list(values, 'report')) {
    let parsed: ReportPaths;
    try {
      parsed = parseReportOption(spec);
    } catch (err) {
      throw new UsageError(`${flagLabel(values, 'report')}: ${(err as Error).message.replace(/^--report: /, '')}`);
    }
    for (const [format, path] of Object.entries(parsed) as [keyof ReportPaths, string][]) {
      if (paths[format] !== undefined && paths[format] !== path)
        throw new UsageError(`${flagLabel(values, 'report')}: ${format} is given twice (${paths[format]} and ${path})`);
      // Found now, not after the whole run has been spent.
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
        throw new UsageError(`${flagLabel(values, 'report')}: ${format}=${path} is a directory; give a file path`);
      paths[format] = path;
    }
  }
  return paths;
}

/** `--ca`, `--insecure`, the exchange timeout and the response size: how every client reaches the target. */
function transportOptions(values: ParsedOptions): TransportOptions {
  const tls = tlsTrust(values);
  const timeoutMs = int(values, 'exchange-timeout-ms', 1, 600_000);
  const maxResponseBytes = int(values, 'max-response-bytes', 1024, 2 ** 31 - 1);
  return {
    ...(tls !== undefined && { tls }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(maxResponseBytes !== undefined && { maxResponseBytes }),
  };
}

function targetOf(values: ParsedOptions): TargetEndpoint | undefined {
  const targetUrl = str(values, 'target');
  const token = str(values, 'token');
  const target = flagLabel(values, 'target');
  if (targetUrl && !token) throw new UsageError(`${target} needs ${flagLabel(values, 'token')}`);
  if (!targetUrl && token) throw new UsageError(`${flagLabel(values, 'token')} is for ${target}; give ${target} too`);
  if (!targetUrl) {
    for (const name of ['ca', 'insecure', 'admin-url', 'admin-token'])
      if (values[name] !== undefined)
        throw new UsageError(`${flagLabel(values, name)} is for ${target}; give ${target} too`);
    return undefined;
  }
  return {
    baseUrl: targetUrl,
    token: token!,
    adminUrl: str(values, 'admin-url'),
    adminToken: str(values, 'admin-token'),
  };
}

/** Writes the requested reports and says where they went, or how to ask for them. */
async function report(run: ConformanceRun, paths: ReportPaths, io: Io): Promise<void> {
  const written = await writeReports(run.result, run.exchanges, paths, { droppedExchanges: run.droppedExchanges });
  if (written.length === 0)
    io.log('conformance: no report written; ask for one with --report json=PATH (also junit, html, har)');
  for (const path of written) io.log(`conformance: wrote ${path}`);
}

/** `--profile pingone|entra|okta|all` (docs/profiles.md). */
function profilesOf(values: ParsedOptions): ProfileName[] | undefined {
  const value = str(values, 'profile');
  if (value === undefined) return undefined;
  if (value === 'all') return [...PROFILE_NAMES];
  if (!(PROFILE_NAMES as readonly string[]).includes(value))
    throw new UsageError(
      `${flagLabel(values, 'profile')} must be one of ${PROFILE_NAMES.join(', ')} or all, got '${value}'`,
    );
  return [value as ProfileName];
}

/**
 * `--driver-profile pingone|entra|okta` (docs/profiles.md): one profile, since a provisioner claims to be one client.
 * It judges the provisioner suite, so a run without that suite (`--target` alone) refuses it.
 */
function driverProfileOf(values: ParsedOptions, runsProvisioner: boolean): ProfileName | undefined {
  const value = str(values, 'driver-profile');
  if (value === undefined) return undefined;
  const flag = flagLabel(values, 'driver-profile');
  if (!(PROFILE_NAMES as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${PROFILE_NAMES.join(', ')}, got '${value}'`);
  if (!runsProvisioner)
    throw new UsageError(
      `${flag} judges the provisioner suite, which a run with --target alone does not include; add --idp-driver "CMD"`,
    );
  return value as ProfileName;
}

/** `--only`: ids, id prefixes or levels, comma-separated and repeatable. */
function onlyOf(values: ParsedOptions): string[] {
  return list(values, 'only').flatMap((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
}

export const conformanceCommand: Command = {
  summary: 'run the conformance suites and write reports',
  async run(argv: string[], io: Io) {
    const values = parseOptions(CONFORMANCE_OPTIONS, argv, io.env);
    if (values.help) {
      io.out(renderHelp('scim-lab conformance [options]', this.summary, CONFORMANCE_OPTIONS, EXIT_CODES));
      return 0;
    }
    const target = targetOf(values);
    const transport = transportOptions(values);
    const runtime = str(values, 'runtime') ?? 'embedded';
    if (runtime !== 'embedded' && runtime !== 'containers')
      throw new UsageError(`${flagLabel(values, 'runtime')} must be embedded or containers, got '${runtime}'`);
    const image = str(values, 'image');
    const idpDriver = str(values, 'idp-driver');
    const reports = reportPaths(values);
    const profiles = profilesOf(values);
    const driverProfile = driverProfileOf(values, !target || idpDriver !== undefined);
    const only = onlyOf(values);
    if (target && target.token.length < SHORT_TOKEN_CHARS)
      io.log(
        `conformance: warning: the ${flagLabel(values, 'token')} is shorter than ${SHORT_TOKEN_CHARS} characters; ` +
          'it is redacted only where it stands whole (a header, query or JSON value)',
      );

    const reporter = createTerminalReporter({
      stream: { write: (text: string) => io.out(text.replace(/\n$/, '')) },
      color: shouldUseColor(io.isTTY, io.env.NO_COLOR),
    });
    if (target) io.log(`conformance: target ${target.baseUrl} (target and flow suites)`);
    if (idpDriver) io.log(`conformance: provisioner under test: ${idpDriver} (provisioner suite)`);
    // The titles name PingOne's wire; the checks that depend on the IdP judge by this profile's rules instead.
    if (driverProfile)
      io.log(`conformance: the provisioner suite holds the provisioner to the ${driverProfile} profile's rules`);
    if (!target && !idpDriver && runtime === 'containers')
      io.log('conformance: --runtime containers (no --target, no --idp-driver): all three suites');
    else if (!target && !idpDriver)
      io.log('conformance: embedded mocks (no --target, no --idp-driver): all three suites');
    // SIGINT or SIGTERM: stop after abandoning the requirement in flight, then summary and reports as usual.
    const stop = new AbortController();
    void io.untilSignal().then((signal) => stop.abort(new Error(`interrupted (${signal})`)));
    let run: ConformanceRun;
    try {
      run = await runConformance({
        target,
        transport,
        idpDriver,
        runtime,
        image,
        stepTimeoutMs: int(values, 'step-timeout-ms', 1, 3_600_000),
        env: io.env,
        only: only.length ? only : undefined,
        profiles,
        driverProfile,
        seed: int(values, 'seed', 0, 2 ** 31 - 1),
        timeoutMs: int(values, 'timeout-ms', 1, 3_600_000),
        stop: stop.signal,
        onProgress: (r) => reporter.progress(r),
        log: io.log,
      });
    } catch (err) {
      if (err instanceof EngineUsageError) throw new UsageError(err.message);
      if (err instanceof PreflightError) {
        io.log(`conformance: preflight: ${err.message}. No requirement ran.`);
        if (err.run) await report(err.run, reports, io);
        return 2;
      }
      throw err;
    }
    if (stop.signal.aborted) io.out('interrupted');
    reporter.summary(run.result);
    if (run.result.stopped !== undefined && !stop.signal.aborted)
      io.log(`conformance: the run stopped early: ${run.result.stopped}`);
    io.log(`conformance: seed ${run.result.seed}, user prefix ${run.result.runPrefix}`);
    await report(run, reports, io);
    const exportDir = str(values, 'export-scenarios');
    if (exportDir)
      for (const path of exportScenarios(run, exportDir, { target: target?.baseUrl }))
        io.log(`conformance: wrote ${path}`);
    return exitCode(run.result);
  },
};
