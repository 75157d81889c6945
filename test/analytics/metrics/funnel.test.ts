import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

describe('funnel', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // Furthest open stage visited (history + current): D1 4 won, D2 4 (skipped 2-3) lost, D3 3 won (moved back),
  // D4 4 (created at 4), D5 2, D6 3, D9 2, D10 4 won, D11 3 lost, D12 2 (reopened), D13 1, D14 1, D15 3 (created at 3).
  it('counts a deal as reaching every stage up to the furthest it visited, won deals all', async () => {
    expect(await metric('funnel')).toEqual([
      { stage: 'Prospecting', sort_order: 1, reached: 13, step_conversion: 11 / 13, cumulative_conversion: 1, open_count: 2, open_amount: 6000 },
      { stage: 'Qualification', sort_order: 2, reached: 11, step_conversion: 8 / 11, cumulative_conversion: 11 / 13, open_count: 3, open_amount: 14000 },
      { stage: 'Proposal', sort_order: 3, reached: 8, step_conversion: 5 / 8, cumulative_conversion: 8 / 13, open_count: 2, open_amount: 15000 },
      { stage: 'Negotiation', sort_order: 4, reached: 5, step_conversion: 3 / 5, cumulative_conversion: 5 / 13, open_count: 1, open_amount: 16000 },
      { stage: 'Won', sort_order: 5, reached: 3, step_conversion: null, cumulative_conversion: 3 / 13, open_count: null, open_amount: null }
    ]);
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
