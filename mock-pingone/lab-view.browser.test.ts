// Issue 17 §4: the live lab view in a real headless Chromium (npm run test:browser). A mock PingOne provisioning into a
// mock Code42, as `scim-lab up --ui` wires them; the page is driven as a user would: the admin token typed in, the
// traffic watched, a 503 fault added with the form, the clock advanced with its button. Screenshots go to
// reports/browser-test/lab-view/ (gitignored; the README names it), beside the HTML report's browser test.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../lab/test-support/chromium';
import { createLabUi, type LabUi } from '../lab/ui';
import { CODE42_ADMIN, startCode42Lab, type WiredLab } from './test-support/code42-lab';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildUi } = require('../scripts/build-ui.js') as { buildUi(): Promise<unknown> };

const SCREENSHOTS = join(__dirname, '..', 'reports', 'browser-test', 'lab-view');

let browser: Browser;
let lab: WiredLab;
let ui: LabUi;
let page: Page;
let origin: string;
const requested: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await buildUi();
  ui = createLabUi();
  lab = await startCode42Lab({ p1: { ui }, code42: { ui } });
  origin = new URL(lab.p1.describe().adminUrl).origin;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('request', (r) => requested.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
});

afterAll(async () => {
  await browser?.close();
  ui?.close();
  await lab?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('the live lab view in headless Chromium', () => {
  it('asks for the admin token, refuses a wrong one, and keeps the right one in sessionStorage only', async () => {
    await page.goto(`${origin}/__ui`, { waitUntil: 'load' });
    await page.fill('input[name="token"]', 'not-the-admin-token');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#login .error');
    expect(await page.innerText('#login .error')).toBe('That is not the admin token of this lab.');
    // Either mock's admin token opens the view.
    await page.fill('input[name="token"]', CODE42_ADMIN);
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#live.live');
    expect(await page.evaluate("sessionStorage.getItem('scim-lab.adminToken')")).toBe(CODE42_ADMIN);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.context().cookies()).toEqual([]);
    await shot('01-opened');
  });

  it('draws the arrows of a user created through the PingOne API: the API call, then the provisioner to Code42', async () => {
    await lab.createUser({ username: 'alice@example.com' });
    await lab.idle();
    await page.waitForSelector('details.exchange[data-from="Clients"][data-to="PingOne API"][data-status="201"]');
    await page.waitForSelector('details.exchange[data-from="Provisioner"][data-to="Code42"][data-status="201"]');
    const row = page.locator('details.exchange[data-from="Provisioner"][data-status="201"]').first();
    expect(await row.locator('svg').getAttribute('aria-label')).toBe('Provisioner to Code42: POST /scim/v2/Users, 201');
    // Expanded, the exchange shows its headers and bodies, the Authorization redacted as the journal keeps it.
    await row.locator('summary').click();
    const detail = await row.locator('.detail').innerText();
    expect(detail).toContain('[redacted]');
    expect(detail).toContain('"userName": "alice@example.com"');
    await page.waitForSelector('#users tr[data-user="alice@example.com"] td[data-state="active"]');
    expect(await page.innerText('#users tr[data-user="alice@example.com"] td[data-sync]')).toContain('SUCCESS');
    await shot('02-user-created');
  });

  it("shows the provisioner's retries after a 503 fault added with the form", async () => {
    // The form's defaults: pingone, outbound, POST /Users*, status 503, twice.
    await page.click('#fault-form button[type="submit"]');
    await page.waitForSelector('#faults li');
    expect(await page.innerText('#faults li')).toContain('outbound POST /Users* → status 503');
    await lab.createUser({ username: 'bob@example.com' });
    await lab.idle();
    // Locators, not page functions: the page's CSP forbids evaluating strings, as it should.
    await page.locator('details.exchange[data-from="Provisioner"][data-status="201"]').nth(1).waitFor();
    const statuses = await page.$$eval('details.exchange[data-from="Provisioner"]', (rows) =>
      rows.map((r) => r.getAttribute('data-status')),
    );
    expect(statuses.slice(-3)).toEqual(['503', '503', '201']);
    expect(await page.locator('.arrow.response.bad').count()).toBeGreaterThanOrEqual(2);
    await page.waitForSelector('#faults li:has-text("2 hits")');
    await shot('03-retries-after-503');
  });

  it('moves a disabled user from blocked to deactivated in Code42 when the clock advances 15 minutes', async () => {
    const alice = lab.p1.exportState() as { users: { id: string; username: string }[] };
    const id = alice.users.find((u) => u.username === 'alice@example.com')!.id;
    await lab.api('PUT', `/users/${id}/enabled`, { enabled: false });
    await lab.idle();
    await page.waitForSelector('#users tr[data-user="alice@example.com"] td[data-state="blocked"]');
    await page.fill('#clock-form input[name="minutes"]', '15');
    await page.click('#clock-form button[type="submit"]');
    await page.waitForSelector('#users tr[data-user="alice@example.com"] td[data-state="deactivated"]');
    expect(await page.innerText('#users tr[data-user="bob@example.com"] td[data-state]')).toBe('active');
    await shot('04-deactivated-after-clock');
  });

  it('switches a runtime-safe Code42 deviation with its checkbox', async () => {
    await page.click('details.switches[data-side="code42"] summary');
    await page.check('details.switches[data-side="code42"] input[name="allow-delete"]');
    await page.waitForSelector('#notice:has-text("allow-delete on: done")');
    expect(lab.c42.options.deviations.list()).toEqual(['allow-delete']);
    expect(await page.innerText('#deviations')).toContain('code42 in force: allow-delete');
    await shot('05-deviation-switched');
  });

  it('switches a PingOne deviation with its checkbox, in its own list', async () => {
    await page.click('details.switches[data-side="pingone"] summary');
    await page.check('details.switches[data-side="pingone"] input[name="no-lookup"]');
    await page.waitForSelector('#notice:has-text("no-lookup on: done")');
    expect(lab.p1.options.deviations.list()).toEqual(['no-lookup']);
    expect(await page.innerText('#deviations')).toContain('pingone in force: no-lookup');
  });

  it('loaded nothing but its own origin, with no script error', async () => {
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    // The one failed load is the wrong token typed in on purpose in the first test.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    expect(requested).not.toContain(`${origin}/favicon.ico`);
  });
});
