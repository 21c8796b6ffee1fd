import { appendFileSync } from 'node:fs';

/**
 * Adds a line to the reliability tests' closing summary, which lab/test-support/reliability-summary-reporter.js
 * prints at the end of a jest run (issue 18). Without that reporter (another jest config), the line is only logged.
 */
export function recordSummary(text: string): void {
  const file = process.env.SCIM_LAB_RELIABILITY_SUMMARY;
  if (file) appendFileSync(file, JSON.stringify({ text }) + '\n');
  else console.log(text);
}
