/**
 * The upload page's mapping step in Chromium against the built server (mappings saved in
 * a temporary folder), in the default workspace (plain /snapshots and /api/…: the demo
 * company's workspace gets no unrelated data) and in workspaces made for one test each (a
 * workspace holds one source: another mapping's upload would be refused as mixed data): a CSV
 * in no known format is refused, "Map its columns" proposes a mapping and previews the first
 * rows as read, the stages are ordered, the file is uploaded through the mapping and the
 * mapping saved only then; the same file uploaded again is recognised by its headers. The
 * Mappings page lists, edits and deletes them; a snapshot of leads only opens on every page.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, reportPage, useBrowserSession, type PageWatch } from './harness';

const EURO_DEALS = resolve(process.cwd(), 'test/fixtures/mapped/euro-deals.csv');
const LEADS = resolve(process.cwd(), 'test/fixtures/mapped/leads.csv');
const LICENSE = resolve(process.cwd(), 'test/fixtures/public/salesforce-report-export/LICENSE');

const session = useBrowserSession();
let page: Page;
let watch: PageWatch;
beforeAll(() => {
  ({ page, watch } = session);
});
/** the default workspace's pages: the uploads here are not the demo company's */
const { open } = reportPage(session, 'default');

/** A new workspace, for uploads of another source than the default workspace's. */
async function workspace(name: string): Promise<string> {
  const res = await fetch(`${session.server.url}/api/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { slug: string }).slug;
}

const api = async (path: string, init?: RequestInit) => (await fetch(`${session.server.url}/api${path}`, init)).json();
const savedNames = async (base = '') => ((await api(`${base}/mappings`)) as { name: string }[]).map((m) => m.name);
const stageList = () => page.getByTestId('map-stages').locator('li').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.stage));

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

    // The snapshot date the file gives: no modified date, so its latest close date up to today (E5, 12/03/2025).
    await expect(step.getByLabel('As of').inputValue()).resolves.toBe('2025-03-12');
    await expect(step.locator('#map-as-of-hint').innerText()).resolves.toBe('from the file: its latest Close');
    // Stages: the open ones by name, then Closed (won by the Result rule for 2 of its 3 deals), which does not move.
    await expect(stageList()).resolves.toEqual(['Abandoned', 'Negotiation', 'Closed']);
    await expect(step.getByTestId('map-stages').locator('li[data-stage="Closed"] button').count()).resolves.toBe(0);
    await expect(step.getByRole('button', { name: 'Move Abandoned up' }).isDisabled()).resolves.toBe(true);
    await step.getByRole('button', { name: 'Move Negotiation up' }).click();
    await expect(stageList()).resolves.toEqual(['Negotiation', 'Abandoned', 'Closed']);
    // Negotiation is first now: its up button is off, so the focus stays on the row, on its down button
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move Negotiation down');
    await expect(step.locator('[aria-live="polite"]').first().textContent()).resolves.toBe('Negotiation is now stage 1 of 2.');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/mappings/inspect')), step.getByRole('button', { name: 'Preview' }).click()]);
    await page.waitForFunction(() => !document.querySelector('[data-testid="mapping-preview"] .stale') && !document.querySelector('.actions button:disabled'));
    const outcomes = await page.locator('[data-testid="preview-row"] td[data-field="outcome"]').allInnerTexts();
    expect(outcomes.map((o) => o.trim())).toEqual(['open', 'won', 'lost', 'open', 'won']);
    await session.screenshot('mapping-step.png');
    await step.screenshot({ path: join(SCREENSHOTS, 'mapping-step-detail.png') });

    await expect(stageList()).resolves.toEqual(['Negotiation', 'Abandoned', 'Closed']);

    // Upload first, then save: the order of the requests
    const requests: string[] = [];
    page.on('request', (r) => {
      if (['POST', 'PUT'].includes(r.method()) && r.url().includes('/api/')) requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await step.getByRole('button', { name: 'Upload and save mapping' }).click();
    await result.getByText(/^Snapshot \d+ created/).waitFor({ timeout: 30_000 });
    expect(requests).toEqual(['POST /api/snapshots', 'PUT /api/mappings/euro-deals']);
    await expect(step.count()).resolves.toBe(0);
    await expect(result.innerText()).resolves.toContain('(as of Mar 12, 2025, 5 deals)');
    await expect(result.getByTestId('mapping-saved').innerText()).resolves.toMatch(/^Mapping euro-deals saved: files with these headers are read without the mapping step next time/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="snapshot-row"]').length === n + 1, rowsBefore);
    const mapped = page.getByTestId('snapshot-row').filter({ hasText: 'Mapped CSV' });
    await expect(mapped.count()).resolves.toBe(1);
    await expect(mapped.locator('td').nth(3).innerText()).resolves.toBe('5');

    // The mapping was saved: the same file is now read without the mapping step (the same content: already loaded).
    const saved = (await (await fetch(`${session.server.url}/api/mappings`)).json()) as { name: string; mapping: { deals: { stages: { stage: string }[] } } }[];
    expect(saved.map((m) => m.name)).toEqual(['euro-deals']);
    expect(saved[0].mapping.deals.stages).toEqual([{ stage: 'Negotiation' }, { stage: 'Abandoned' }, { stage: 'Closed' }]);
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

  it('shows a mapping that does not read the file as problems, cell by cell, and saves none whose upload fails', async () => {
    const slug = await workspace('Broken mapping');
    await reportPage(session, slug).open('/snapshots');
    watch.expect('POST', `/api/w/${slug}/snapshots`, 422);
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

    // Uploaded as it is, the file is refused for those values, and the mapping is not saved.
    const [upload] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/w/${slug}/snapshots`) && r.request().method() === 'POST'),
      step.getByRole('button', { name: 'Upload and save mapping' }).click()
    ]);
    expect(upload.status()).toBe(422);
    const error = step.getByTestId('mapping-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toMatch(/^The upload was rejected; nothing was loaded and the mapping was not saved\. 2 problems:/);
    await expect(error.locator('[data-testid="problem-row"]').allInnerTexts()).resolves.toEqual([
      'Other Deals.csv\t2\tWorth\tnot a number: "1.000,00"',
      'Other Deals.csv\t2\tDue\tnot a date (%Y-%m-%d): "2025-13-01"'
    ]);
    expect(await savedNames(`/w/${slug}`)).toEqual([]);
    expect(await api(`/w/${slug}/snapshots`)).toEqual([]);
    // the next upload of the file is refused again and offers the step, not read through a broken mapping
    await page.getByTestId('upload-input').setInputFiles({ name: 'Other Deals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await result.getByRole('button', { name: 'Map its columns' }).waitFor({ timeout: 30_000 });
    await result.getByRole('button', { name: 'Map its columns' }).click();
    await step.getByLabel('Mapping name').waitFor({ timeout: 30_000 });

    // A required field left out is named before anything is sent.
    await step.getByLabel(/^Stage/).selectOption('');
    await step.getByRole('button', { name: 'Upload and save mapping' }).click();
    await expect(step.getByTestId('mapping-error').innerText()).resolves.toContain('Stage');
    await step.getByRole('button', { name: 'Cancel' }).click();
    await expect(step.count()).resolves.toBe(0);
    expect(watch.problems).toEqual([]);
  });

  it('maps the deals file of an upload of several files in no known format, on the date given, and lists the rest as not read', async () => {
    const slug = await workspace('Several files');
    await reportPage(session, slug).open('/snapshots');
    watch.expect('POST', `/api/w/${slug}/snapshots`, 422);
    const deals = 'Deal number,Deal title,Stage,Amount,Close date,Created\nP1,One,Discovery,100,2025-05-30,2025-01-02\nP2,Two,Proposal,200,2025-06-15,2025-02-03\nP3,Three,Won,300,2025-04-01,2025-01-20\nP4,Four,Lost,50,2025-03-01,2025-01-05\n';
    await page.getByTestId('upload-input').setInputFiles([
      { name: 'Leads.csv', mimeType: 'text/csv', buffer: readFileSync(LEADS) },
      { name: 'LICENSE', mimeType: 'text/plain', buffer: readFileSync(LICENSE) },
      { name: 'Pipeline Export.csv', mimeType: 'text/csv', buffer: Buffer.from(deals) }
    ]);
    const result = page.getByTestId('upload-result');
    await result.getByText('Pipelens does not know the format of these 3 files.').waitFor({ timeout: 30_000 });
    await result.getByRole('button', { name: 'Map its columns' }).click();
    const step = page.getByTestId('mapping-step');
    await step.getByTestId('mapping-preview').waitFor({ timeout: 30_000 });
    // the file most like deals, and the other CSV to choose instead
    await expect(step.locator('h3').innerText()).resolves.toBe('Map the columns of Pipeline Export.csv');
    await expect(step.getByLabel('Deals file').inputValue()).resolves.toBe('Pipeline Export.csv');
    await expect(step.getByLabel('Deals file').locator('option').allInnerTexts()).resolves.toEqual(['Leads.csv', 'Pipeline Export.csv']);
    await expect(step.getByLabel('Mapping name').inputValue()).resolves.toBe('pipeline-export');
    // won and lost by the stage's own values; the latest close date up to today
    await expect(stageList()).resolves.toEqual(['Discovery', 'Proposal', 'Won', 'Lost']);
    await expect(step.getByLabel('As of').inputValue()).resolves.toBe('2025-06-15');
    await step.getByLabel('As of').fill('2025-06-30');
    await expect(step.locator('#map-as-of-hint').innerText()).resolves.toBe('the file says 2025-06-15 (its latest Close date); the snapshot takes the date you give');
    await step.getByRole('button', { name: 'Upload and save mapping' }).click();
    await result.getByText(/^Snapshot \d+ created/).waitFor({ timeout: 30_000 });
    await expect(result.innerText()).resolves.toContain('(as of Jun 30, 2025, 4 deals)');
    await expect(result.getByTestId('not-read').innerText()).resolves.toBe('Not read: LICENSE, Leads.csv.');
    const [snapshot] = (await api(`/w/${slug}/snapshots`)) as { as_of: string; as_of_source: string; ignored_files: string[] }[];
    expect([snapshot.as_of, snapshot.as_of_source, snapshot.ignored_files]).toEqual(['2025-06-30T00:00:00Z', 'explicit', ['LICENSE', 'Leads.csv']]);
    expect(await savedNames(`/w/${slug}`)).toEqual(['pipeline-export']);
    expect(watch.problems).toEqual([]);
  });

  it('lists the saved mappings on the Mappings page, edits one as JSON with its problems named, and deletes one after a confirmation', async () => {
    const slug = 'several-files';
    const ws = reportPage(session, slug);
    const put = (name: string, body: unknown) =>
      fetch(`${session.server.url}/api/w/${slug}/mappings/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('crm-leads', { formats: { date: ['%d/%m/%Y', '%d/%m/%Y %H:%M'] }, leads: { columns: { lead_id: 'Lead', status: 'Status', created_date: 'Created' } } })).status).toBe(200);
    await ws.open('/settings');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mappings' }).click();
    await page.waitForURL((u) => u.pathname === `/w/${slug}/mappings`);
    await ws.hydrated();
    await expect(page.locator('h1').innerText()).resolves.toBe('Mappings');
    await expect(page.locator('.mapping-list > li h2').allInnerTexts()).resolves.toEqual(['crm-leads', 'pipeline-export']);
    const pipeline = page.getByTestId('mapping-pipeline-export');
    await expect(pipeline.locator('ol.stages li').allInnerTexts()).resolves.toEqual(['Discovery', 'Proposal', 'Won', 'Lost']);
    await expect(page.getByTestId('mapping-crm-leads').locator('dd').first().innerText()).resolves.toBe('files with the headers Lead, Status, Created; 3 fields');
    await session.screenshot('mappings.png');

    // Edit: a misspelt field and a stage of the wrong shape are named by their keys, and nothing is saved
    watch.expect('PUT', `/api/w/${slug}/mappings/pipeline-export`, 422);
    await pipeline.getByRole('button', { name: 'Edit' }).click();
    const editor = pipeline.getByLabel('Mapping pipeline-export as JSON');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('json-pipeline-export');
    const json = JSON.parse(await editor.inputValue());
    expect(Object.keys(json)).toEqual(['formats', 'deals']);
    expect(json.deals.stages).toEqual([{ stage: 'Discovery' }, { stage: 'Proposal' }, { stage: 'Won' }, { stage: 'Lost' }]);
    const broken = { ...json, deals: { ...json.deals, columns: { ...json.deals.columns, amout: 'Amount' }, stages: [...json.deals.stages, { stage: 'Lost', probability: 120 }] } };
    await editor.fill(JSON.stringify(broken, null, 2));
    await pipeline.getByRole('button', { name: 'Save' }).click();
    const error = pipeline.getByTestId('mapping-edit-error');
    await error.waitFor();
    await expect(error.locator('[data-testid="problem-row"]').allInnerTexts()).resolves.toEqual([
      'pipeline-export.json\t–\tdeals.columns.amout\tunknown field; fields: deal_id, name, account, stage, amount, currency, close_date, created_date, owner, owner_id, lead_source, type, pipeline, probability, forecast_category, last_activity_date, last_modified',
      'pipeline-export.json\t–\tdeals.stages[4].probability\ta number from 0 to 100'
    ]);
    await session.screenshot('mappings-edit-error.png');
    await editor.fill('{ "deals": ');
    await pipeline.getByRole('button', { name: 'Save' }).click();
    await expect(error.locator('[data-testid="problem-row"] td').nth(3).innerText()).resolves.toMatch(/^not JSON: /);
    expect(((await api(`/w/${slug}/mappings`)) as { name: string; mapping: { deals: { stages: unknown[] } } }[])[1].mapping.deals.stages).toHaveLength(4);

    // Proposal before Discovery, with a probability: saved, shown, and the upload is read with it
    const edited = { ...json, deals: { ...json.deals, stages: [{ stage: 'Proposal', probability: 60 }, { stage: 'Discovery' }, { stage: 'Won' }, { stage: 'Lost' }] } };
    await editor.fill(JSON.stringify(edited, null, 2));
    await pipeline.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Mapping pipeline-export saved.').waitFor();
    await expect(pipeline.locator('ol.stages li').allInnerTexts()).resolves.toEqual(['Proposal', 'Discovery', 'Won', 'Lost']);
    const [stored] = ((await api(`/w/${slug}/mappings`)) as { name: string; mapping: { deals: { stages: unknown[] } } }[]).filter((m) => m.name === 'pipeline-export');
    expect(stored.mapping.deals.stages).toEqual([{ stage: 'Proposal', probability: 60 }, { stage: 'Discovery' }, { stage: 'Won' }, { stage: 'Lost' }]);

    // Delete, after a confirmation; Cancel keeps it
    const leads = page.getByTestId('mapping-crm-leads');
    const dialog = page.getByRole('dialog');
    await leads.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog.locator('h2').innerText()).resolves.toBe('Delete mapping crm-leads?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.isVisible()).resolves.toBe(false);
    expect(await savedNames(`/w/${slug}`)).toEqual(['crm-leads', 'pipeline-export']);
    await leads.getByRole('button', { name: 'Delete' }).click();
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname === `/api/w/${slug}/mappings/crm-leads`),
      dialog.getByRole('button', { name: 'Delete' }).click()
    ]);
    await page.getByText('Mapping crm-leads deleted.').waitFor();
    await expect(page.locator('.mapping-list > li h2').allInnerTexts()).resolves.toEqual(['pipeline-export']);
    expect(await savedNames(`/w/${slug}`)).toEqual(['pipeline-export']);
    const audit = (await api(`/w/${slug}/audit`)) as { action: string; detail: string }[];
    expect(audit.slice(0, 3).map((e) => [e.action, e.detail])).toEqual([
      ['delete mapping', 'crm-leads'],
      ['save mapping', 'pipeline-export'],
      ['save mapping', 'crm-leads']
    ]);

    // another workspace's page lists its own: the demo company has none
    await reportPage(session, 'demo').open('/mappings');
    await expect(page.getByTestId('no-mappings').isVisible()).resolves.toBe(true);
    expect(watch.problems).toEqual([]);
  });

  it('opens every page on a snapshot of leads only: the lead funnel shows them, the deal pages their empty states', async () => {
    const slug = await workspace('Leads only');
    const mapping = { formats: { date: ['%d/%m/%Y', '%d/%m/%Y %H:%M'] }, leads: { columns: { lead_id: 'Lead', status: 'Status', lead_source: 'Source', created_date: 'Created', converted_date: 'Converted on' } } };
    await fetch(`${session.server.url}/api/w/${slug}/mappings/crm-leads`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mapping) });
    const body = new FormData();
    body.append('files', new File([readFileSync(LEADS)], 'leads.csv'));
    const res = await fetch(`${session.server.url}/api/w/${slug}/snapshots`, { method: 'POST', body });
    expect(res.status).toBe(201);
    expect((await res.json()).counts).toMatchObject({ deals: 0, leads: 3 });

    const ws = reportPage(session, slug);
    const main = page.locator('#main');
    for (const path of ['/', '/trends', '/funnel', '/win-rates', '/sources', '/stuck-deals', '/durations', '/forecast', '/deals', '/snapshots', '/settings', '/mappings']) {
      await ws.open(path);
      await expect(main.locator('h1').count(), path).resolves.toBe(1);
    }
    await ws.open('/funnel');
    await expect(main.innerText()).resolves.toContain('No deal was created in this period.');
    const leadRows = (await page.locator('table', { hasText: 'Lead status' }).locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    // the settings' lead statuses (Salesforce's, none of them in this file) first, with no leads
    expect(leadRows.filter((r) => !r.endsWith(' 0 0%'))).toEqual(['Converted 1 33%', 'New 1 33%', 'Qualified 1 33%']);
    await ws.open('/');
    await expect(main.innerText()).resolves.toContain('as of Jan 20, 2025');
    expect(watch.problems).toEqual([]);
  });
});
