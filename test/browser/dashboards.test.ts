/**
 * The report pages in a real browser against the built server, in the demo company's
 * workspace (/w/demo/…, its API at /api/w/demo/…):
 * each page opens without console errors or failed requests, one filter changes through
 * the filter bar (the URL follows), one drill-down opens the deals behind a figure, and
 * a screenshot of the page lands in test/browser/screenshots/ for a person to look at.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportPage, useBrowserSession, type PageWatch } from './harness';

const session = useBrowserSession();
let page: Page;
let watch: PageWatch;
beforeAll(() => {
  ({ page, watch } = session);
});
const screenshot = (name: string) => session.screenshot(name);

const { open, hydrated, chooseFilter, drillDown } = reportPage(session);

/** The largest bar of the live charts matching `selector` (an empty bar cannot be clicked). */
async function largest(selector: string): Promise<Locator> {
  const bars = page.locator(selector);
  const heights = await bars.evaluateAll((els) =>
    els.map((el) => {
      const box = (el as SVGGraphicsElement).getBBox();
      return box.width * box.height;
    })
  );
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
    await expect(page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).resolves.toContain('/api/w/demo/metrics/deals?');
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
    const bar = await largest('.plot-live svg.plot a[*|href*="forecast_category=Pipeline"] rect');
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

  it('funnel: stages in order, filter by lead source, a bar opens the deals that reached its stage', async () => {
    await open('/funnel');
    await expect(page.locator('.plot-live h2').first().innerText()).resolves.toBe('Opportunity funnel');
    await expect(page.locator('.plot-live .takeaway').first().innerText()).resolves.toMatch(/^\d+% of [\d,]+ deals reached Won/);
    await expect(page.getByTestId('funnel-row').last().locator('td').first().innerText()).resolves.toBe('Won');
    await expect(page.getByTestId('lead-row').count()).resolves.toBeGreaterThan(1);
    const source = await chooseFilter('filter-source', 'lead_source');
    await screenshot('funnel.png');
    // The bar of the first stage with open deals (its table cell is a link).
    const stage = await page.locator('[data-testid="funnel-row"]:has(a)').first().locator('td').first().innerText();
    const bar = page.locator(`.plot-live svg.plot a rect[aria-label^="${stage}:"]`);
    const url = await drillDown(bar, { lead_source: source, date_field: 'created', reached: stage });
    expect(url.searchParams.get('status')).toBeNull();
    expect(watch.problems).toEqual([]);
  });

  it('win rates: trend and groups with sample sizes, filter by type, a bar opens the closed deals', async () => {
    await open('/win-rates');
    await expect(page.getByTestId('win-rate-total').innerText()).resolves.toMatch(/n = [\d,]+ closed deals/);
    await expect(page.locator('.plot-live svg.plot text', { hasText: /^n=\d+/ }).count()).resolves.toBeGreaterThan(1);
    const type = await chooseFilter('filter-type', 'type');
    await screenshot('win-rates.png');
    const bar = await largest('[data-testid="win-rate-owner"] .plot-live svg.plot a rect');
    const url = await drillDown(bar, { type, status: 'closed' });
    expect(url.searchParams.get('owner')).toBeTruthy();
    expect(watch.problems).toEqual([]);
  });

  it('stage durations: boxes per stage with the slowest named, filter by period, a stage opens its open deals', async () => {
    await open('/durations');
    await expect(page.locator('.plot-live .takeaway').first().innerText()).resolves.toMatch(/is the slowest stage/);
    await expect(page.locator('[data-testid="duration-row"] .badge', { hasText: 'Slowest' }).count()).resolves.toBe(1);
    const period = await chooseFilter('filter-period', 'period', '(this quarter)');
    expect(period).toMatch(/^FY\d{4}Q[1-4]$/);
    await screenshot('durations.png');
    const stage = await page.locator('[data-testid="duration-row"]:has(a)').first().locator('td').first().innerText();
    const bar = page.locator(`.plot-live svg.plot a rect[aria-label^="${stage.replace(/\s*Slowest$/, '')}:"]`);
    const url = await drillDown(bar, { status: 'open' });
    expect(url.searchParams.get('period')).toBeNull(); // open deals now: the visits' period does not apply
    expect(watch.problems).toEqual([]);
  });

  it('sources: won amount and conversion per source, filter by owner, a bar opens the won deals of a source', async () => {
    await open('/sources');
    await expect(page.getByTestId('source-row').count()).resolves.toBeGreaterThan(1);
    const owner = await chooseFilter('filter-owner', 'owner');
    await screenshot('sources.png');
    const bar = await largest('.plot-live svg.plot a rect');
    const url = await drillDown(bar, { owner, status: 'won', date_field: 'created' });
    expect(url.searchParams.get('lead_source')).toBeTruthy();
    expect(watch.problems).toEqual([]);
  });

  it('snapshots: compares two snapshots as a waterfall, the End bar opens the open deals of the period', async () => {
    await open('/snapshots');
    await expect(page.getByTestId('waterfall-table').locator('tbody tr').count()).resolves.toBe(11);
    const oldest = await page.locator('#compare-base option').last().getAttribute('value');
    await page.selectOption('#compare-base', oldest!);
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL((url) => url.searchParams.get('base') === oldest);
    await page.waitForLoadState('networkidle');
    await hydrated();
    await expect(page.locator('.plot-live .takeaway').first().innerText()).resolves.toMatch(/^The period's open pipeline (grew|shrank|did not change)/);
    await screenshot('snapshots-compare.png');
    const later = await page.locator('#compare-later').inputValue();
    const url = await drillDown(page.locator('.plot-live svg.plot a rect[aria-label^="End:"]'), { snapshot: later, status: 'open' });
    expect(url.searchParams.get('period')).toMatch(/^FY\d{4}Q[1-4]$/);
    expect(watch.problems).toEqual([]);
  });

  it('overview: forecast, cycle, stuck count and sparklines; another snapshot; a figure opens its deals', async () => {
    await open('/');
    for (const id of ['kpi-forecast', 'kpi-cycle', 'kpi-stuck']) {
      await expect(page.locator(`[data-testid="${id}"] .kpi-value`).innerText(), id).resolves.toMatch(/\d/);
    }
    await expect(page.locator('[data-testid="kpi-open-pipeline"] .kpi-chart svg.plot').count()).resolves.toBe(1);
    await screenshot('overview-kpis.png');
    // The snapshot select is the overview's filter.
    const older = await page.locator('#snapshot-select option').nth(1).getAttribute('value');
    await page.selectOption('#snapshot-select', older!);
    await page.waitForURL((url) => url.searchParams.get('snapshot') === older);
    await page.waitForLoadState('networkidle');
    await hydrated();
    await expect(page.locator('h1 + p').innerText()).resolves.toContain(`Snapshot #${older}`);
    const url = await drillDown(page.locator('[data-testid="kpi-open-pipeline"] .kpi-value a'), { snapshot: older!, status: 'open' });
    const listed = Number(/[\d,]+/.exec(await page.locator('[data-testid="deals-heading"] + p').innerText())![0].replace(/,/g, ''));
    expect(listed).toBeGreaterThan(0);
    expect(url.pathname).toBe('/w/demo/deals');
    expect(watch.problems).toEqual([]);
  });

  it('trends: open pipeline per snapshot, by forecast category, filter by owner, a cell opens that snapshot’s deals', async () => {
    await open('/trends');
    await expect(page.title()).resolves.toBe('Trends · Pipelens');
    await expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]').innerText()).resolves.toBe('Trends');
    await expect(page.locator('.plot-live h2').first().innerText()).resolves.toBe('Open pipeline by stage across snapshots');
    await expect(page.locator('.plot-live .takeaway').first().innerText()).resolves.toMatch(/^Open pipeline (grew|shrank) from /);
    await expect(page.getByTestId('trend-row').count()).resolves.toBe(8);
    await screenshot('trends-by-stage.png');
    await page.selectOption('#param-by', 'forecast_category');
    await page.waitForURL((url) => url.searchParams.get('by') === 'forecast_category');
    await page.waitForLoadState('networkidle');
    await hydrated();
    await expect(page.locator('.plot-live h2').first().innerText()).resolves.toBe('Open pipeline by forecast category across snapshots');
    const owner = await chooseFilter('filter-owner', 'owner');
    expect(new URL(page.url()).searchParams.get('by')).toBe('forecast_category'); // the grouping is kept
    await page.getByRole('button', { name: /All open/ }).click();
    await expect(page.locator('th[aria-sort="descending"]').innerText()).resolves.toMatch(/All open/);
    await expect(page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).resolves.toContain('by=forecast_category');
    await screenshot('trends.png');
    const cell = page.locator('[data-testid="trend-row"] a[href*="forecast_category=Commit"]').first();
    const url = await drillDown(cell, { owner, status: 'open', forecast_category: 'Commit' });
    expect(url.searchParams.get('snapshot')).toMatch(/^\d+$/);
    // The first snapshot has nothing before it: the page says what a trend needs.
    const first = await page.locator('#snapshot-select option').last().getAttribute('value');
    await open(`/trends?snapshot=${first}`);
    await expect(page.getByTestId('empty').innerText()).resolves.toMatch(/^Trends need at least two snapshots/);
    await screenshot('trends-one-snapshot.png');
    expect(watch.problems).toEqual([]);
  });

  it('forecast accuracy and trend: the best method named, another quarter followed, closed won opens its deals', async () => {
    await open('/forecast');
    await expect(page.getByTestId('accuracy-best').innerText()).resolves.toMatch(/been (equally )?the most accurate for this team: WAPE [\d.]+%/);
    await expect(page.locator('[data-testid^="wape-"] .kpi-value').count()).resolves.toBe(4);
    await expect(page.getByTestId('accuracy-row').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#trend .plot-live h2').innerText()).resolves.toMatch(/^FY\d{4} Q[1-4] forecast, snapshot by snapshot$/);
    await expect(page.locator('#trend [data-testid="trend-row"]').count()).resolves.toBe(8);
    // The quarter before this one: ended, so its closed won is the actual.
    const quarters = await page.locator('#param-trend_quarter option').evaluateAll((els) => els.map((el) => [(el as HTMLOptionElement).value, el.textContent ?? '']));
    const quarter = quarters[quarters.findIndex(([, label]) => label.includes('(this quarter)')) + 1][0];
    await page.selectOption('#param-trend_quarter', quarter!);
    await page.waitForURL((url) => url.searchParams.get('trend_quarter') === quarter);
    await page.waitForLoadState('networkidle');
    await hydrated();
    await expect(page.locator('#trend-heading').innerText()).resolves.toContain(quarter!.replace('Q', ' Q'));
    const owner = await chooseFilter('filter-owner', 'owner');
    expect(new URL(page.url()).searchParams.get('trend_quarter')).toBe(quarter); // the followed quarter is kept
    await screenshot('forecast-accuracy.png');
    const url = await drillDown(page.locator('#trend [data-testid="trend-row"] a').last(), { owner, status: 'won', period: quarter! });
    expect(url.searchParams.get('snapshot')).toMatch(/^\d+$/);
    expect(watch.problems).toEqual([]);
  });
});
