import { tableFromIPC } from 'apache-arrow';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputPaths } from '../../../analytics';
import type { Database } from '../../../analytics/db';
import { METRICS } from '../../../analytics/metrics';
import { FIXTURES, tempWorkspaces } from '../../helpers';

const INJECTIONS = ["1' OR '1'='1", '1; DROP TABLE deals; --', "') UNION SELECT * FROM snapshots --", '<script>alert(1)</script>'];

describe('metrics over HTTP', () => {
  let db: Database;
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const workspaces = await tempWorkspaces();
    ({ api, cleanup } = workspaces);
    const ws = await workspaces.registry.open('default');
    await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline/a')]), { asOf: '2024-06-30T12:00:00Z' });
    await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline/b')]), { asOf: '2024-07-31T12:00:00Z' });
    db = await workspaces.defaultDb();
  });
  afterAll(() => cleanup());

  it.each(Object.keys(METRICS))('%s answers as JSON, CSV and Arrow with the same rows', async (name) => {
    const required = name === 'pipeline-change-deals' ? 'bucket=start&' : '';
    const json = await api.request(`/api/metrics/${name}?${required}`);
    expect(json.status).toBe(200);
    const body = await json.json();
    expect(body).toMatchObject({ metric: name, snapshot_id: 2, as_of: '2024-07-31T12:00:00Z' });
    expect(body.note.length).toBeGreaterThan(40);
    const csv = await (await api.request(`/api/metrics/${name}?${required}format=csv`)).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(body.rows.length + 1);
    const arrow = tableFromIPC(new Uint8Array(await (await api.request(`/api/metrics/${name}?${required}format=arrow`)).arrayBuffer()));
    expect(arrow.numRows).toBe(body.rows.length);
  });

  it('serves the pipeline-changes waterfall with its base, and stuck deals with their reasons in CSV', async () => {
    const changes = await (await api.request('/api/metrics/pipeline-changes?base=1&period=FY2024Q3')).json();
    expect(changes.rows.map((r: { amount: number }) => r.amount)).toEqual([63000, 2500, 3500, 5000, 4000, 2000, 9000, 12000, 6000, 7000, 42000]);
    const csv = await (await api.request('/api/metrics/stuck-deals?format=csv&owner=Bob%20Roy')).text();
    expect(csv.split('\r\n')[2]).toBe('D6,"Six: omitted, overdue",Bob Roy,Proposal,7000,2024-07-20,50.5,30,0,2024-06-01,stalled; overdue; inactive');
  });

  it.each(['owner', 'lead_source', 'type', 'pipeline'])('treats SQL in %s as a value', async (param) => {
    for (const value of INJECTIONS) {
      const res = await api.request(`/api/metrics/win-rates?${param}=${encodeURIComponent(value)}`);
      expect(res.status).toBe(200);
      expect((await res.json()).rows).toEqual([{ won: 0, lost: 0, closed: 0, win_rate_count: null, won_amount: 0, lost_amount: 0, win_rate_amount: null }]);
    }
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER n FROM deals');
    expect(n).toBe(15 + 13); // snapshot a's deals and b's, untouched
  });

  it.each(['snapshot', 'from', 'to', 'period', 'by', 'base'])('answers 400 naming %s when it is malformed', async (param) => {
    for (const value of INJECTIONS) {
      const name = param === 'base' ? 'pipeline-changes' : 'win-rates';
      const res = await api.request(`/api/metrics/${name}?${param}=${encodeURIComponent(value)}`);
      expect(res.status).toBe(400);
      expect((await res.json()).parameter).toBe(param);
    }
  });
});
