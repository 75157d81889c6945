/**
 * Data quality over HTTP: the upload answer lists the checks, the snapshot's quality
 * endpoint returns them (JSON and CSV), a metric answers null plus a caveat for a figure
 * a check marks unusable, and the deals list opens the deals a check hits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, tempWorkspaces } from '../../helpers';

const SF = join(SHARED_DATA, 'salesforce-data-export');
const FILES = ['opportunity.csv', 'OpportunityHistory.csv', 'account.csv', 'lead.csv'];

describe('data quality API', () => {
  let env: Awaited<ReturnType<typeof tempWorkspaces>>;
  let id: number;
  let uploaded: { quality: { id: string; severity: string; count: number }[] };
  beforeAll(async () => {
    env = await tempWorkspaces();
    const body = new FormData();
    for (const name of FILES) body.append('files', new File([readFileSync(join(SF, name))], name));
    const res = await env.api.request('/api/snapshots', { method: 'POST', body });
    expect(res.status).toBe(201);
    uploaded = await res.json();
    id = (uploaded as unknown as { snapshot_id: number }).snapshot_id;
  }, 60_000);
  afterAll(() => env.cleanup());

  it('lists the checks in the upload answer and at /snapshots/<id>/quality, in both addresses of the workspace', async () => {
    const unusable = uploaded.quality.filter((c) => c.severity === 'unusable').map((c) => [c.id, c.count]);
    expect(unusable).toEqual([['close-before-created', 30], ['history-one-instant', 62]]);
    const res = await env.api.request(`/api/w/default/snapshots/${id}/quality`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(uploaded.quality);
    expect(await (await env.api.request(`/api/snapshots/${id}/quality`)).json()).toEqual(uploaded.quality);
  });

  it('gives the checks as CSV, one row per check', async () => {
    const res = await env.api.request(`/api/snapshots/${id}/quality?format=csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,severity,sentence,count,examples,affects,drill');
    expect(lines.length).toBe(1 + uploaded.quality.length);
  });

  it('answers 404 for a snapshot that does not exist, 400 for a bad format', async () => {
    expect((await env.api.request('/api/snapshots/999/quality')).status).toBe(404);
    expect((await env.api.request(`/api/snapshots/${id}/quality?format=xml`)).status).toBe(400);
  });

  it('answers null with a caveat for a guarded figure, and lists the deals a check hits', async () => {
    const velocity = await (await env.api.request('/api/metrics/velocity')).json();
    expect(velocity.rows[0].avg_cycle_days).toBeNull();
    expect(velocity.caveats[0]).toMatchObject({ check: 'close-before-created', figures: ['avg_cycle_days', 'velocity'] });
    const deals = await (await env.api.request('/api/metrics/deals?check=close-before-created')).json();
    expect(deals.rows.length).toBe(30);
    expect((await env.api.request('/api/metrics/deals?check=nonsense')).status).toBe(400);
  });
});
