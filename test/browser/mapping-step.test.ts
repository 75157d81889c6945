/**
 * The upload page's mapping step in Chromium against the built server (mappings saved in
 * a temporary folder), in the default workspace (plain /snapshots and /api/…: the demo
 * company's workspace gets no unrelated data): a CSV in no known format is refused, "Map its columns" proposes a
 * mapping and previews the first rows as read, the edited mapping is saved and the file
 * uploaded through it; the same file uploaded again is recognised by its headers.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, reportPage, useBrowserSession, type PageWatch } from './harness';

const EURO_DEALS = resolve(process.cwd(), 'test/fixtures/mapped/euro-deals.csv');

const session = useBrowserSession();
let page: Page;
let watch: PageWatch;
beforeAll(() => {
  ({ page, watch } = session);
});
/** the default workspace's pages: the uploads here are not the demo company's */
const { open } = reportPage(session, 'default');

/** The preview's first row, field → the cell's text. */
async function firstPreviewRow(): Promise<Record<string, string>> {
  const cells = page.getByTestId('preview-row').first().locator('td[data-field]');
  const fields = await cells.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.field!));
  const texts = await cells.allInnerTexts();
  return Object.fromEntries(fields.map((f, i) => [f, texts[i].trim()]));
}

describe('mapping step in Chromium', () => {
  it('maps a CSV in no known format, previews it, saves the mapping and uploads through it', async () => {
    await open('/snapshots');
    const rowsBefore = await page.getByTestId('snapshot-row').count();
    watch.expect('POST', '/api/snapshots', 422);
    await page.getByTestId('upload-input').setInputFiles(EURO_DEALS);
    const result = page.getByTestId('upload-result');
    await result.getByText('Upload rejected').waitFor({ timeout: 30_000 });
    await expect(result.locator('table.problems tbody td').nth(3).innerText()).resolves.toMatch(/^not a Salesforce export, nor a HubSpot or Pipedrive deals export: the closest format/);

    await result.getByRole('button', { name: 'Map its columns' }).click();
    const step = page.getByTestId('mapping-step');
    await step.getByTestId('mapping-preview').waitFor({ timeout: 30_000 });
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('mapping-heading');
    await expect(step.locator('h3').innerText()).resolves.toBe('Map the columns of euro-deals.csv');

    // The proposal: fields by header name, "—" for the rest; date and number formats from the values.
    const proposed: Record<string, string> = {};
    for (const field of ['deal_id', 'name', 'stage', 'amount', 'currency', 'close_date', 'created_date', 'owner', 'lead_source', 'probability']) {
      proposed[field] = await step.getByTestId(`map-${field}`).inputValue();
    }
    await expect(step.getByLabel('Deal id *', { exact: true }).inputValue()).resolves.toBe('Deal ID'); // each select has its label
    expect(proposed).toEqual({
      deal_id: 'Deal ID', name: 'Deal name', stage: 'Stage', amount: 'Value', currency: '', close_date: 'Close', created_date: 'Created',
      owner: 'Owner', lead_source: '', probability: ''
    });
    await expect(step.getByLabel('Date patterns').inputValue()).resolves.toBe('%d/%m/%Y');
    await expect(step.getByLabel('Decimal separator').inputValue()).resolves.toBe(',');
    await expect(step.getByLabel('Thousands separator').inputValue()).resolves.toBe('.');
    await expect(step.getByLabel('Fixed currency').inputValue()).resolves.toBe('EUR');
    await expect(step.getByLabel('Mapping name').inputValue()).resolves.toBe('euro-deals');

    // The first row as Pipelens reads it: "1.234,50" is 1,234.5; 31/01/2025 is 2025-01-31.
    await expect(page.getByTestId('preview-row').count()).resolves.toBe(5);
    expect(await firstPreviewRow()).toMatchObject({ deal_id: 'E1', name: 'Alpha', stage: 'Negotiation', amount: '1,234.5', close_date: '2025-01-31', created_date: '2024-11-15', owner: 'Anna' });

    // Outcome: won when Result equals Won, lost when Result equals Lost; preview again.
    await step.getByLabel('Won: column').selectOption('Result');
    await step.getByLabel('Won: value').fill('Won');
    await step.getByLabel('Lost: column').selectOption('Result');
    await step.getByLabel('Lost: value').fill('Lost');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/mappings/inspect')), step.getByRole('button', { name: 'Preview' }).click()]);
    await page.waitForFunction(() => !document.querySelector('[data-testid="mapping-preview"] .stale') && !document.querySelector('.actions button:disabled'));
    const outcomes = await page.locator('[data-testid="preview-row"] td[data-field="outcome"]').allInnerTexts();
    expect(outcomes.map((o) => o.trim())).toEqual(['open', 'won', 'lost', 'open', 'won']);
    await session.screenshot('mapping-step.png');
    await step.screenshot({ path: join(SCREENSHOTS, 'mapping-step-detail.png') });

    await step.getByRole('button', { name: 'Save mapping and upload' }).click();
    await result.getByText(/^Snapshot \d+ created/).waitFor({ timeout: 30_000 });
    await expect(step.count()).resolves.toBe(0);
    await expect(result.innerText()).resolves.toContain('5 deals');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="snapshot-row"]').length === n + 1, rowsBefore);
    const mapped = page.getByTestId('snapshot-row').filter({ hasText: 'Mapped CSV' });
    await expect(mapped.count()).resolves.toBe(1);
    await expect(mapped.locator('td').nth(3).innerText()).resolves.toBe('5');

    // The mapping was saved: the same file is now read without the mapping step (the same content: already loaded).
    const saved = (await (await fetch(`${session.server.url}/api/mappings`)).json()) as { name: string }[];
    expect(saved.map((m) => m.name)).toEqual(['euro-deals']);
    expect(await (await fetch(`${session.server.demoApi}/mappings`)).json()).toEqual([]); // the default workspace's own, not the demo's
    const [again] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/snapshots') && r.request().method() === 'POST'),
      page.getByTestId('upload-input').setInputFiles(EURO_DEALS)
    ]);
    expect(again.status()).toBe(200);
    await result.getByText(/^Already loaded as snapshot \d+/).waitFor({ timeout: 30_000 });
    await expect(page.getByText('Map its columns').count()).resolves.toBe(0);
    await expect(page.getByTestId('snapshot-row').count()).resolves.toBe(rowsBefore + 1);
    expect(watch.problems).toEqual([]);
  });

  it('shows a mapping that does not read the file as problems, cell by cell', async () => {
    await open('/snapshots');
    watch.expect('POST', '/api/snapshots', 422);
    // Saved mappings are found by headers: with "euro-deals" saved, a file with other headers is needed.
    const csv = 'Ref,Title,Phase,Worth,Due\nX1,One,Open,"1.000,00",2025-13-01\nX2,Two,Won,12,2025-01-02\n';
    await page.getByTestId('upload-input').setInputFiles({ name: 'Other Deals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const result = page.getByTestId('upload-result');
    await result.getByRole('button', { name: 'Map its columns' }).click({ timeout: 30_000 });
    const step = page.getByTestId('mapping-step');
    await step.getByLabel('Mapping name').waitFor({ timeout: 30_000 });
    await expect(step.getByLabel('Mapping name').inputValue()).resolves.toBe('other-deals');
    await step.getByLabel(/^Deal id/).selectOption('Ref');
    await step.getByLabel(/^Stage/).selectOption('Phase');
    await step.getByLabel(/^Amount/).selectOption('Worth');
    await step.getByLabel(/^Close date/).selectOption('Due');
    await step.getByLabel('Date patterns').fill('%Y-%m-%d');
    await step.getByLabel('Decimal separator').selectOption('.');
    await step.getByLabel('Thousands separator').selectOption('');
    await step.getByRole('button', { name: 'Preview' }).click();
    const bad = step.locator('[data-testid="preview-row"] td.bad');
    await bad.first().waitFor({ timeout: 30_000 });
    await expect(bad.count()).resolves.toBe(2);
    await expect(bad.nth(0).getAttribute('title')).resolves.toMatch(/^not a number/);
    await expect(bad.nth(1).getAttribute('title')).resolves.toMatch(/^not a date/);
    // Shown once, in their cells; columns in the form's order.
    await expect(step.locator('[data-testid="mapping-preview"] table.problems').count()).resolves.toBe(0);
    await expect(step.locator('[data-testid="mapping-preview"] thead th').allInnerTexts()).resolves.toEqual(['Line', 'Deal id', 'Name', 'Stage', 'Amount', 'Close date', 'Outcome']);
    await step.screenshot({ path: join(SCREENSHOTS, 'mapping-step-problems.png') });
    // A required field left out is named before anything is sent.
    await step.getByLabel(/^Stage/).selectOption('');
    await step.getByRole('button', { name: 'Save mapping and upload' }).click();
    await expect(step.getByTestId('mapping-error').innerText()).resolves.toContain('Stage');
    await step.getByRole('button', { name: 'Cancel' }).click();
    await expect(step.count()).resolves.toBe(0);
    expect(watch.problems).toEqual([]);
  });
});
