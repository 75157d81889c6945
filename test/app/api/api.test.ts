import { tableFromIPC } from 'apache-arrow';
import { zipSync } from 'fflate';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { SCHEMA_VERSION } from '../../../analytics/storage/schema';
import { FIXTURES, SHARED_DATA, dumpTables, tempWorkspaces } from '../../helpers';

const DATA_EXPORT = join(SHARED_DATA, 'salesforce-data-export');
const exportFiles = () => readdirSync(DATA_EXPORT).map((name) => new File([readFileSync(join(DATA_EXPORT, name))], name));

function form(files: File[], fields: Record<string, string> = {}) {
  const body = new FormData();
  for (const f of files) body.append('files', f);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

describe('HTTP API', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  beforeAll(async () => {
    const workspaces = await tempWorkspaces({ settings: { max_upload_bytes: 200_000 } });
    ({ api, cleanup } = workspaces);
    await api.request('/api/snapshots'); // opens the default workspace
    db = await workspaces.defaultDb();
  });
  afterAll(() => cleanup());

  it('answers health with the schema version', async () => {
    const res = await api.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', schema_version: SCHEMA_VERSION, snapshots: 0, workspaces: 1 });
  });

  it('serves metrics with no rows before the first upload', async () => {
    const res = await api.request('/api/metrics/overview');
    expect(await res.json()).toMatchObject({ metric: 'overview', snapshot_id: null, rows: [] });
  });

  let firstId: number;
  it('creates a snapshot from a multipart upload of the export CSVs (201)', async () => {
    const res = await api.request('/api/snapshots', { method: 'POST', body: form(exportFiles()) });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ crm: 'salesforce', duplicate: false, ignored_files: ['campaign.csv'], counts: { deals: 31, stage_events: 62, leads: 22 } });
    firstId = body.snapshot_id;
  });

  it('returns the existing snapshot for the same files (200, duplicate)', async () => {
    const res = await api.request('/api/snapshots', { method: 'POST', body: form(exportFiles()) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ snapshot_id: firstId, duplicate: true });
  });

  let zipId: number;
  it('creates a snapshot from a raw ZIP body, with as_of from the query', async () => {
    const zip = zipSync({ 'Opportunity.csv': readFileSync(join(FIXTURES, 'overview/Opportunity.csv')), 'CurrencyType.csv': readFileSync(join(FIXTURES, 'overview/CurrencyType.csv')) });
    const res = await api.request('/api/snapshots?as_of=2024-08-15', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip' } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ as_of: '2024-08-15T00:00:00Z', as_of_source: 'explicit', corporate_currency: 'USD', counts: { deals: 11 } });
    zipId = body.snapshot_id;
  });

  it('lists snapshots newest first and shows one', async () => {
    const list = await (await api.request('/api/snapshots')).json();
    expect(list.map((s: { snapshot_id: number }) => s.snapshot_id)).toEqual([zipId, firstId]);
    const one = await api.request(`/api/snapshots/${firstId}`);
    expect((await one.json()).as_of).toBe('2023-10-28T20:54:20Z');
    expect((await api.request('/api/snapshots/999')).status).toBe(404);
    expect((await api.request('/api/snapshots/99999999999')).status).toBe(404);
  });

  it('answers 404, not 500, to a snapshot id in a path that is no whole number in range (400 in a parameter), in every workspace', async () => {
    for (const id of ['abc', '1e21', '1e3', '-1', '0', '1.5', '99999999999', '%25']) {
      for (const path of [`/api/snapshots/${id}`, `/api/w/default/snapshots/${id}`]) {
        for (const method of ['GET', 'DELETE']) {
          const res = await api.request(path, { method });
          expect([method, path, res.status]).toEqual([method, path, 404]);
          expect((await res.json()).error).toMatch(/^not found: snapshot /);
        }
      }
    }
    for (const snapshot of ['1e21', '99999999999999999999']) {
      expect((await api.request(`/api/metrics/overview?snapshot=${snapshot}`)).status).toBe(400);
    }
  });

  it('serves a metric as JSON, CSV and Arrow with the same numbers', async () => {
    const json = await (await api.request(`/api/metrics/overview?snapshot=${zipId}`)).json();
    expect(json.rows[0]).toMatchObject({ open_count: 3, open_amount: 35000, closed_won_amount: 40000, win_rate_count: 0.5 });
    expect(json.note).toContain('Win rate');

    const csv = await api.request(`/api/metrics/open-pipeline?snapshot=${zipId}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toBe(
      'stage,sort_order,forecast_category,open_count,open_amount\r\nProspecting,1,Pipeline,1,10000\r\nNegotiation/Review,2,Pipeline,2,25000\r\n'
    );

    const arrow = await api.request(`/api/metrics/open-pipeline?snapshot=${zipId}&format=arrow`);
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(2);
    expect(table.getChild('stage')!.toArray()).toEqual(['Prospecting', 'Negotiation/Review']);
    expect([...table.getChild('open_amount')!.toArray()]).toEqual([10000, 25000]);
  });

  it('answers 404 for an unknown metric and 400 naming a bad parameter', async () => {
    const unknown = await api.request('/api/metrics/nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'unknown metric: nope' });
    for (const [query, parameter] of [
      ['format=xml', 'format'],
      ['snapshot=42', 'snapshot'],
      ["snapshot=1%27%20OR%201=1--", 'snapshot'],
      ['owner=x', 'owner'],
      ['colour=red', 'colour']
    ]) {
      const res = await api.request(`/api/metrics/overview?${query}`);
      expect(res.status).toBe(400);
      expect((await res.json()).parameter).toBe(parameter);
    }
  });

  describe('bad uploads leave the database exactly as it was', () => {
    let before: string;
    beforeAll(async () => {
      before = await dumpTables(db);
    });

    it.each([
      ['an unparseable date', [new File(['Id,StageName,CloseDate\nA,Prospecting,someday\n'], 'Opportunity.csv')], 422, { file: 'Opportunity.csv', line: 2, column: 'CloseDate', reason: 'not a date: "someday"' }],
      ['a missing column', [new File(['Id,StageName\nA,Prospecting\n'], 'Opportunity.csv')], 422, { file: 'Opportunity.csv', line: 1, column: 'CloseDate', reason: 'missing required column' }],
      ['a truncated file', [new File(['Id,StageName,CloseDate\nA,"Prosp'], 'Opportunity.csv')], 422, { file: 'Opportunity.csv', line: 2, column: 'StageName', reason: 'unterminated quoted field (file truncated?)' }],
      ['a non-Salesforce CSV', [new File(['a,b\n1,2\n'], 'numbers.csv')], 422, { file: 'numbers.csv', line: null, column: null }],
      ['a PDF', [new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2])], 'report.pdf')], 415, { file: 'report.pdf', reason: 'not a CSV or ZIP file' }],
      ['a corrupt ZIP', [new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])], 'export.zip')], 422, { file: 'export.zip' }]
    ])('rejects %s with reasons', async (_, files, status, problem) => {
      const res = await api.request('/api/snapshots', { method: 'POST', body: form(files as File[]) });
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.problems[0]).toMatchObject(problem);
      expect(await dumpTables(db)).toBe(before);
    });

    it('answers 413 to an upload over the configured size', async () => {
      const big = new File([new Uint8Array(300_000).fill(65)], 'Opportunity.csv');
      const res = await api.request('/api/snapshots', { method: 'POST', body: form([big]) });
      expect(res.status).toBe(413);
      expect(await dumpTables(db)).toBe(before);
    });

    it('answers 400 naming as_of or format when they carry SQL', async () => {
      for (const [param, value] of [['as_of', "2024-01-01'); DROP TABLE deals; --"], ['format', "salesforce' OR 1=1"]]) {
        const res = await api.request(`/api/snapshots?${param}=${encodeURIComponent(value)}`, { method: 'POST', body: form(exportFiles()) });
        expect(res.status).toBe(400);
        expect((await res.json()).parameter).toBe(param);
      }
      expect((await api.request(`/api/snapshots/${encodeURIComponent("1 OR 1=1")}`, { method: 'DELETE' })).status).toBe(404);
      expect(await dumpTables(db)).toBe(before);
    });

    it('answers 400 to an unknown format and 422 to a request without a file', async () => {
      const res = await api.request('/api/snapshots?format=excel', { method: 'POST', body: form(exportFiles()) });
      expect(res.status).toBe(400);
      expect((await res.json()).parameter).toBe('format');
      const empty = await api.request('/api/snapshots', { method: 'POST', body: form([], { note: 'x' }) });
      expect(empty.status).toBe(422);
      expect(await dumpTables(db)).toBe(before);
    });

    it('refuses a cross-site upload from a browser', async () => {
      const res = await api.request('http://localhost:3000/api/snapshots', { method: 'POST', body: form(exportFiles()), headers: { origin: 'https://evil.example' } });
      expect(res.status).toBe(403);
      expect(await dumpTables(db)).toBe(before);
    });
  });

  it('deletes a snapshot (204), then it is gone (404)', async () => {
    expect((await api.request(`/api/snapshots/${zipId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.request(`/api/snapshots/${zipId}`)).status).toBe(404);
    expect((await api.request(`/api/snapshots/${zipId}`, { method: 'DELETE' })).status).toBe(404);
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::INTEGER n FROM deals WHERE snapshot_id = $id`, { id: zipId });
    expect(n).toBe(0);
  });
});

describe('workspaces over HTTP', () => {
  let workspaces: Awaited<ReturnType<typeof tempWorkspaces>>;
  const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  beforeAll(async () => {
    workspaces = await tempWorkspaces();
  });
  afterAll(() => workspaces.cleanup());

  it('creates (201), lists, shows, renames and deletes (204) a workspace', async () => {
    const { api } = workspaces;
    const created = await api.request('/api/workspaces', post({ name: 'Acme Corp' }));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: 'acme-corp', name: 'Acme Corp', demo: false });
    expect((await (await api.request('/api/workspaces')).json()).map((w: { slug: string }) => w.slug)).toEqual(['default', 'acme-corp']);
    expect(await (await api.request('/api/workspaces/acme-corp')).json()).toMatchObject({ name: 'Acme Corp' });
    const renamed = await api.request('/api/workspaces/acme-corp', { ...post({ name: 'Acme' }), method: 'PATCH' });
    expect(await renamed.json()).toMatchObject({ slug: 'acme-corp', name: 'Acme' });
    expect((await api.request('/api/workspaces', post({ name: '' }))).status).toBe(400);
    expect((await api.request('/api/workspaces', post(['not', 'an object']))).status).toBe(400);
    expect((await api.request('/api/workspaces/acme-corp', { method: 'DELETE' })).status).toBe(204);
    expect((await api.request('/api/workspaces/acme-corp')).status).toBe(404);
    expect((await api.request('/api/w/acme-corp/snapshots')).status).toBe(404);
    expect((await api.request('/api/workspaces/default', { method: 'DELETE' })).status).toBe(409);
  });

  it('answers the old addresses from the default workspace, byte for byte', async () => {
    const { api } = workspaces;
    const zip = zipSync({ 'Opportunity.csv': readFileSync(join(FIXTURES, 'overview/Opportunity.csv')), 'CurrencyType.csv': readFileSync(join(FIXTURES, 'overview/CurrencyType.csv')) });
    expect((await api.request('/api/snapshots?as_of=2024-08-15', { method: 'POST', body: zip, headers: { 'content-type': 'application/zip' } })).status).toBe(201);
    for (const path of ['/snapshots', '/snapshots/1', '/metrics/overview', '/metrics/open-pipeline?format=csv', '/metrics/win-rates?by=owner', '/mappings', '/settings']) {
      const [old, scoped] = await Promise.all([api.request(`/api${path}`), api.request(`/api/w/default${path}`)]);
      expect([path, old.status]).toEqual([path, 200]);
      expect(await old.text()).toBe(await scoped.text());
    }
  });

  it("answers 409 to an upload from another CRM than the workspace's, and loads it with force=1", async () => {
    const { api } = workspaces;
    const hubspot = () => {
      const body = new FormData();
      body.append('files', new File([readFileSync(join(FIXTURES, 'hubspot', 'hubspot-crm-exports-all-deals-2024-07-01.csv'))], 'hubspot-crm-exports-all-deals-2024-07-01.csv'));
      return body;
    };
    const db = await workspaces.defaultDb();
    const before = await dumpTables(db);
    const refused = await api.request('/api/snapshots', { method: 'POST', body: hubspot() });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/^this upload is a hubspot export, while this workspace holds a salesforce export/);
    expect(await dumpTables(db)).toBe(before);
    const forced = await api.request('/api/snapshots?force=1', { method: 'POST', body: hubspot() });
    expect(forced.status).toBe(201);
  });
});
