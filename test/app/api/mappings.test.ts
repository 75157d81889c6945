/**
 * The mapping step's API: inspect a file no CRM knows (headers, a proposed mapping, the
 * first rows as read), save a mapping, upload through it by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, SHARED_DATA, tempWorkspaces } from '../../helpers';

const EURO_CSV = join(FIXTURES, 'mapped', 'euro-deals.csv');
const LEADS_CSV = join(FIXTURES, 'mapped', 'leads.csv');
const LICENSE = join(SHARED_DATA, 'salesforce-report-export', 'LICENSE');
const upload = (fields: Record<string, string> = {}) => {
  const body = new FormData();
  body.append('files', new File([readFileSync(EURO_CSV)], 'euro-deals.csv'));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
};

describe('mappings API', () => {
  let cleanup: () => Promise<void>;
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  beforeAll(async () => {
    ({ api, cleanup } = await tempWorkspaces());
  });
  afterAll(() => cleanup());

  it('refuses the unknown file, then inspects it: headers, a proposal, the first rows as the proposal reads them', async () => {
    const refused = await api.request('/api/snapshots', { method: 'POST', body: upload() });
    expect(refused.status).toBe(422);
    expect((await refused.json()).problems[0].reason).toMatch(/^not a Salesforce export/);

    const res = await api.request('/api/mappings/inspect', { method: 'POST', body: upload() });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.headers).toEqual(['Deal ID', 'Deal name', 'Stage', 'Result', 'Value', 'Close', 'Created', 'Owner']);
    expect(body.proposal.mapping.deals.columns).toMatchObject({ deal_id: 'Deal ID', stage: 'Stage', amount: 'Value', close_date: 'Close', owner: 'Owner' });
    expect(body.proposal.mapping.formats).toMatchObject({ decimal: ',', thousands: '.' });
    // E1: "1.234,50" and 31/01/2025, read with the proposed decimal comma and day/month order
    expect(body.preview.rows[0]).toMatchObject({ line: 2, values: { deal_id: 'E1', amount: 1234.5, close_date: '2025-01-31' }, problems: [] });
  });

  it('saves a mapping, lists it, and uploads through it by name', async () => {
    const mapping = JSON.parse(readFileSync(join(FIXTURES, 'mapped', 'euro-deals.json'), 'utf8'));
    const put = await api.request('/api/mappings/euro', { method: 'PUT', body: JSON.stringify(mapping), headers: { 'content-type': 'application/json' } });
    expect(put.status).toBe(200);
    expect((await (await api.request('/api/mappings')).json()).map((m: { name: string }) => m.name)).toEqual(['euro']);

    const res = await api.request('/api/snapshots?as_of=2025-03-31', { method: 'POST', body: upload({ mapping: 'euro' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ crm: 'mapped', counts: { deals: 5 } });
    // saved, it is found by its headers without being named
    const again = await api.request('/api/snapshots?as_of=2025-04-30', { method: 'POST', body: upload() });
    expect(again.status).toBe(201);
  });

  it('inspects an upload of several files: the one most like deals, the snapshot date and stage order the whole file gives', async () => {
    const body = new FormData();
    for (const path of [LEADS_CSV, LICENSE, EURO_CSV]) body.append('files', new File([readFileSync(path)], path.split('/').pop()!));
    const res = await api.request('/api/mappings/inspect', { method: 'POST', body });
    expect(res.status).toBe(200);
    const inspection = await res.json();
    expect([inspection.file, inspection.files]).toEqual(['euro-deals.csv', ['leads.csv', 'euro-deals.csv']]);
    // no modified date: the latest close date (E5, 12/03/2025), before today
    expect(inspection.as_of).toEqual({ date: '2025-03-12', source: 'Close' });
    // the proposal's rules (won when Result equals Won, lost when Lost) close E2, E3 and E5, all in Closed (2 of 3 won):
    // the open stages by name, then Closed; E4's Abandoned is open without the mapping's rule for it
    expect(inspection.stages).toEqual([
      { stage: 'Abandoned', deals: 1, closed: false, won: false },
      { stage: 'Negotiation', deals: 1, closed: false, won: false },
      { stage: 'Closed', deals: 3, closed: true, won: true }
    ]);
    // with the mapping's stage list and rules: Negotiation first, then the closed stages (won before lost)
    const mapping = readFileSync(join(FIXTURES, 'mapped', 'euro-deals.json'), 'utf8');
    const withMapping = new FormData();
    withMapping.append('files', new File([readFileSync(EURO_CSV)], 'euro-deals.csv'));
    withMapping.append('mapping', mapping);
    expect((await (await api.request('/api/mappings/inspect', { method: 'POST', body: withMapping })).json()).stages).toEqual([
      { stage: 'Negotiation', deals: 1, closed: false, won: false },
      { stage: 'Closed', deals: 3, closed: true, won: true },
      { stage: 'Abandoned', deals: 1, closed: true, won: false }
    ]);
    // another file of the upload, by name; one that is not there is named
    body.append('file', 'leads.csv');
    const leads = await (await api.request('/api/mappings/inspect', { method: 'POST', body })).json();
    expect([leads.file, leads.headers]).toEqual(['leads.csv', ['Lead', 'Status', 'Source', 'Owner', 'Created', 'Converted on']]);
    const missing = new FormData();
    missing.append('files', new File([readFileSync(EURO_CSV)], 'euro-deals.csv'));
    missing.append('file', 'deals.csv');
    const refused = await api.request('/api/mappings/inspect', { method: 'POST', body: missing });
    expect([refused.status, (await refused.json()).problems]).toEqual([422, [{ file: 'deals.csv', line: null, column: null, reason: 'no CSV of that name in the upload (euro-deals.csv)' }]]);
  });

  it('inspects a file whose stage column the proposal does not find: no stages yet, the date all the same', async () => {
    const body = new FormData();
    body.append('files', new File(['Ref,Phase,Closed on\nX1,Open,2025-01-02\nX2,Won,2025-02-03\n'], 'other.csv'));
    const inspection = await (await api.request('/api/mappings/inspect', { method: 'POST', body })).json();
    expect([inspection.proposal.mapping.deals.columns, inspection.stages, inspection.as_of]).toEqual([{ close_date: 'Closed on' }, [], { date: '2025-02-03', source: 'Closed on' }]);
  });

  it('leaves out an empty column without a name, in the headers and the proposal', async () => {
    const csv = readFileSync(EURO_CSV, 'utf8').trim().split('\n').map((l) => `${l},`).join('\n');
    const body = new FormData();
    body.append('files', new File([csv], 'sheet.csv'));
    const inspection = await (await api.request('/api/mappings/inspect', { method: 'POST', body })).json();
    expect(inspection.headers).toEqual(['Deal ID', 'Deal name', 'Stage', 'Result', 'Value', 'Close', 'Created', 'Owner']);
    expect(inspection.preview.rows).toHaveLength(5);
  });

  it('names what is wrong in a mapping', async () => {
    const bad = await api.request('/api/mappings/bad', { method: 'PUT', body: JSON.stringify({ deals: { columns: { deal_id: 'Deal ID' } } }), headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).problems[0].column).toMatch(/^deals\.columns/);
    const name = await api.request('/api/mappings/..%2Fevil', { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(name.status).toBe(400);
    const text = await api.request('/api/mappings/text', { method: 'PUT', body: JSON.stringify('{"deals": {}}'), headers: { 'content-type': 'application/json' } });
    expect(text.status).toBe(400);
    // an upload names a saved mapping, never a file on the server
    const path = await api.request('/api/snapshots', { method: 'POST', body: upload({ mapping: 'data/mappings/maven-crm-sales-opportunities.json' }) });
    expect(path.status).toBe(400);
    expect((await path.json()).error).toBe('bad parameter mapping: no saved mapping named "data/mappings/maven-crm-sales-opportunities.json"');
  });
});

describe('deleting a saved mapping', () => {
  let cleanup: () => Promise<void>;
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  const tokens: Record<string, string> = {};
  const as = (who: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${tokens[who]}` } });
  beforeAll(async () => {
    let registry: Awaited<ReturnType<typeof tempWorkspaces>>['registry'];
    ({ api, registry, cleanup } = await tempWorkspaces({ authRequired: true }));
    for (const role of ['uploader', 'admin']) tokens[role] = await registry.auth.createToken(`ci-${role}`, 'default', role);
    await registry.create('Acme');
    tokens.acme = await registry.auth.createToken('acme-admin', 'acme', 'admin');
  });
  afterAll(() => cleanup());

  it('is for admins, recorded in the audit log, and answers 404 for a mapping that is not there', async () => {
    const mapping = readFileSync(join(FIXTURES, 'mapped', 'euro-deals.json'), 'utf8');
    const put = (path: string, who: string) => api.request(path, as(who, { method: 'PUT', body: mapping, headers: { 'content-type': 'application/json' } }));
    expect((await put('/api/mappings/euro', 'uploader')).status).toBe(200);
    expect((await api.request('/api/mappings/euro', as('uploader', { method: 'DELETE' }))).status).toBe(403);
    expect((await api.request('/api/mappings/euro', as('admin', { method: 'DELETE' }))).status).toBe(204);
    expect(await (await api.request('/api/mappings', as('admin'))).json()).toEqual([]);
    const again = await api.request('/api/mappings/euro', as('admin', { method: 'DELETE' }));
    expect([again.status, (await again.json()).error]).toEqual([404, 'not found: mapping euro']);
    expect((await api.request('/api/mappings/..%2Fsettings', as('admin', { method: 'DELETE' }))).status).toBe(404);
    const log = await (await api.request('/api/audit', as('admin'))).json();
    expect(log.slice(0, 2).map((e: { actor: string; action: string; detail: string }) => [e.actor, e.action, e.detail])).toEqual([
      ['token:ci-admin', 'delete mapping', 'euro'],
      ['token:ci-uploader', 'save mapping', 'euro']
    ]);
    // a workspace's own: under /api/w/<slug>/
    expect((await put('/api/w/acme/mappings/acme-deals', 'acme')).status).toBe(200);
    expect((await api.request('/api/w/acme/mappings/acme-deals', as('acme', { method: 'DELETE' }))).status).toBe(204);
    expect(await (await api.request('/api/w/acme/mappings', as('acme'))).json()).toEqual([]);
  });
});
