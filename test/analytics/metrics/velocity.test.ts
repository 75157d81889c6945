import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

describe('velocity', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // Window: the four quarters before FY2024Q3 = 2023-07-01..2024-06-30: won D1 (10,000, 60 days), D3 (20,000, 37 days), lost D2.
  // Open at B: D4, D5, D6, D9, D12, D13, D14, D15.
  it('multiplies open deals, average won amount and win rate over the average cycle', async () => {
    expect(await metric('velocity')).toEqual([
      { window_from: '2023-07-01', window_to: '2024-06-30', open_deals: 8, won: 2, lost: 1, win_rate_count: 2 / 3, avg_won_amount: 15000, avg_cycle_days: 48.5, velocity: (8 * 15000 * (2 / 3)) / 48.5 }
    ]);
  });

  it('is null for a group that won nothing in the window', async () => {
    const rows = await metric('velocity', { by: 'owner' });
    expect(rows.map((r) => [r.owner, r.open_deals, r.won, r.lost, r.velocity])).toEqual([
      ['Ann Lee', 4, 2, 0, (4 * 15000 * 1) / 48.5],
      ['Bob Roy', 4, 0, 1, null]
    ]);
  });
});
