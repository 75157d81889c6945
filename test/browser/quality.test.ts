/**
 * The data-quality report in Chromium: the real Salesforce developer-org sample (deals
 * closed before they were created, stage history all at one load instant) uploaded into
 * the default workspace; the snapshot list's badge, the Data quality page and its drill
 * to the deals a check hits, and the pages whose figures the checks guard (overview,
 * durations) showing "–" with the reason instead of a negative cycle or a slowest stage
 * over nothing. Screenshots at laptop and phone width.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VIEWPORT, reportPage, useBrowserSession } from './harness';

const EXPORT_DIR = resolve(process.cwd(), 'test/fixtures/public/salesforce-data-export');
const PHONE = { width: 390, height: 844 };

const session = useBrowserSession();
const steps = reportPage(session, 'default');
let snapshot = 0;

beforeAll(async () => {
  const body = new FormData();
  for (const name of ['opportunity.csv', 'OpportunityHistory.csv', 'account.csv', 'lead.csv']) body.append('files', new File([readFileSync(join(EXPORT_DIR, name))], name));
  const res = await fetch(`${session.server.url}/api/snapshots`, { method: 'POST', body });
  expect(res.status).toBe(201);
  snapshot = (await res.json()).snapshot_id;
}, 60_000);

async function atBothWidths(name: string) {
  for (const [width, size] of [['laptop', VIEWPORT], ['phone', PHONE]] as const) {
    await session.page.setViewportSize(size);
    await session.screenshot(`quality-${name}-${width}.png`);
  }
  await session.page.setViewportSize(VIEWPORT);
}

describe('data quality in Chromium', () => {
  it('badges the snapshot in the list and reports every check, worst first', async () => {
    const page = session.page;
    await steps.open('/snapshots');
    await expect(page.getByTestId(`quality-${snapshot}`).innerText()).resolves.toBe('2 unusable');
    await page.getByTestId(`quality-${snapshot}`).click();
    await page.waitForURL((url) => url.pathname === '/quality' && url.searchParams.get('snapshot') === String(snapshot));
    await expect(page.getByTestId('quality-summary').innerText()).resolves.toMatch(/^2 unusable 1 warning 16 checks run$/);
    const rows = page.getByTestId('check');
    await expect(rows.count()).resolves.toBe(16);
    await expect(rows.nth(0).innerText()).resolves.toMatch(/^Unusable\s+30 deals close before they were created \(18 of 18 won deals/);
    await expect(rows.nth(1).innerText()).resolves.toMatch(/^Unusable\s+62 stage-history rows of 62 carry one instant/);
    await atBothWidths('report');
    expect(session.watch.problems).toEqual([]);
  });

  it('opens the deals a check hits', async () => {
    const page = session.page;
    await page.getByTestId('drill-close-before-created').click();
    await page.waitForURL((url) => url.pathname === '/deals' && url.searchParams.get('check') === 'close-before-created');
    await expect(page.getByTestId('deals-heading').innerText()).resolves.toBe('Deals hit by the data-quality check close-before-created');
    await expect(page.locator('[data-testid="deal-row"]').count()).resolves.toBe(30);
    expect(session.watch.problems).toEqual([]);
  });

  it('shows no negative cycle on the overview and no slowest stage on the durations page: "–" and the reason', async () => {
    const page = session.page;
    await steps.open(`/?snapshot=${snapshot}`);
    await expect(page.getByTestId('quality-banner').innerText()).resolves.toContain('2 checks found data some figures cannot be computed from');
    await expect(page.locator('[data-testid="kpi-cycle"] .kpi-value').innerText()).resolves.toBe('–');
    await expect(page.locator('[data-testid="kpi-cycle"]').innerText()).resolves.not.toMatch(/−|-\d/);
    await expect(page.getByTestId('caveat-close-before-created').innerText()).resolves.toMatch(/^Not shown \(avg cycle days, velocity\): 30 deals close before/);
    await atBothWidths('overview');
    await steps.open('/durations');
    await expect(page.getByTestId('caveat-history-one-instant').innerText()).resolves.toContain('carry one instant');
    await expect(page.locator('.badge', { hasText: 'Slowest' }).count()).resolves.toBe(0);
    await atBothWidths('durations');
    expect(session.watch.problems).toEqual([]);
  });
});
