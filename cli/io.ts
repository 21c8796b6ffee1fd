/** Where a command writes: logs to stderr, the one `--json` line (or a report) to stdout (docs/cli.md). */
export interface Io {
  out(line: string): void;
  log(line: string): void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** Resolves on SIGTERM or SIGINT. */
  untilSignal(): Promise<string>;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  log: (line) => process.stderr.write(line + '\n'),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  untilSignal: () =>
    new Promise((resolve) => {
      const done = (signal: string) => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve(signal);
      };
      process.on('SIGINT', done);
      process.on('SIGTERM', done);
    }),
};
