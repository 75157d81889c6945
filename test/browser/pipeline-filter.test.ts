/**
 * The pipeline filter in a real browser. The demo company (workspace demo) has one
 * pipeline (no Pipeline select); the HubSpot fixture (test/fixtures/hubspot: Sales
 * Pipeline and Renewals) is uploaded through the API into the default workspace (another
 * company's data: not into the demo's), and its funnel narrowed to Renewals: only Renewals' stages
 * show, and a bar opens the Renewals deals that reached its stage, the pipeline kept.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers';
import { reportPage, useBrowserSession } from './harness';

const session = useBrowserSession();
const demo = reportPage(session);
/** the default workspace's pages (plain paths), where the HubSpot fixture goes */
const { open, chooseFilter, drillDown } = reportPage(session, 'default');
let snapshot: string;

beforeAll(async () => {
  const dir = join(FIXTURES, 'hubspot');
  const body = new FormData();
  for (const name of readdirSync(dir)) body.append('files', new File([readFileSync(join(dir, name))], name));
  const res = await fetch(`${session.server.url}/api/snapshots`, { method: 'POST', body });
  expect(res.status).toBe(201);
  snapshot = String(((await res.json()) as { snapshot_id: number }).snapshot_id);
});

describe('pipeline filter in Chromium', () => {
  it('is not offered for the demo company, which has one pipeline', async () => {
    await demo.open('/funnel');
    await expect(session.page.locator('#filter-owner').count()).resolves.toBe(1);
    await expect(session.page.locator('#filter-pipeline').count()).resolves.toBe(0);
    await expect(session.page.getByTestId('pipeline-hint').count()).resolves.toBe(0);
  });

  it("funnel: picking a pipeline shows its stages only; a bar opens that pipeline's deals", async () => {
    const { page, watch } = session;
    // two pipelines, each with its own stages: the funnel shows one at a time, the first unless one is chosen
    await open(`/funnel?snapshot=${snapshot}`);
    expect(new URL(page.url()).searchParams.get('pipeline')).toBe('Renewals');
    await expect(page.locator('#filter-pipeline option').allInnerTexts()).resolves.toEqual(['All pipelines', 'Renewals', 'Sales Pipeline']);
    await expect(page.getByTestId('pipeline-hint').innerText()).resolves.toContain('2 pipelines (Renewals, Sales Pipeline), each with its own stages: this page shows one at a time, now Renewals');
    const stages = () => page.locator('[data-testid="funnel-row"] td:first-child').allInnerTexts();

    await chooseFilter('filter-pipeline', 'pipeline', 'Sales Pipeline');
    expect(new URL(page.url()).searchParams.get('snapshot')).toBe(snapshot);
    await expect(stages()).resolves.not.toContain('Renewal due');
    await chooseFilter('filter-pipeline', 'pipeline', 'Renewals');
    // Renewals: 4 deals reached Renewal due, 2 Quote sent (201, 202), 1 won (201).
    await expect(stages()).resolves.toEqual(['Renewal due', 'Quote sent', 'Won']);
    await expect(page.locator('[data-testid="funnel-row"] td:nth-child(2)').allInnerTexts()).resolves.toEqual(['4', '2', '1']);
    await expect(page.locator('.report-header p').innerText()).resolves.toContain('pipeline Renewals');
    const labels = await page.locator('.plot-live svg.plot a rect').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')?.split(':')[0]));
    expect(labels).toEqual(['Renewal due', 'Quote sent', 'Won']);
    await session.screenshot('funnel-pipeline.png');

    const url = await drillDown(page.locator('.plot-live svg.plot a rect[aria-label^="Renewal due:"]'), {
      snapshot,
      pipeline: 'Renewals',
      reached: 'Renewal due',
      date_field: 'created'
    });
    expect(url.searchParams.get('status')).toBeNull();
    await expect(page.getByTestId('deals-heading').innerText()).resolves.toBe('Deals pipeline Renewals · that reached Renewal due');
    await expect(page.locator('#filter-pipeline').inputValue()).resolves.toBe('Renewals');
    // Every listed deal is a Renewals deal: 201 to 204, largest first.
    const headers = await page.locator('thead th').allInnerTexts();
    const column = headers.findIndex((h) => h.trim().startsWith('Pipeline'));
    expect(column).toBeGreaterThan(-1);
    const rows = page.getByTestId('deal-row');
    await expect(rows.locator(`td:nth-child(${column + 1})`).allInnerTexts()).resolves.toEqual(['Renewals', 'Renewals', 'Renewals', 'Renewals']);
    await expect(rows.locator('td:first-child').allInnerTexts()).resolves.toEqual(['Acme renewal', 'Gorse renewal', 'Birch renewal', 'Fir renewal']);
    await session.screenshot('deals-pipeline.png');
    expect(watch.problems).toEqual([]);
  });

  it('every page with a filter bar offers and keeps the pipeline; durations shows its stages only', async () => {
    const { page, watch } = session;
    for (const path of ['/win-rates', '/sources', '/forecast', '/stuck-deals', '/trends', '/deals', '/durations']) {
      await open(`${path}?snapshot=${snapshot}&pipeline=Renewals`);
      await expect(page.locator('#filter-pipeline').inputValue(), path).resolves.toBe('Renewals');
    }
    // Renewals' open stages; Renewal due (median 31 d) is slower than Quote sent (29 d).
    const durationStages = await page.locator('[data-testid="duration-row"] td:first-child').allInnerTexts();
    expect(durationStages.map((t) => t.replace(/\s+/g, ' '))).toEqual(['Renewal due Slowest', 'Quote sent']);
    expect(watch.problems).toEqual([]);
  });
});
