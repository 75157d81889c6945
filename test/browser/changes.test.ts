/** The snapshot comparison's movements open the deals behind them (the demo company's workspace). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchBrowser, requireBuild, startServer, tempDir, watchPage, type RunningServer } from './harness';

describe('pipeline changes drill-down', () => {
  const dir = tempDir('changes');
  let server: RunningServer;
  let browser: BrowserContext;
  beforeAll(async () => {
    requireBuild();
    server = await startServer(join(dir, 'pipelens.duckdb'));
    browser = await launchBrowser(join(dir, 'chromium'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the "Won" movement of the waterfall to its deals', async () => {
    const totals = await (await fetch(`${server.demoApi}/metrics/pipeline-changes`)).json();
    const won = totals.rows.find((r: { bucket: string }) => r.bucket === 'won');
    expect(won.deals).toBeGreaterThan(0);

    const page = await browser.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.demo}/snapshots`);
    await page.waitForLoadState('networkidle');
    // Plot links bars with xlink:href once hydrated, plain href when rendered on the server
    const href = await page.evaluate(() =>
      [...document.querySelectorAll('svg a')]
        .map((a) => a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))
        .find((h) => h?.includes('bucket=won'))
    );
    expect(href).toMatch(/^\/w\/demo\/snapshots\/changes\?snapshot=\d+&base=\d+&period=FY\d{4}Q\d&bucket=won$/);
    await page.goto(server.url + href);
    await expect(page.locator('tbody tr').count()).resolves.toBe(won.deals);
    expect(await page.locator('h1').textContent()).toMatch(/^Won: snapshot #\d+ → #\d+/);
    await page.screenshot({ path: join(SCREENSHOTS, 'snapshot-changes.png'), fullPage: true });
    expect(watch.problems).toEqual([]);
  });
});
