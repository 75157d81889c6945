import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';
import { openWorkspace } from '../../../analytics';
import { csvFile } from '../../helpers';

describe('funnel', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // Furthest open stage visited (history + current): D1 4 won, D2 4 (skipped 2-3) lost, D3 3 won (moved back),
  // D4 4 (created at 4), D5 2, D6 3, D9 2, D10 4 won, D11 3 lost, D12 2 (reopened), D13 1, D14 1, D15 3 (created at 3).
  // Lost after: D2 after Negotiation, D11 after Proposal. The Won row: nothing open or lost.
  it('counts a deal as reaching every stage up to the furthest it visited, won deals all', async () => {
    expect(await metric('funnel')).toEqual([
      { stage: 'Prospecting', sort_order: 1, reached: 13, step_conversion: 11 / 13, cumulative_conversion: 1, open_count: 2, open_amount: 6000, lost_after: 0 },
      { stage: 'Qualification', sort_order: 2, reached: 11, step_conversion: 8 / 11, cumulative_conversion: 11 / 13, open_count: 3, open_amount: 14000, lost_after: 0 },
      { stage: 'Proposal', sort_order: 3, reached: 8, step_conversion: 5 / 8, cumulative_conversion: 8 / 13, open_count: 2, open_amount: 15000, lost_after: 1 },
      { stage: 'Negotiation', sort_order: 4, reached: 5, step_conversion: 3 / 5, cumulative_conversion: 5 / 13, open_count: 1, open_amount: 16000, lost_after: 1 },
      { stage: 'Won', sort_order: 5, reached: 3, step_conversion: null, cumulative_conversion: 3 / 13, open_count: 0, open_amount: 0, lost_after: 0 }
    ]);
  });

  it('accounts for every deal of the first row: open now, lost after a stage, or won', async () => {
    for (const params of [{}, { period: 'FY2024Q2' }, { owner: 'Bob Roy' }] as Record<string, string>[]) {
      const rows = await metric('funnel', params);
      const sum = (k: string) => rows.reduce((s, r) => s + (r[k] as number), 0);
      expect(sum('open_count') + sum('lost_after') + (rows.at(-1)!.reached as number)).toBe(rows[0].reached);
    }
  });

  it('takes deals created in the period: D4, D5, D6, D9, D10, D11, D12, D14, D15 in FY2024Q2', async () => {
    const rows = await metric('funnel', { period: 'FY2024Q2' });
    expect(rows.map((r) => r.reached)).toEqual([9, 8, 5, 2, 1]);
  });

  it('filters by owner (Bob: D2, D4, D6, D10, D12, D14)', async () => {
    const rows = await metric('funnel', { owner: 'Bob Roy' });
    // D2 4 lost, D4 4, D6 3, D10 won, D12 2, D14 1
    expect(rows.map((r) => r.reached)).toEqual([6, 5, 4, 3, 1]);
  });

  it('has zero reached and null conversions when no deal was created in the period', async () => {
    const rows = await metric('funnel', { period: 'FY2025Q1' });
    expect(rows.map((r) => [r.reached, r.step_conversion, r.cumulative_conversion])).toEqual([
      [0, null, null], [0, null, null], [0, null, null], [0, null, null], [0, null, null]
    ]);
  });
});

describe('funnel of an export without stage history', () => {
  // A report export without history: D1 open in Qualification (the one open stage the export shows), D2 won, D3, D4
  // and D5 lost with no open stage known. By METRICS.md the lost deals count at the first stage: all 5 created are in
  // the first row, 3 of them lost after it; Won is 1 of 5.
  const HEADER = '"Id","StageName","Amount","CloseDate","CreatedDate","IsClosed","IsWon"';
  const csv = [
    `"D1","Qualification","100","2024-09-30","2024-07-01 00:00:00","0","0"`,
    `"D2","Closed Won","200","2024-08-15","2024-07-01 00:00:00","1","1"`,
    `"D3","Closed Lost","300","2024-08-20","2024-07-01 00:00:00","1","0"`,
    `"D4","Closed Lost","0","2024-08-21","2024-07-02 00:00:00","1","0"`,
    `"D5","Closed Lost","50","2024-08-22","2024-07-03 00:00:00","1","0"`
  ];
  it('counts every deal created in the first row, so Won is won ÷ created, and the lost without a known stage after the first', async () => {
    const ws = await openWorkspace(':memory:');
    await ws.ingest([csvFile('Opportunity.csv', HEADER, csv)], { asOf: '2024-09-01T00:00:00Z' });
    const rows = (await ws.metric('funnel')).rows;
    expect(rows).toEqual([
      { stage: 'Qualification', sort_order: 1, reached: 5, step_conversion: 1 / 5, cumulative_conversion: 1, open_count: 1, open_amount: 100, lost_after: 3 },
      { stage: 'Won', sort_order: 2, reached: 1, step_conversion: null, cumulative_conversion: 1 / 5, open_count: 0, open_amount: 0, lost_after: 0 }
    ]);
    expect((await ws.metric('deals', { furthest: 'Qualification', status: 'lost' })).rows.map((d) => d.deal_id).sort()).toEqual(['D3', 'D4', 'D5']);
    expect((await ws.metric('deals', { reached: 'Qualification' })).rows).toHaveLength(5);
    ws.close();
  });
});
