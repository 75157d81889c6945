/**
 * The mapping step's API: inspect a file no CRM knows (headers, a proposed mapping, the
 * first rows as read), save a mapping, upload through it by name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempWorkspaces } from '../../helpers';

const EURO_CSV = join(FIXTURES, 'mapped', 'euro-deals.csv');
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
