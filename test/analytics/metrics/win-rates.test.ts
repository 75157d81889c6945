import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';
import { buildWinRatesSql } from '../../../analytics/metrics/win-rates';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';

describe('win-rates', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  it('counts closed deals only: won D1, D3, D10; lost D2, D11', async () => {
    expect(await metric('win-rates')).toEqual([
      { won: 3, lost: 2, closed: 5, win_rate_count: 0.6, won_amount: 42000, lost_amount: 11000, win_rate_amount: 42000 / 53000 }
    ]);
  });

  it('groups by owner', async () => {
    expect(await metric('win-rates', { by: 'owner' })).toEqual([
      { owner: 'Ann Lee', won: 2, lost: 1, closed: 3, win_rate_count: 2 / 3, won_amount: 30000, lost_amount: 6000, win_rate_amount: 30000 / 36000 },
      { owner: 'Bob Roy', won: 1, lost: 1, closed: 2, win_rate_count: 0.5, won_amount: 12000, lost_amount: 5000, win_rate_amount: 12000 / 17000 }
    ]);
  });

  it('groups by fiscal quarter of close date', async () => {
    const rows = await metric('win-rates', { by: 'quarter' });
    expect(rows.map((r) => [r.quarter, r.won, r.lost])).toEqual([
      ['FY2024Q1', 1, 1],
      ['FY2024Q2', 1, 0],
      ['FY2024Q3', 1, 1]
    ]);
  });

  it('filters by period and lead source, case-insensitively', async () => {
    expect((await metric('win-rates', { period: 'FY2024Q3' }))[0]).toMatchObject({ won: 1, lost: 1 });
    expect((await metric('win-rates', { lead_source: 'WEB' }))[0]).toMatchObject({ won: 2, lost: 1, win_rate_count: 2 / 3 });
  });

  it('gives 0, not null, when nothing was won but losses have amounts (Bob in FY2024Q1: D2 lost, 5,000)', async () => {
    expect(await metric('win-rates', { owner: 'Bob Roy', period: 'FY2024Q1' })).toEqual([
      { won: 0, lost: 1, closed: 1, win_rate_count: 0, won_amount: 0, lost_amount: 5000, win_rate_amount: 0 }
    ]);
  });

  it('gives null rates, not 0, for an empty period', async () => {
    expect(await metric('win-rates', { from: '2025-01-01', to: '2025-03-31' })).toEqual([
      { won: 0, lost: 0, closed: 0, win_rate_count: null, won_amount: 0, lost_amount: 0, win_rate_amount: null }
    ]);
  });

  it('rejects a grouping it does not offer', async () => {
    await expect(metric('win-rates', { by: 'colour' })).rejects.toThrow('bad parameter by');
  });

  it('builds parameterized SQL: values never in the text', () => {
    const { sql, params } = buildWinRatesSql({ snapshot: 2, owner: "x' OR 1=1 --", by: 'quarter' }, DEFAULT_SETTINGS);
    expect(sql).not.toContain("x' OR");
    expect(params).toEqual({ snapshot: 2, from: null, to: null, owner: "x' OR 1=1 --", lead_source: null, type: null, pipeline: null, fiscal_shift: 0 });
  });
});
