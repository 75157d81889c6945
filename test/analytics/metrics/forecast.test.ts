import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

const zero = { closed_won: 0, commit: 0, best_case: 0, pipeline: 0, omitted: 0, commit_forecast: 0, best_case_forecast: 0, open_pipeline: 0, weighted: 0, calibrated: 0 };

describe('forecast', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  it('sums each fiscal quarter by forecast category, weighted and calibrated', async () => {
    expect(await metric('forecast')).toEqual([
      { quarter: 'FY2024Q1', ...zero, closed_won: 10000, commit_forecast: 10000, best_case_forecast: 10000, weighted: 10000, calibrated: 10000 },
      { quarter: 'FY2024Q2', ...zero, closed_won: 20000, commit_forecast: 20000, best_case_forecast: 20000, weighted: 20000, calibrated: 20000 },
      // won D10 12,000; open: D4 Commit 8,000 EUR = 16,000 (80%); D15 Best Case 8,000 (own probability 40%, stage 50%);
      // Pipeline D5 0, D12 5,000, D13 2,500, D14 3,500 (20%, 20%, 10%, 10%); D6 Omitted 7,000 (in no forecast)
      // weighted = 12,000 + 12,800 + 3,200 + 0 + 1,000 + 250 + 350; calibrated falls back to stage probabilities (< 20 closed deals): D15 at 50%
      { quarter: 'FY2024Q3', closed_won: 12000, commit: 16000, best_case: 8000, pipeline: 11000, omitted: 7000, commit_forecast: 28000, best_case_forecast: 36000, open_pipeline: 35000, weighted: 29600, calibrated: 30400 },
      { quarter: 'FY2024Q4', ...zero, pipeline: 9000, open_pipeline: 9000, weighted: 1800, calibrated: 1800 }
    ]);
  });

  it('calibrates on the stages closed deals visited once enough of them closed', async () => {
    // closed deals D1 won, D2 lost, D3 won, D10 won, D11 lost visited: Prospecting 3/5, Qualification 2/2,
    // Proposal 2/3, Negotiation 2/3. Q3: 12,000 + D4 16,000×2/3 + D12 5,000×1 + D13 2,500×0.6 + D14 3,500×0.6 + D15 8,000×2/3
    const [q3] = await metric('forecast', { period: 'FY2024Q3' }, { calibration_min_deals: 2 });
    expect(q3.calibrated).toBeCloseTo(36600, 6);
  });

  it('gives zero sums for a quarter with no deal', async () => {
    expect(await metric('forecast', { period: 'FY2025Q2' })).toEqual([{ quarter: 'FY2025Q2', ...zero }]);
  });

  it('groups by owner within quarters', async () => {
    const rows = await metric('forecast', { by: 'owner', period: 'FY2024Q3' });
    // Ann: D5 0, D13 2,500 pipeline, D15 8,000 best case, D11 lost. Bob: D4 16,000 commit, D6 omitted, D10 won, D12, D14 pipeline
    expect(rows.map((r) => [r.owner, r.closed_won, r.commit, r.best_case, r.pipeline, r.omitted])).toEqual([
      ['Ann Lee', 0, 0, 8000, 2500, 0],
      ['Bob Roy', 12000, 16000, 0, 8500, 7000]
    ]);
  });

  it('groups by stage within quarters', async () => {
    const rows = await metric('forecast', { by: 'stage', period: 'FY2024Q3' });
    expect(rows.map((r) => [r.stage, r.closed_won, r.commit, r.best_case, r.pipeline, r.omitted])).toEqual([
      ['Closed Lost', 0, 0, 0, 0, 0],
      ['Closed Won', 12000, 0, 0, 0, 0],
      ['Negotiation', 0, 16000, 0, 0, 0],
      ['Proposal', 0, 0, 8000, 0, 7000],
      ['Prospecting', 0, 0, 0, 6000, 0],
      ['Qualification', 0, 0, 0, 5000, 0]
    ]);
  });
});
