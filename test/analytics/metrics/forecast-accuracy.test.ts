import { describe, expect, it } from 'vitest';
import { AS_OF, A_AS_OF, B_AS_OF, usePipelineFixture, type Metric } from './fixture';

describe('forecast-accuracy', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // Snapshot A (2024-06-30) was taken before FY2024Q2 ended and after FY2024Q1 ended; FY2024Q3 has not ended at B.
  // A's FY2024Q2: won D3 20,000 + D16 Commit 5,000 (Negotiation, 80%). Actual in B: D3 20,000 (D16 is gone).
  it('compares each earlier snapshot’s forecast of an ended quarter with the actual, and gives WAPE per figure', async () => {
    expect(await metric('forecast-accuracy')).toEqual([
      { quarter: 'FY2024Q2', snapshot_id: fixture.a, as_of: A_AS_OF, figure: 'commit_forecast', forecast: 25000, actual: 20000, error: 0.25, wape: null },
      { quarter: 'FY2024Q2', snapshot_id: fixture.a, as_of: A_AS_OF, figure: 'best_case_forecast', forecast: 25000, actual: 20000, error: 0.25, wape: null },
      { quarter: 'FY2024Q2', snapshot_id: fixture.a, as_of: A_AS_OF, figure: 'weighted', forecast: 24000, actual: 20000, error: 0.2, wape: null },
      { quarter: 'FY2024Q2', snapshot_id: fixture.a, as_of: A_AS_OF, figure: 'calibrated', forecast: 24000, actual: 20000, error: 0.2, wape: null },
      { quarter: '(all ended)', snapshot_id: null, as_of: null, figure: 'commit_forecast', forecast: 25000, actual: 20000, error: null, wape: 0.25 },
      { quarter: '(all ended)', snapshot_id: null, as_of: null, figure: 'best_case_forecast', forecast: 25000, actual: 20000, error: null, wape: 0.25 },
      { quarter: '(all ended)', snapshot_id: null, as_of: null, figure: 'weighted', forecast: 24000, actual: 20000, error: null, wape: 0.2 },
      { quarter: '(all ended)', snapshot_id: null, as_of: null, figure: 'calibrated', forecast: 24000, actual: 20000, error: null, wape: 0.2 }
    ]);
  });

  it('has no rows from the first snapshot (nothing earlier forecast anything)', async () => {
    expect(await metric('forecast-accuracy', { snapshot: String(fixture.a) })).toEqual([]);
  });
});

describe('forecast-accuracy at a third snapshot', () => {
  const fixture = usePipelineFixture(['a', 'b', 'c']);
  const row = (quarter: string, snapshot: 'a' | 'b', figure: string, forecast: number, actual: number) => ({
    quarter, snapshot_id: fixture[snapshot], as_of: AS_OF[snapshot], figure, forecast, actual, error: (forecast - actual) / actual, wape: null
  });
  const wape = (figure: string, forecast: number, absError: number, actual: number) => ({
    quarter: '(all ended)', snapshot_id: null, as_of: null, figure, forecast, actual, error: null, wape: absError / actual
  });

  // C is taken 2024-10-01: FY2024Q2 and FY2024Q3 have ended. A (06-30) forecast both, B (07-31) only Q3.
  // Actuals in C: Q2 = D3 20,000; Q3 = D10 12,000 + D4 16,000 (8,000 EUR) + D17 4,000 (created and won after B) = 32,000.
  // Every stage has fewer than 20 closed deals, so calibrated uses stage probabilities (a deal's own 40% only in weighted).
  // A's Q2: won D3 20,000; D16 Commit 5,000 at 80% → 25,000, 25,000, 24,000, 24,000.
  // A's Q3: Commit D4 12,000 + D8 4,000 + D10 12,000 = 28,000; Best Case D11 6,000 + D15 10,000 → 44,000;
  //   weighted 0.8 × 28,000 + 0.5 × 6,000 + 0.4 × 10,000 + 0.2 × (D5 0 + D7 3,000 + D9 9,000) = 31,800; calibrated D15 at 50%: 32,800.
  // B's Q3: won D10 12,000; Commit D4 16,000 → 28,000; Best Case D15 8,000 → 36,000;
  //   weighted 12,000 + 12,800 + 3,200 + 0.2 × (D5 0 + D12 5,000) + 0.1 × (D13 2,500 + D14 3,500) = 29,600; calibrated D15 at 50%: 30,400.
  // WAPE over the three forecasts, ΣA = 20,000 + 32,000 + 32,000 = 84,000:
  //   commit |5,000| + |−4,000| + |−4,000| = 13,000; best case 5,000 + 12,000 + 4,000 = 21,000;
  //   weighted 4,000 + 200 + 2,400 = 6,600; calibrated 4,000 + 800 + 1,600 = 6,400.
  it('compares the forecasts A and B gave of the quarters ended by C with C’s closed won', async () => {
    expect(await fixture.metric('forecast-accuracy')).toEqual([
      row('FY2024Q2', 'a', 'commit_forecast', 25000, 20000), // error 0.25
      row('FY2024Q2', 'a', 'best_case_forecast', 25000, 20000), // 0.25
      row('FY2024Q2', 'a', 'weighted', 24000, 20000), // 0.2
      row('FY2024Q2', 'a', 'calibrated', 24000, 20000), // 0.2
      row('FY2024Q3', 'a', 'commit_forecast', 28000, 32000), // −0.125
      row('FY2024Q3', 'a', 'best_case_forecast', 44000, 32000), // 0.375
      row('FY2024Q3', 'a', 'weighted', 31800, 32000), // −0.00625
      row('FY2024Q3', 'a', 'calibrated', 32800, 32000), // 0.025
      row('FY2024Q3', 'b', 'commit_forecast', 28000, 32000), // −0.125
      row('FY2024Q3', 'b', 'best_case_forecast', 36000, 32000), // 0.125
      row('FY2024Q3', 'b', 'weighted', 29600, 32000), // −0.075
      row('FY2024Q3', 'b', 'calibrated', 30400, 32000), // −0.05
      wape('commit_forecast', 25000 + 28000 + 28000, 13000, 84000),
      wape('best_case_forecast', 25000 + 44000 + 36000, 21000, 84000), // 0.25
      wape('weighted', 24000 + 31800 + 29600, 6600, 84000),
      wape('calibrated', 24000 + 32800 + 30400, 6400, 84000)
    ]);
  });

  it('gives each error of the ended quarter as (F − A) ÷ A', async () => {
    const q3 = (await fixture.metric('forecast-accuracy', { period: 'FY2024Q3' })).filter((r) => r.snapshot_id !== null);
    expect(q3.map((r) => [r.as_of, r.figure, r.error])).toEqual([
      [A_AS_OF, 'commit_forecast', -0.125],
      [A_AS_OF, 'best_case_forecast', 0.375],
      [A_AS_OF, 'weighted', -0.00625],
      [A_AS_OF, 'calibrated', 0.025],
      [B_AS_OF, 'commit_forecast', -0.125],
      [B_AS_OF, 'best_case_forecast', 0.125],
      [B_AS_OF, 'weighted', -0.075],
      [B_AS_OF, 'calibrated', -0.05]
    ]);
  });
});
