import {
  createTerminalReporter,
  exitCode,
  parseReportOption,
  shouldUseColor,
  UsageError as EngineUsageError,
  writeReports,
  type ReportPaths,
} from '../suites/engine';
import { runConformance, type TargetEndpoint } from '../suites/conformance';
import { int, list, parseOptions, renderHelp, str, UsageError, type OptionTable } from './args';
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
  seed: {
    type: 'string',
    env: 'SCIM_LAB_SEED',
    help: 'seed of the generated users (default random; printed)',
    valueName: 'N',
  },
  report: {
    type: 'string',
    env: 'SCIM_LAB_REPORT',
    help: 'reports to write: junit=PATH,json=PATH,html=PATH,har=PATH',
    valueName: 'SPEC',
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
  help: { type: 'boolean', help: 'show this help' },
};

const EXIT_CODES = `Exit codes: 1 when a MUST failed; otherwise 2 when a requirement ended in error, for a usage error or an
unreachable target; otherwise 0.`;

export const conformanceCommand: Command = {
  summary: 'run the conformance suites and write reports',
  async run(argv: string[], io: Io) {
    const values = parseOptions(CONFORMANCE_OPTIONS, argv, io.env);
    if (values.help) {
      io.out(renderHelp('scim-lab conformance [options]', this.summary, CONFORMANCE_OPTIONS, EXIT_CODES));
      return 0;
    }
    const targetUrl = str(values, 'target');
    const token = str(values, 'token');
    if (targetUrl && !token) throw new UsageError('--target needs --token (or SCIM_LAB_TARGET_TOKEN)');
    if (!targetUrl && token) throw new UsageError('--token is for --target; give --target too');
    const runtime = str(values, 'runtime') ?? 'embedded';
    if (runtime !== 'embedded' && runtime !== 'containers')
      throw new UsageError(`--runtime must be embedded or containers, got '${runtime}'`);
    const image = str(values, 'image');
    const idpDriver = str(values, 'idp-driver');
    const reports: ReportPaths = str(values, 'report') ? parseReportOption(str(values, 'report')!) : {};
    const only = list(values, 'only').flatMap((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
    const target: TargetEndpoint | undefined = targetUrl
      ? {
          baseUrl: targetUrl,
          token: token!,
          adminUrl: str(values, 'admin-url'),
          adminToken: str(values, 'admin-token'),
        }
      : undefined;

    const reporter = createTerminalReporter({
      stream: { write: (text: string) => io.out(text.replace(/\n$/, '')) },
      color: shouldUseColor(io.isTTY, io.env.NO_COLOR),
    });
    if (target) io.log(`conformance: target ${target.baseUrl} (target and flow suites)`);
    if (idpDriver) io.log(`conformance: provisioner under test: ${idpDriver} (provisioner suite)`);
    if (!target && !idpDriver && runtime === 'containers')
      io.log('conformance: --runtime containers (no --target, no --idp-driver): all three suites');
    else if (!target && !idpDriver)
      io.log('conformance: embedded mocks (no --target, no --idp-driver): all three suites');
    let run;
    try {
      run = await runConformance({
        target,
        idpDriver,
        runtime,
        image,
        stepTimeoutMs: int(values, 'step-timeout-ms', 1, 3_600_000),
        env: io.env,
        only: only.length ? only : undefined,
        seed: int(values, 'seed', 0, 2 ** 31 - 1),
        timeoutMs: int(values, 'timeout-ms', 1, 3_600_000),
        onProgress: (r) => reporter.progress(r),
        log: io.log,
      });
    } catch (err) {
      if (err instanceof EngineUsageError) throw new UsageError(err.message);
      throw err;
    }
    reporter.summary(run.result);
    io.log(`conformance: seed ${run.result.seed}, user prefix ${run.result.runPrefix}`);
    const written = await writeReports(run.result, run.exchanges, reports, { droppedExchanges: run.droppedExchanges });
    for (const path of written) io.log(`conformance: wrote ${path}`);
    return exitCode(run.result);
  },
};
