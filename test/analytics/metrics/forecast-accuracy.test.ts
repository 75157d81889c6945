import { describe, expect, it } from 'vitest';
import { A_AS_OF, usePipelineFixture, type Metric } from './fixture';

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
