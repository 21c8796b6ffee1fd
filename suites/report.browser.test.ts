// The HTML report, opened in a real headless Chromium: the summary and the sequence diagram must render, and the
// page must load nothing from anywhere (it is self-contained).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeReports } from './engine';
import { runConformance } from './conformance';
import { defaultDriverCommand } from './driver/test-support/compile-driver';

const CHROMIUM = process.env.SCIM_LAB_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(__dirname, '..', 'reports', 'browser-test');

let browser: Browser;
let reportUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: run scripts/ci-setup.sh (it installs Debian's chromium)`);
  }
  mkdirSync(OUT, { recursive: true });
  // A real run against the embedded mock Code42, deliberately failing nothing: the page must show what a user sees.
  const run = await runConformance({ only: ['MUST'], seed: 42, defaultDriver: defaultDriverCommand() });
  const html = join(OUT, 'report.html');
  await writeReports(run.result, run.exchanges, { html });
  reportUrl = pathToFileURL(html).href;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the HTML report in headless Chromium', () => {
  it('renders the summary and the sequence diagram, and requests nothing but the file itself', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(reportUrl, { waitUntil: 'load' });

    expect(requested).toEqual([reportUrl]);
    expect(errors).toEqual([]);

    const summary = page.locator('#summary');
    expect(await summary.isVisible()).toBe(true);
    const summaryText = await summary.innerText();
    for (const word of ['MUST', 'passed', 'failed']) expect(summaryText).toContain(word);
    expect(await page.locator('#verdict').innerText()).toBe('PASSED');

    const diagram = page.locator('#sequence-diagram');
    expect(await diagram.isVisible()).toBe(true);
    const box = await diagram.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThan(200);
    // Every exchange is an arrow with a label: the diagram shows real traffic of the run.
    expect(await diagram.locator('line').count()).toBeGreaterThan(4);
    expect(
      await diagram
        .locator('text')
        .filter({ hasText: /\/Users/ })
        .count(),
    ).toBeGreaterThan(0);

    await page.screenshot({ path: join(OUT, 'report.png'), fullPage: false });
    await page.close();
  });
});
