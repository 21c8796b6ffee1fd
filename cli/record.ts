import { statSync } from 'node:fs';
import { createRecorder } from '../lab/recorder';
import { toolInfo } from '../lab/tool';
import { flagLabel, int, parseOptions, renderHelp, str, UsageError, type OptionTable } from './args';
import { tlsTrust } from './common-options';
import type { Io } from './io';
import type { Command } from './main';

export const RECORD_OPTIONS: OptionTable = {
  upstream: {
    type: 'string',
    env: 'SCIM_LAB_UPSTREAM_URL',
    help: 'SCIM base URL of the real service provider to forward to',
    valueName: 'URL',
  },
  out: { type: 'string', env: 'SCIM_LAB_OUT', help: 'HAR file to write (created or truncated)', valueName: 'FILE' },
  port: {
    type: 'string',
    env: 'SCIM_LAB_PORT',
    help: 'port to listen on, 0 = any free port (default 0)',
    valueName: 'N',
  },
  host: { type: 'string', env: 'SCIM_LAB_HOST', help: 'address to listen on (default 127.0.0.1)', valueName: 'HOST' },
  ca: {
    type: 'string',
    env: 'SCIM_LAB_CA_FILE',
    help: 'PEM CA bundle to trust for an https --upstream (added to the system roots)',
    valueName: 'FILE',
  },
  insecure: {
    type: 'boolean',
    env: 'SCIM_LAB_INSECURE',
    help: 'accept any certificate from an https --upstream',
  },
  'timeout-ms': {
    type: 'string',
    env: 'SCIM_LAB_UPSTREAM_TIMEOUT_MS',
    help: 'time limit of one upstream exchange; past it the client gets 504 and the capture a timeout (default 30000)',
    valueName: 'MS',
  },
  json: { type: 'boolean', help: 'print one JSON line on stdout once ready' },
  help: { type: 'boolean', help: 'show this help' },
};

const NOTES = `Point the client (an IdP's SCIM connection) at the printed URL instead of --upstream: every request is
forwarded, and each exchange is written to --out, redacted, before the client gets its answer. SIGTERM or SIGINT
closes the file. A file cut short by a crash is still read by 'scim-lab replay' (docs/record-replay.md).`;

function recorderConfig(values: ReturnType<typeof parseOptions>) {
  const upstream = str(values, 'upstream');
  const out = str(values, 'out');
  if (!upstream) throw new UsageError(`${flagLabel(values, 'upstream')} is required`);
  if (!out) throw new UsageError(`${flagLabel(values, 'out')} is required`);
  if (!URL.canParse(upstream) || !/^https?:$/.test(new URL(upstream).protocol))
    throw new UsageError(`${flagLabel(values, 'upstream')} must be an http or https URL, got '${upstream}'`);
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${flagLabel(values, 'out')}: ${out} is a directory; give a file path`);
  return {
    upstream,
    out,
    tls: tlsTrust(values),
    timeoutMs: int(values, 'timeout-ms', 1, 3_600_000),
    listen: { port: int(values, 'port', 0, 65535) ?? 0, host: str(values, 'host') ?? '127.0.0.1' },
  };
}

export const recordCommand: Command = {
  summary: 'forward SCIM traffic to a real service provider and record it as HAR',
  async run(argv: string[], io: Io) {
    const values = parseOptions(RECORD_OPTIONS, argv, io.env);
    if (values.help) {
      io.out(renderHelp('scim-lab record --upstream URL --out FILE [options]', this.summary, RECORD_OPTIONS, NOTES));
      return 0;
    }
    const config = recorderConfig(values);
    const tool = toolInfo();
    const recorder = createRecorder({
      ...config,
      creator: { name: `${tool.name} record`, version: tool.version },
      logger: io.log,
    });
    try {
      await recorder.listen(config.listen);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.syscall === 'open' || e.syscall === 'mkdir')
        throw new UsageError(`${flagLabel(values, 'out')}: cannot write ${config.out} (${e.code})`);
      throw err;
    }
    const signalled = io.untilSignal();
    if (values.json)
      io.out(JSON.stringify({ record: { baseUrl: recorder.baseUrl, upstream: config.upstream, out: config.out } }));
    io.log(`record: forwarding ${recorder.baseUrl} to ${config.upstream}, writing ${config.out}`);
    const signal = await signalled;
    io.log(`received ${signal}: finishing requests in flight, then closing ${config.out}`);
    await recorder.close();
    io.log(`record: ${recorder.recorded} exchanges written to ${config.out}`);
    return 0;
  },
};
