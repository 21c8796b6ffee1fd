// A jest reporter that closes a run with the reliability tests' counts (issue 18): the fuzz tests and the SIGKILL
// test append one JSON line each (lab/test-support/summary.ts) to the file named by SCIM_LAB_RELIABILITY_SUMMARY, which this reporter sets before
// any test runs (jest's workers inherit it), and prints once every test file has finished.
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

class ReliabilitySummaryReporter {
  constructor() {
    this.file = join(tmpdir(), `scim-lab-reliability-${process.pid}.jsonl`);
    rmSync(this.file, { force: true });
    process.env.SCIM_LAB_RELIABILITY_SUMMARY = this.file;
  }

  onRunComplete() {
    if (!existsSync(this.file)) return;
    const lines = readFileSync(this.file, 'utf8').trim().split('\n').filter(Boolean);
    rmSync(this.file, { force: true });
    const rows = lines.map((line) => JSON.parse(line).text);
    process.stderr.write(`\nReliability summary (issue 18):\n${rows.map((r) => `  ${r}`).join('\n')}\n`);
  }
}

module.exports = ReliabilitySummaryReporter;
