import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCode42, type Code42 } from '../mock-code42';
import { Redactor } from '../lab/redact';
import { replay, TargetUnreachable, type Pace, type ReplayOptions } from '../lab/replay';
import { parseReportOption } from '../suites/engine';
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
import { readCaptureArgument, tlsTrust } from './common-options';
import type { Io } from './io';
import type { Command } from './main';
import { replayHtml, terminalLines } from './replay-report';

export const REPLAY_OPTIONS: OptionTable = {
  target: {
    type: 'string',
    env: 'SCIM_LAB_TARGET_URL',
    help: 'SCIM base URL to replay against',
    valueName: 'URL',
  },
  token: { type: 'string', env: 'SCIM_LAB_TARGET_TOKEN', help: 'bearer token for --target', valueName: 'T' },
  against: {
    type: 'string',
    help: 'mock: replay against a mock Code42 started in this process (instead of --target)',
    valueName: 'mock',
  },
  deviation: {
    type: 'string',
    multiple: true,
    help: 'with --against mock: a deviation of the mock Code42 (repeatable; see scim-lab code42 --help)',
    valueName: 'NAME[=VALUE]',
  },
  fault: {
    type: 'string',
    multiple: true,
    help: 'with --against mock: a fault rule as JSON, as POST /__admin/faults takes it (repeatable)',
    valueName: 'JSON',
  },
  prefix: {
    type: 'string',
    env: 'SCIM_LAB_PREFIX',
    help: 'prepended to the userName, externalId and emails the capture sends, so a replay can run again',
    valueName: 'P',
  },
  pace: {
    type: 'string',
    help: 'recorded (keep the recorded gaps), Nx (the gaps N times shorter, e.g. 10x) or fast (default)',
    valueName: 'PACE',
  },
  mask: {
    type: 'string',
    multiple: true,
    help: 'attribute path left out of the comparison, besides id and meta (repeatable), e.g. name.formatted',
    valueName: 'PATH',
  },
  report: {
    type: 'string',
    multiple: true,
    env: 'SCIM_LAB_REPORT',
    help: 'reports to write: html=PATH,json=PATH',
    valueName: 'SPEC',
  },
  ca: {
    type: 'string',
    env: 'SCIM_LAB_CA_FILE',
    help: 'PEM CA bundle to trust for an https --target (added to the system roots)',
    valueName: 'FILE',
  },
  insecure: { type: 'boolean', env: 'SCIM_LAB_INSECURE', help: 'accept any certificate from an https --target' },
  'timeout-ms': {
    type: 'string',
    env: 'SCIM_LAB_EXCHANGE_TIMEOUT_MS',
    help: 'time limit of one replayed exchange (default 10000)',
    valueName: 'MS',
  },
  help: { type: 'boolean', help: 'show this help' },
};

const NOTES = `Exit codes: 0 when every response matches the recorded one (id, meta, ETags and timestamps masked), 1 when
any differs, 2 for a usage error, an unreadable capture or an unreachable target (docs/record-replay.md).`;

function reportPaths(values: ParsedOptions): { html?: string; json?: string } {
  const paths: { html?: string; json?: string } = {};
  for (const spec of list(values, 'report')) {
    for (const [format, path] of Object.entries(parseReportOptionOrUsage(spec))) {
      if (format !== 'html' && format !== 'json')
        throw new UsageError(`${flagLabel(values, 'report')}: replay writes html and json, not ${format}`);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
        throw new UsageError(`${flagLabel(values, 'report')}: ${format}=${path} is a directory; give a file path`);
      paths[format] = path;
    }
  }
  return paths;
}

function parseReportOptionOrUsage(spec: string): Record<string, string> {
  try {
    return parseReportOption(spec) as Record<string, string>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `--against mock`: a mock Code42 in this process, with the deviations and faults of the command line. */
async function startMock(values: ParsedOptions): Promise<Code42> {
  let c42: Code42;
  try {
    c42 = createCode42({ deviations: list(values, 'deviation') });
  } catch (err) {
    throw new UsageError(`${flagLabel(values, 'deviation')}: ${(err as Error).message}`);
  }
  for (const rule of list(values, 'fault')) {
    try {
      c42.faults.add(JSON.parse(rule));
    } catch (err) {
      throw new UsageError(`${flagLabel(values, 'fault')} '${rule}': ${(err as Error).message}`);
    }
  }
  await c42.listen({ port: 0 });
  return c42;
}

/** `--pace recorded|fast|Nx`: `Nx` keeps the recorded gaps, N times shorter (`10x`, `2.5x`). */
function paceOf(values: ParsedOptions): { pace: Pace; speedup?: number } {
  const pace = str(values, 'pace') ?? 'fast';
  if (pace === 'recorded' || pace === 'fast') return { pace };
  const factor = /^(\d+(?:\.\d+)?)x$/.exec(pace);
  const speedup = factor ? Number(factor[1]) : NaN;
  if (!(speedup > 0 && speedup <= 1_000_000))
    throw new UsageError(
      `${flagLabel(values, 'pace')} must be recorded, fast, or a speed-up such as 10x, got '${pace}'`,
    );
  return { pace: 'recorded', speedup };
}

function replayOptions(values: ParsedOptions): Omit<ReplayOptions, 'target' | 'token'> {
  const { pace, speedup } = paceOf(values);
  return {
    prefix: str(values, 'prefix'),
    pace,
    speedup,
    masks: list(values, 'mask'),
    tls: tlsTrust(values),
    timeoutMs: int(values, 'timeout-ms', 1, 600_000),
  };
}

function checkTarget(values: ParsedOptions): 'mock' | { target: string; token: string } {
  const against = str(values, 'against');
  const target = str(values, 'target');
  if (against !== undefined && against !== 'mock')
    throw new UsageError(`${flagLabel(values, 'against')} takes only 'mock', got '${against}'`);
  if (against && target) throw new UsageError(`${flagLabel(values, 'target')} and --against mock exclude each other`);
  if (!against && !target) throw new UsageError(`give ${flagLabel(values, 'target')} (and --token), or --against mock`);
  if (!against && (list(values, 'deviation').length || list(values, 'fault').length))
    throw new UsageError('--deviation and --fault are for --against mock');
  if (against) return 'mock';
  const token = str(values, 'token');
  if (!token) throw new UsageError(`${flagLabel(values, 'target')} needs ${flagLabel(values, 'token')}`);
  return { target: target!, token };
}

function writeReport(path: string, text: string, io: Io): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  io.log(`replay: wrote ${path}`);
}

export const replayCommand: Command = {
  summary: 'replay a HAR capture against a SCIM server and compare every response',
  async run(argv: string[], io: Io) {
    const positional = argv[0] !== undefined && !argv[0].startsWith('-');
    const file = positional ? argv[0] : undefined;
    const rest = positional ? argv.slice(1) : argv;
    const values = parseOptions(REPLAY_OPTIONS, rest, io.env);
    if (values.help) {
      io.out(
        renderHelp(
          'scim-lab replay FILE.har (--target URL --token T | --against mock) [options]',
          this.summary,
          REPLAY_OPTIONS,
          NOTES,
        ),
      );
      return 0;
    }
    const where = checkTarget(values);
    const options = replayOptions(values);
    const reports = reportPaths(values);
    const { capture } = readCaptureArgument(file, 'give the capture: scim-lab replay FILE.har --target URL --token T');
    if (capture.recovered) io.log(`replay: ${file}: ${capture.recovered}`);
    const mock = where === 'mock' ? await startMock(values) : undefined;
    const target = mock
      ? { target: mock.describe().baseUrl, token: mock.describe().token }
      : (where as { target: string; token: string });
    const redactor = new Redactor([target.token]);
    if (mock)
      io.log(
        `replay: against a mock Code42 at ${target.target}${list(values, 'deviation').length ? ` with ${list(values, 'deviation').join(', ')}` : ''}`,
      );
    try {
      const result = await replay(capture, { ...options, ...target });
      for (const line of terminalLines(result, redactor)) io.out(line);
      if (reports.html) writeReport(reports.html, replayHtml(result, file!, redactor), io);
      if (reports.json) writeReport(reports.json, `${redactor.text(JSON.stringify(result, null, 2))}\n`, io);
      return result.diverged === 0 ? 0 : 1;
    } catch (err) {
      if (err instanceof TargetUnreachable) throw new UsageError(redactor.text(err.message));
      throw err;
    } finally {
      await mock?.close();
    }
  },
};
