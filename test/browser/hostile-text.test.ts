/**
 * Deal, owner, stage and source names carrying HTML and script are shown as text on
 * every page: nothing runs, and the deals page shows the names as written. The file goes
 * into the default workspace (plain /api/… and page paths), not the demo company's.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, requireBuild, startServer, tempDir, watchPage, type RunningServer } from './harness';

const XSS_NAME = '<img src=x onerror="window.__xss=1">Acme';
const XSS_STAGE = '<script>window.__xss=2</script>Review';
const XSS_OWNER = '<b onmouseover="window.__xss=3">Mallory</b>';
const XSS_SOURCE = '"><svg onload="window.__xss=4">';

const csv = [
  '"Id","Name","StageName","Amount","CloseDate","CreatedDate","IsClosed","IsWon","LeadSource","OwnerName","LastActivityDate"',
  `"X1","${XSS_NAME.replace(/"/g, '""')}","${XSS_STAGE}","5000","2026-12-15","2026-10-01 10:00:00","0","0","${XSS_SOURCE.replace(/"/g, '""')}","${XSS_OWNER.replace(/"/g, '""')}","2026-09-01"`,
  `"X2","Plain deal","Closed Won","7000","2026-10-15","2026-08-01 10:00:00","1","1","Web","Bob","2026-10-15"`
].join('\n');

const PAGES = ['/', '/funnel', '/win-rates', '/sources', '/stuck-deals', '/durations', '/forecast', '/trends', '/snapshots', '/deals', '/settings'];

describe('hostile names', () => {
  const dir = tempDir('hostile');
  let server: RunningServer;
  let browser: BrowserContext;
  let snapshot: number;
  beforeAll(async () => {
    requireBuild();
    server = await startServer(join(dir, 'pipelens.duckdb'));
    const form = new FormData();
    form.append('files', new File([csv], 'Opportunity.csv'));
    const res = await fetch(`${server.url}/api/snapshots?as_of=2026-11-20T00:00:00Z`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    snapshot = (await res.json()).snapshot_id;
    browser = await launchBrowser(join(dir, 'chromium'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(PAGES)('%s shows them as text and runs nothing', async (path) => {
    const page = await browser.newPage();
    const watch = watchPage(page);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`${server.url}${path}?snapshot=${snapshot}`);
    await page.waitForLoadState('networkidle');
    await page.mouse.move(400, 400);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toBe(0);
    if (path === '/deals') {
      const text = await page.locator('main').textContent();
      expect(text).toContain(XSS_NAME);
      expect(text).toContain(XSS_OWNER);
    }
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
