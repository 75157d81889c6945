/**
 * The report pages in a real browser against the built server with the demo company:
 * each page opens without console errors or failed requests, one filter changes through
 * the filter bar (the URL follows), one drill-down opens the deals behind a figure, and
 * a screenshot of the page lands in test/browser/screenshots/ for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, removeDir, requireBuild, SCREENSHOTS, startServer, tempDir, watchPage, type PageWatch, type RunningServer } from './harness';

let server: RunningServer | undefined;
let browser: BrowserContext | undefined;
let serverDir: string | undefined;
let browserDir: string | undefined;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  requireBuild();
  mkdirSync(SCREENSHOTS, { recursive: true });
  serverDir = tempDir('server');
  browserDir = tempDir('chromium');
  server = await startServer(join(serverDir, 'pipelens.duckdb'));
  browser = await launchBrowser(browserDir);
  page = await browser.newPage();
  watch = watchPage(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(browserDir);
  removeDir(serverDir);
});

async function screenshot(name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
}

/** Opens a page and waits until it is hydrated (every server chart replaced by the live one). */
async function open(path: string) {
  await page.mouse.move(0, 0);
  await page.goto(`${server!.url}${path}`, { waitUntil: 'networkidle' });
  await hydrated();
}

async function hydrated() {
  await page.waitForFunction(() => !document.querySelector('.plot-server') && document.documentElement.dataset.hydrated !== 'no');
}

/** Picks the second option of a filter select (the first is "All …"); the form submits itself. */
async function chooseFilter(id: string, param: string): Promise<string> {
  const value = await page.locator(`#${id} option`).nth(1).getAttribute('value');
  expect(value).toBeTruthy();
  await page.selectOption(`#${id}`, value!);
  await page.waitForURL((url) => url.searchParams.get(param) === value);
  await page.waitForLoadState('networkidle');
  await hydrated();
  return value!;
}

/** Follows a drill-down link and checks the deals list shows rows with the filter kept. */
async function drillDown(link: Locator, keeps: Record<string, string>) {
  await link.click();
  await page.waitForURL((url) => url.pathname === '/deals');
  await page.waitForLoadState('networkidle');
  const url = new URL(page.url());
  for (const [k, v] of Object.entries(keeps)) expect(url.searchParams.get(k), k).toBe(v);
  await expect(page.getByTestId('deal-row').count()).resolves.toBeGreaterThan(0);
  return url;
}

/** The tallest bar of a live chart matching `selector` (a zero-height bar cannot be clicked). */
async function tallest(selector: string): Promise<Locator> {
  const bars = page.locator(`.plot-live ${selector}`);
  const heights = await bars.evaluateAll((els) => els.map((el) => (el as SVGGraphicsElement).getBBox().height));
  expect(heights.length).toBeGreaterThan(0);
  return bars.nth(heights.indexOf(Math.max(...heights)));
}

describe('report pages in Chromium', () => {
  it('deals: lists the deals behind a filter set, sortable, with a CSV link', async () => {
    await open('/deals?status=won&period=FY2026Q3');
    await expect(page.getByTestId('deals-heading').innerText()).resolves.toBe('Won deals closing in FY2026 Q3');
    const rows = await page.getByTestId('deal-row').count();
    expect(rows).toBeGreaterThan(0);
    const owner = await chooseFilter('filter-owner', 'owner');
    expect(new URL(page.url()).searchParams.get('status')).toBe('won'); // the drill-down narrowing is kept
    await expect(page.getByTestId('deals-heading').innerText()).resolves.toContain(`owner ${owner}`);
    await expect(page.getByTestId('deal-row').count()).resolves.toBeLessThan(rows);
    await page.getByRole('button', { name: /Close date/ }).click();
    await expect(page.locator('th[aria-sort="ascending"]').innerText()).resolves.toMatch(/Close date/);
    await expect(page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).resolves.toContain('/api/metrics/deals?');
    await screenshot('deals.png');
    expect(watch.problems).toEqual([]);
  });

  it('forecast: stacked quarters, filter by owner, a segment opens its deals', async () => {
    await open('/forecast');
    await expect(page.title()).resolves.toBe('Forecast · Pipelens');
    await expect(page.locator('.plot-live h2').first().innerText()).resolves.toBe('Forecast by fiscal quarter');
    await expect(page.getByTestId('forecast-row').count()).resolves.toBeGreaterThan(1);
    const owner = await chooseFilter('filter-owner', 'owner');
    await screenshot('forecast.png');
    const bar = await tallest('svg.plot a[href*="forecast_category=Pipeline"] rect');
    const url = await drillDown(bar, { owner, status: 'open', forecast_category: 'Pipeline' });
    expect(url.searchParams.get('period')).toMatch(/^FY\d{4}Q[1-4]$/);
    await expect(page.getByTestId('deals-heading').innerText()).resolves.toMatch(/^Open deals closing in FY\d{4} Q[1-4] · forecast category Pipeline · owner /);
    expect(watch.problems).toEqual([]);
  });

  it('stuck deals: summary per reason, filter by owner and reason, a stage opens its open deals', async () => {
    await open('/stuck-deals');
    const all = Number(await page.locator('[data-testid="reason-all"] .tile-value').innerText());
    expect(all).toBeGreaterThan(0);
    await expect(page.getByTestId('stuck-row').count()).resolves.toBe(all);
    const owner = await chooseFilter('filter-owner', 'owner');
    await page.getByTestId('reason-stalled').click();
    await page.waitForURL((url) => url.searchParams.get('reason') === 'stalled' && url.searchParams.get('owner') === owner);
    await page.waitForLoadState('networkidle');
    const stalled = await page.getByTestId('stuck-row').count();
    expect(stalled).toBeGreaterThan(0);
    await expect(page.locator('[data-testid="stuck-row"] .badge.reason-stalled').count()).resolves.toBe(stalled);
    await page.getByRole('button', { name: /Pushes/ }).click();
    await screenshot('stuck-deals.png');
    await drillDown(page.locator('[data-testid="stuck-row"] a').first(), { owner, status: 'open' });
    expect(watch.problems).toEqual([]);
  });
});
