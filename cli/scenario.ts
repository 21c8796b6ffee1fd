// `scim-lab scenario run FILE.json` and `scim-lab scenario from CAPTURE.har` (docs/scenarios.md).
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readScenario, ScenarioError, type FaultStep, type Scenario } from '../lab/scenario';
import { draftScenario } from '../lab/scenario-draft';
import { LabError } from '../lab/scenario-http';
import { runScenario } from '../lab/scenario-run';
import { CODE42_DEVIATIONS } from '../mock-code42';
import { PINGONE_DEVIATIONS } from '../mock-pingone';
import {
  flagLabel,
  list,
  parseOptions,
  readArgumentFile,
  renderHelp,
  str,
  UsageError,
  type OptionTable,
  type ParsedOptions,
} from './args';
import { readCaptureArgument, tlsTrust } from './common-options';
import type { Io } from './io';
import type { Command } from './main';
import { startLab } from './scenario-lab';
import { stepLine, verdictLines } from './scenario-report';

export const SCENARIO_RUN_OPTIONS: OptionTable = {
  target: {
    type: 'string',
    env: 'SCIM_LAB_TARGET_URL',
    help: 'SCIM base URL of your server: the mock PingOne provisions into it instead of an embedded mock Code42',
    valueName: 'URL',
  },
  token: { type: 'string', env: 'SCIM_LAB_TARGET_TOKEN', help: 'bearer token for --target', valueName: 'T' },
  deviation: {
    type: 'string',
    multiple: true,
    help: 'a deviation of a mock, code42:NAME or pingone:NAME[=VALUE] (repeatable)',
    valueName: 'MOCK:NAME',
  },
  reproduce: {
    type: 'boolean',
    help: "apply the deviations and faults of the scenario's reproduces block: the run shows the bug",
  },
  json: { type: 'boolean', help: 'print the result as one JSON line on stdout' },
  ca: {
    type: 'string',
    env: 'SCIM_LAB_CA_FILE',
    help: 'PEM CA bundle to trust for an https --target',
    valueName: 'FILE',
  },
  insecure: { type: 'boolean', env: 'SCIM_LAB_INSECURE', help: 'accept any certificate from an https --target' },
  help: { type: 'boolean', help: 'show this help' },
};

export const SCENARIO_FROM_OPTIONS: OptionTable = {
  out: {
    type: 'string',
    help: 'write the draft to FILE (default: stdout); an existing file is kept',
    valueName: 'FILE',
  },
  name: { type: 'string', help: "the scenario's name (default: the capture's file name)", valueName: 'NAME' },
  help: { type: 'boolean', help: 'show this help' },
};

const RUN_NOTES = `Exit codes: 0 when every expectation is met; 1 at the first unmet one (printed with its evidence); 2 for a
usage error, an invalid scenario file, or a lab that cannot run a step. The file format: docs/scenarios.md.`;

const KNOWN = { code42: CODE42_DEVIATIONS, pingone: PINGONE_DEVIATIONS } as Record<string, Record<string, unknown>>;

/** `code42:NAME` / `pingone:NAME[=VALUE]` with a known mock and name; the mocks check values when they start. */
function checkDeviation(entry: string, where: string): void {
  const match = /^(code42|pingone):([a-z0-9-]+)(=.*)?$/.exec(entry);
  if (!match) throw new UsageError(`${where}: '${entry}' is not code42:NAME or pingone:NAME[=VALUE]`);
  if (!(match[2] in KNOWN[match[1]]))
    throw new UsageError(`${where}: ${match[1]} has no deviation '${match[2]}' (see scim-lab ${match[1]} --help)`);
}

function readScenarioFile(given: string | undefined): Scenario {
  const { path, text } = readArgumentFile(given, 'give the scenario: scim-lab scenario run FILE.json');
  try {
    return readScenario(text, path);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(err.message);
    throw err;
  }
}

function setupOf(values: ParsedOptions, scenario: Scenario, file: string) {
  const reproduce = values.reproduce === true;
  if (reproduce && !scenario.reproduces) throw new UsageError(`--reproduce: ${file} has no reproduces block`);
  const fromFile = [...(scenario.deviations ?? []), ...(reproduce ? (scenario.reproduces?.deviations ?? []) : [])];
  fromFile.forEach((d) => checkDeviation(d, file));
  list(values, 'deviation').forEach((d) => checkDeviation(d, flagLabel(values, 'deviation')));
  const deviations = [...fromFile, ...list(values, 'deviation')];
  const faults: FaultStep[] = reproduce ? (scenario.reproduces?.faults ?? []) : [];
  const targetUrl = str(values, 'target');
  const token = str(values, 'token');
  if (!targetUrl) {
    if (token) throw new UsageError(`${flagLabel(values, 'token')} is for --target; give --target too`);
    return { deviations, faults };
  }
  if (!token) throw new UsageError(`${flagLabel(values, 'target')} needs ${flagLabel(values, 'token')}`);
  const onCode42 = deviations.find((d) => d.startsWith('code42:')) ?? faults.find((f) => f.on === 'code42')?.on;
  if (onCode42)
    throw new UsageError(`${onCode42} applies to the embedded mock Code42; with --target your server is the target`);
  return { deviations, faults, target: { baseUrl: targetUrl, token, tls: tlsTrust(values) } };
}

async function run(argv: string[], io: Io): Promise<number> {
  const [file, rest] = positional(argv);
  const values = parseOptions(SCENARIO_RUN_OPTIONS, rest, io.env);
  if (values.help) {
    io.out(
      renderHelp(
        'scim-lab scenario run FILE.json [options]',
        'run a scenario against the embedded mocks or your server',
        SCENARIO_RUN_OPTIONS,
        RUN_NOTES,
      ),
    );
    return 0;
  }
  const scenario = readScenarioFile(file);
  const setup = setupOf(values, scenario, file!);
  const json = values.json === true;
  if (setup.deviations.length) io.log(`scenario: deviations ${setup.deviations.join(', ')}`);
  let started;
  try {
    started = await startLab(setup);
  } catch (err) {
    throw new UsageError(`cannot start the lab: ${(err as Error).message}`);
  }
  try {
    if (!json) io.out(`scenario: ${scenario.name}`);
    const result = await runScenario(scenario, started.lab, (o) => json || io.out(stepLine(o)));
    if (json) io.out(JSON.stringify(result));
    else verdictLines(result).forEach((line) => io.out(line));
    return result.passed ? 0 : 1;
  } catch (err) {
    if (err instanceof LabError) throw new UsageError(err.message);
    throw err;
  } finally {
    await started.close();
  }
}

function from(argv: string[], io: Io): number {
  const [file, rest] = positional(argv);
  const values = parseOptions(SCENARIO_FROM_OPTIONS, rest, io.env);
  if (values.help) {
    io.out(
      renderHelp(
        'scim-lab scenario from CAPTURE.har [options]',
        'draft a scenario from a HAR capture',
        SCENARIO_FROM_OPTIONS,
      ),
    );
    return 0;
  }
  const { path, capture } = readCaptureArgument(file, 'give the capture: scim-lab scenario from CAPTURE.har');
  const { scenario, skipped } = draftScenario(capture, str(values, 'name') ?? basename(path).replace(/\.har$/i, ''));
  if (capture.recovered) io.log(`scenario from: ${path}: ${capture.recovered}`);
  for (const line of skipped) io.log(`scenario from: left out ${line}`);
  if (scenario.steps.length === 0) throw new UsageError(`${path}: no SCIM exchange to draft a scenario from`);
  const text = `${JSON.stringify(scenario, null, 2)}\n`;
  const out = str(values, 'out');
  if (!out) io.out(text.trimEnd());
  else if (existsSync(out)) throw new UsageError(`--out: ${out} exists; give another file`);
  else {
    writeFileSync(out, text);
    io.log(`scenario from: wrote ${out} (${scenario.steps.length} steps)`);
  }
  return 0;
}

function positional(argv: string[]): [string | undefined, string[]] {
  return argv[0] !== undefined && !argv[0].startsWith('-') ? [argv[0], argv.slice(1)] : [undefined, argv];
}

const HELP = `Usage: scim-lab scenario run FILE.json [--target URL --token T] [--deviation MOCK:NAME] [--reproduce] [--json]
       scim-lab scenario from CAPTURE.har [--out FILE] [--name NAME]

A scenario is a provisioning bug as a file: PingOne actions, SCIM requests, faults, clock moves and expectations
(docs/scenarios.md). 'run' runs one against the embedded mocks, or with your server as the target; 'from' drafts
one from a HAR capture. Each subcommand takes --help.`;

export const scenarioCommand: Command = {
  summary: 'run a scenario file (a bug as a file), or draft one from a HAR capture',
  async run(argv: string[], io: Io) {
    const [sub, ...rest] = argv;
    if (sub === 'run') return run(rest, io);
    if (sub === 'from') return from(rest, io);
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.out(HELP);
      return sub === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown subcommand '${sub}': run or from`);
  },
};
