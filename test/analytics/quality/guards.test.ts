import { describe, expect, it } from 'vitest';
import type { QualityCheck } from '../../../analytics/quality/checks';
import { guardRows } from '../../../analytics/quality/guards';

const check = (id: string, severity: QualityCheck['severity'], affects: string[]): QualityCheck => ({
  id,
  severity,
  sentence: `${id} found`,
  count: 1,
  examples: [],
  affects,
  drill: 'deals'
});

describe('guarded figures', () => {
  it('nulls the figures an unusable check names, in every row, and says why', () => {
    const rows = [{ owner: 'A', win_rate_count: 0.5, win_rate_amount: 1 }, { owner: 'B', win_rate_count: 1, win_rate_amount: 1 }];
    const out = guardRows('win-rates', rows, [check('lost-zero-amounts', 'unusable', ['win-rates.win_rate_amount'])]);
    expect(out).toEqual({
      rows: [{ owner: 'A', win_rate_count: 0.5, win_rate_amount: null }, { owner: 'B', win_rate_count: 1, win_rate_amount: null }],
      caveats: [{ check: 'lost-zero-amounts', figures: ['win_rate_amount'], reason: 'lost-zero-amounts found' }]
    });
    expect(rows[0].win_rate_amount).toBe(1); // the cached rows are not changed
  });

  it('leaves figures alone for a warning, or a check about other metrics', () => {
    const rows = [{ win_rate_amount: 1 }];
    expect(guardRows('win-rates', rows, [check('lost-zero-amounts', 'warning', ['win-rates.win_rate_amount'])])).toEqual({ rows, caveats: [] });
    expect(guardRows('win-rates', rows, [check('close-before-created', 'unusable', ['velocity.velocity'])])).toEqual({ rows, caveats: [] });
  });

  it('never shows a negative cycle: that row’s cycle and velocity are null under the close-before-created check', () => {
    const rows = [{ owner: 'A', avg_cycle_days: -81, velocity: -26600 }, { owner: 'B', avg_cycle_days: 30, velocity: 100 }];
    const out = guardRows('velocity', rows, [check('close-before-created', 'warning', ['velocity.avg_cycle_days'])]);
    expect(out.rows).toEqual([{ owner: 'A', avg_cycle_days: null, velocity: null }, { owner: 'B', avg_cycle_days: 30, velocity: 100 }]);
    expect(out.caveats).toEqual([
      { check: 'close-before-created', figures: ['avg_cycle_days', 'velocity'], reason: 'close-before-created found Where the cycle comes out negative, it is not shown.' }
    ]);
  });

  it('drops the stalled reason when durations are unusable, and the deals stuck for no other reason', () => {
    const rows = [
      { deal_id: 'A', days_in_stage: 0, reasons: ['stalled'] },
      { deal_id: 'B', days_in_stage: 0, reasons: ['stalled', 'overdue'] }
    ];
    const out = guardRows('stuck-deals', rows, [check('history-one-instant', 'unusable', ['stage-durations.median_days', 'stuck-deals.stalled'])]);
    expect(out.rows).toEqual([{ deal_id: 'B', days_in_stage: null, reasons: ['overdue'] }]);
    expect(out.caveats.map((c) => [c.check, c.figures])).toEqual([['history-one-instant', ['stalled']]]);
  });
});
