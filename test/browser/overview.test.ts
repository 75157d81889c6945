/**
 * End to end in a real browser: the built app served by `pipelens serve` (demo company
 * loaded into its own workspace, the default workspace empty), the demo's overview, an
 * upload of the real Salesforce Data Export through the file input of the default
 * workspace (not the demo's: it is another company's data), the new snapshot's overview,
 * and a rejected upload.
 * Screenshots land in test/browser/screenshots/ (git-ignored) for a person to look at.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inWorkspace, removeDir, tempDir, useBrowserSession, type PageWatch } from './harness';

const EXPORT_DIR = resolve(process.cwd(), 'test/fixtures/public/salesforce-data-export');

const session = useBrowserSession();
let page: Page;
let watch: PageWatch;
beforeAll(() => {
  ({ page, watch } = session);
});
const screenshot = (name: string) => session.screenshot(name);

/**
 * Opens a workspace-free path in a workspace (the demo's unless 'default' is given: the
 * plain paths) and waits until the page is hydrated, so clicks and uploads go through the
 * app's handlers.
 */
async function open(path: string, workspace = 'demo') {
  await page.mouse.move(0, 0); // no hovered link left preloading from the previous page
  await page.goto(`${session.server.url}${inWorkspace(workspace, path)}`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => document.querySelector('.plot-live svg, .plot-live figure') !== null || !document.querySelector('.plot-server'));
}

describe('overview and snapshots in Chromium', () => {
  it('shows the KPI tiles and the open pipeline chart of the latest snapshot', async () => {
    await open('/');
    await expect(page.title()).resolves.toBe('Overview · Pipelens');
    for (const id of ['kpi-open-pipeline', 'kpi-closed-won', 'kpi-win-rate']) {
      const value = await page.locator(`[data-testid="${id}"] .kpi-value`).innerText();
      expect(value, id).toMatch(/\d/);
    }
    await expect(page.locator('[data-testid="kpi-win-rate"]').innerText()).resolves.toMatch(/n = \d/);
    // The chart re-rendered in the browser: bars, the title and the takeaway.
    const chart = page.locator('.plot-live');
    await expect(chart.locator('svg.plot rect').count()).resolves.toBeGreaterThan(2);
    await expect(chart.locator('h2').innerText()).resolves.toBe('Open pipeline by stage');
    await expect(chart.locator('.takeaway').innerText()).resolves.toMatch(/holds the most open pipeline/);
    await expect(page.locator('details.note').count()).resolves.toBeGreaterThanOrEqual(4);
    // The table sorts when a header is clicked (numbers start descending).
    await page.getByRole('button', { name: /Open amount/ }).click();
    await expect(page.locator('.table-section th[aria-sort="descending"]').innerText()).resolves.toMatch(/Open amount/);
    const amounts = (await page.locator('.table-section tbody tr td:nth-child(3)').evaluateAll((tds) => tds.map((td) => td.getAttribute('title') ?? ''))).map(
      (t) => Number(t.replace(/[^\d.]/g, ''))
    );
    expect(amounts.length).toBeGreaterThan(2);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    await page.getByRole('button', { name: /Stage/ }).click(); // back to stage order for the screenshot
    await screenshot('overview.png');
    expect(watch.problems).toEqual([]);
  });

  let uploadedId = 0;

  it('uploads the Salesforce Data Export CSVs and lists the new snapshot', async () => {
    const demoBefore = await (await fetch(`${session.server.demoApi}/snapshots`)).text();
    await open('/snapshots', 'default');
    const rowsBefore = await page.getByTestId('snapshot-row').count();
    expect(rowsBefore).toBe(0); // the default workspace starts empty: the demo has its own
    const files = readdirSync(EXPORT_DIR)
      .filter((f) => f.toLowerCase().endsWith('.csv'))
      .map((f) => join(EXPORT_DIR, f));
    expect(files).toHaveLength(5);
    await page.getByTestId('upload-input').setInputFiles(files);
    const result = page.getByTestId('upload-result');
    await result.getByText(/Snapshot \d+ created/).waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    expect(text).toMatch(/Snapshot \d+ created \(as of .+, 31 deals\)/);
    uploadedId = Number(/Snapshot (\d+) created/.exec(text)![1]);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="snapshot-row"]').length === n, rowsBefore + 1);
    await expect(page.locator(`[data-testid="snapshot-row"] a[href="/?snapshot=${uploadedId}"]`).count()).resolves.toBe(1);
    await screenshot('snapshots.png');
    // the demo company's workspace did not get it
    expect(await (await fetch(`${session.server.demoApi}/snapshots`)).text()).toBe(demoBefore);
    expect(watch.problems).toEqual([]);
  });

  it('shows the overview of the uploaded snapshot', async () => {
    expect(uploadedId).toBeGreaterThan(0);
    await open(`/?snapshot=${uploadedId}`, 'default');
    await expect(page.locator('h1 + p').innerText()).resolves.toContain(`Snapshot #${uploadedId}`);
    await expect(page.locator('#snapshot-select').inputValue()).resolves.toBe(String(uploadedId));
    // The real export: 13 open deals worth 2,115,000 (no currency in the export).
    await expect(page.locator('[data-testid="kpi-open-pipeline"]').innerText()).resolves.toContain('13 open deals');
    await expect(page.locator('[data-testid="kpi-open-pipeline"] .kpi-value').getAttribute('title')).resolves.toBe('2,115,000');
    await expect(page.locator('.plot-live svg.plot').count()).resolves.toBe(1);
    await screenshot('overview-uploaded.png');
    expect(watch.problems).toEqual([]);
  });

  it('shows the problems of a rejected upload', async () => {
    const dir = tempDir('bad-upload');
    try {
      const bad = join(dir, 'Opportunity.csv');
      writeFileSync(
        bad,
        'Id,Name,StageName,Amount,CloseDate,IsClosed,IsWon,CreatedDate\n' +
          '006000000000001AAA,Acme,Prospecting,1000,not-a-date,0,0,2024-01-02 10:00:00\n'
      );
      await open('/snapshots', 'default');
      const rowsBefore = await page.getByTestId('snapshot-row').count();
      watch.expect('POST', '/api/snapshots', 422);
      await page.getByTestId('upload-input').setInputFiles(bad);
      const result = page.getByTestId('upload-result');
      await result.getByText('Upload rejected').waitFor({ timeout: 30_000 });
      const problems = result.locator('table.problems tbody tr');
      await expect(problems.count()).resolves.toBe(1);
      await expect(problems.first().locator('td').allInnerTexts()).resolves.toEqual(['Opportunity.csv', '2', 'CloseDate', 'not a date: "not-a-date"']);
      await expect(page.getByTestId('snapshot-row').count()).resolves.toBe(rowsBefore);
      await screenshot('upload-rejected.png');
      expect(watch.problems).toEqual([]);
    } finally {
      removeDir(dir);
    }
  });
});
