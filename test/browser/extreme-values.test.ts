/**
 * The extreme values ingest accepts (close and created dates on 1900-01-01 and 2199-12-31,
 * amounts of ±10^15 and negative ones, probability 0, snapshots dated at both ends of the
 * range) open every report page without a 500, a console error or a failed request. A
 * close date in year 10000 is refused with 422 and changes nothing. The files go into the
 * default workspace of a server without the demo.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBuild, startServer, tempDir, watchPage, type RunningServer } from './harness';

const HEADER = '"Id","Name","StageName","Amount","Probability","CloseDate","CreatedDate","IsClosed","IsWon","LeadSource","OwnerName","LastActivityDate","CurrencyIsoCode"';
const DEALS = [
  '"E1","Oldest","Prospecting","1000000000000000","0","1900-01-01","1900-01-01 00:00:00","0","0","Web","Ann","1900-01-01","USD"',
  '"E2","Latest","Negotiation/Review","-1000000000000000","100","2199-12-31","2199-12-31 23:59:59","0","0","Partner","Bob","2199-12-31","USD"',
  '"E3","Refund","Closed Won","-500","0","2199-12-31","1900-01-01 00:00:00","1","1","Web","Ann","2199-12-31","USD"',
  '"E4","Lost big","Closed Lost","1000000000000000","0","1900-01-01","1900-01-01 00:00:00","1","0","","Bob","","USD"'
];
const HISTORY = [
  '"OpportunityId","StageName","CreatedDate","Amount","CloseDate"',
  '"E1","Prospecting","1900-01-01 00:00:00","1000000000000000","1900-01-01"',
  '"E2","Prospecting","1900-01-01 00:00:00","-1000000000000000","2199-12-31"',
  '"E2","Negotiation/Review","2199-12-31 23:59:59","-1000000000000000","2199-12-31"',
  '"E3","Prospecting","1900-01-01 00:00:00","-500","2199-12-31"',
  '"E3","Closed Won","2199-12-31 00:00:00","-500","2199-12-31"'
].join('\n');

const PAGES = ['/', '/trends', '/funnel', '/win-rates', '/sources', '/stuck-deals', '/durations', '/forecast', '/deals', '/snapshots', '/quality', '/settings'];

describe('extreme values an export may hold', () => {
  const dir = tempDir('extreme');
  let server: RunningServer;
  let browser: BrowserContext;
  const snapshots: number[] = [];
  beforeAll(async () => {
    requireBuild();
    server = await startServer(join(dir, 'pipelens.duckdb'), { demo: false });
    // two snapshots, dated at both ends of the range, so comparisons and trends have two
    for (const [asOf, deals] of [['1900-01-01T00:00:00Z', DEALS.slice(0, 2)], ['2199-12-31T23:59:59Z', DEALS]] as const) {
      const form = new FormData();
      form.append('files', new File([[HEADER, ...deals].join('\n')], 'Opportunity.csv'));
      form.append('files', new File([HISTORY], 'OpportunityHistory.csv'));
      const res = await fetch(`${server.url}/api/snapshots?as_of=${asOf}`, { method: 'POST', body: form });
      expect(res.status, await res.clone().text()).toBe(201);
      snapshots.push((await res.json()).snapshot_id);
    }
    browser = await launchBrowser(join(dir, 'chromium'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a close date in year 10000 with 422, naming it', async () => {
    const form = new FormData();
    form.append('files', new File([[HEADER, DEALS[0].replace('"1900-01-01","1900-01-01 00:00:00"', '"10000-01-01","1900-01-01 00:00:00"')].join('\n')], 'Opportunity.csv'));
    const res = await fetch(`${server.url}/api/snapshots?as_of=2026-11-20`, { method: 'POST', body: form });
    expect(res.status).toBe(422);
    expect((await res.json()).problems).toEqual([
      { file: 'Opportunity.csv', line: 2, column: 'CloseDate', reason: 'out of range, not a date from 1900-01-01 to 2199-12-31: "10000-01-01"' }
    ]);
  });

  it.each(PAGES)('%s opens on either snapshot without an error', async (path) => {
    for (const snapshot of snapshots) {
      const page = await browser.newPage();
      const watch = watchPage(page);
      const res = await page.goto(`${server.url}${path}?snapshot=${snapshot}`);
      expect(res?.status(), `${path} on snapshot ${snapshot}`).toBe(200);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('main').textContent()).resolves.not.toContain('Internal Error');
      expect(watch.problems, `${path} on snapshot ${snapshot}`).toEqual([]);
      await page.close();
    }
  });
});
