// The HTML report, opened in a real headless Chromium: the summary and the sequence diagram must render, the page must
// load nothing from anywhere (it is self-contained), and a vendor engineer must read a failing report at a glance
// (issue 13 §7): failures first and linked from the summary, passed rows collapsed, status colour on badges only,
// text contrast of at least 4.5:1 computed from the rendered styles, sticky lifeline labels, no column cut off.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../lab/test-support/chromium';
import { writeReports } from './engine';
import { runConformance } from './conformance';
import { defaultDriverCommand } from './driver/test-support/compile-driver';

const OUT = join(__dirname, '..', 'reports', 'browser-test');
const VIEWPORT = { width: 1280, height: 900 };

let browser: Browser;
let passingUrl: string;
let failingUrl: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  // A real run against the embedded mock Code42, deliberately failing nothing: the page must show what a user sees.
  const passing = await runConformance({ only: ['MUST'], seed: 42, defaultDriver: defaultDriverCommand() });
  const html = join(OUT, 'report.html');
  await writeReports(passing.result, passing.exchanges, { html });
  passingUrl = pathToFileURL(html).href;
  // A real failing run: a target that accepts DELETE (issue 13 "Done when"), with the flow through the mock PingOne.
  const failing = await runConformance({
    only: ['SCIM-CREATE', 'SCIM-DISCOVERY', 'SCIM-LIST', 'C42-DELETE', 'FLOW-CREATE', 'FLOW-DELETE-REFUSED'],
    seed: 42,
    embedded: { code42Deviations: ['allow-delete'] },
  });
  const failingHtml = join(OUT, 'failing-report.html');
  await writeReports(failing.result, failing.exchanges, { html: failingHtml });
  failingUrl = pathToFileURL(failingHtml).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function open(url: string): Promise<{ page: Page; requested: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requested, errors };
}

describe('the HTML report in headless Chromium', () => {
  it('renders the summary and the sequence diagram, and requests nothing but the file itself', async () => {
    const { page, requested, errors } = await open(passingUrl);
    expect(requested).toEqual([passingUrl]);
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

describe('issue 13 §7 a failing report read at a glance', () => {
  let page: Page;
  /** Runs one of the in-page checks of test-support/report-page.js. */
  const check = <T>(expression: string): Promise<T> => page.evaluate(`window.scimLabReportChecks.${expression}`);

  beforeAll(async () => {
    ({ page } = await open(failingUrl));
    await page.screenshot({ path: join(OUT, 'failing-report.png'), fullPage: false });
    await page.addScriptTag({ path: join(__dirname, 'test-support', 'report-page.js') });
  });
  afterAll(() => page?.close());

  it('shows the first failure without scrolling, and no passed row before it', async () => {
    expect(await page.locator('#verdict').innerText()).toBe('FAILED');
    const first = page.locator('#failures tr.requirement').first();
    expect(await first.getAttribute('id')).toBe('req-C42-DELETE-REFUSED');
    const box = await first.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(VIEWPORT.height);
    // Passed requirements are collapsed: none is rendered until its group is opened.
    const passed = page.locator('tr.requirement.passed');
    expect(await passed.count()).toBeGreaterThan(0);
    expect(await passed.first().isVisible()).toBe(false);
  });

  it('links every failure from the summary, and the link brings it into view', async () => {
    const failures = await check<string[]>('failureIds()');
    expect(failures.length).toBeGreaterThan(0);
    for (const id of failures) expect(await page.locator(`#summary a[href="#${id}"]`).count()).toBeGreaterThan(0);
    const last = failures[failures.length - 1];
    await page.locator(`#summary a[href="#${last}"]`).first().click();
    const box = await page.locator(`#${last}`).boundingBox();
    expect(box!.y).toBeGreaterThan(-1); // scrolled to it, to within a subpixel
    expect(box!.y).toBeLessThan(VIEWPORT.height);
    await page.evaluate('window.scrollTo(0, 0)');
  });

  it('puts status colour on badges, never on whole rows', async () => {
    expect(await check<string[]>('rowBackgrounds()')).toEqual(['rgba(0, 0, 0, 0)']);
    expect(await check<string>("backgroundOf('#failures .badge.failed')")).toBe('rgb(198, 40, 40)');
  });

  it('gives every piece of text a contrast of at least 4.5:1 with what is behind it (WCAG 2.1 AA)', async () => {
    // Open every collapsed group so that passed rows are measured too.
    await check('openAllDetails()');
    expect(await check<string[]>('lowContrast(4.5)')).toEqual([]);
  });

  it('keeps the lifeline labels in view while the diagram scrolls', async () => {
    const diagram = page.locator('.diagram');
    await diagram.scrollIntoViewIfNeeded();
    expect(await check<number>('scrollDiagramToEnd()')).toBeGreaterThan(0);
    const [container, heads] = await Promise.all([
      diagram.boundingBox(),
      page.locator('#sequence-diagram-heads').boundingBox(),
    ]);
    expect(heads).not.toBeNull();
    expect(Math.abs(heads!.y - container!.y)).toBeLessThanOrEqual(2);
    const names = await page.locator('#sequence-diagram-heads text.head').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['scim-lab', 'target', 'PingOne']));
  });

  it('cuts no column off: every label lies inside the picture, and lifeline labels are whole', async () => {
    expect(await check<string[]>('labelsOutside()')).toEqual([]);
    const heads = await page.locator('#sequence-diagram-heads text.head').allTextContents();
    expect(heads.filter((h) => h.includes('…'))).toEqual([]);
  });
});
