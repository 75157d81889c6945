import { describe, expect, it } from 'vitest';
import { A_AS_OF, B_AS_OF, usePipelineFixture } from './fixture';

describe('trends', () => {
  const fixture = usePipelineFixture();

  it('gives the open pipeline per stage in every snapshot', async () => {
    const rows = await fixture.metric('trends');
    expect(rows.map((r) => [r.as_of, r.stage, r.open_count, r.open_amount])).toEqual([
      // A: D14; D5, D7, D9; D6, D11, D15; D4 (6,000 EUR), D8, D10, D16
      [A_AS_OF, 'Prospecting', 1, 3500],
      [A_AS_OF, 'Qualification', 3, 12000],
      [A_AS_OF, 'Proposal', 3, 23000],
      [A_AS_OF, 'Negotiation', 4, 33000],
      // B: as the funnel's open counts
      [B_AS_OF, 'Prospecting', 2, 6000],
      [B_AS_OF, 'Qualification', 3, 14000],
      [B_AS_OF, 'Proposal', 2, 15000],
      [B_AS_OF, 'Negotiation', 1, 16000]
    ]);
  });

  it('groups by forecast category, the deal’s own first', async () => {
    const rows = await fixture.metric('trends', { by: 'forecast_category' });
    const b = rows.filter((r) => r.as_of === B_AS_OF).map((r) => [r.forecast_category, r.open_count, r.open_amount]);
    expect(b).toEqual(expect.arrayContaining([['Commit', 1, 16000], ['Best Case', 1, 8000], ['Omitted', 1, 7000], ['Pipeline', 5, 20000]]));
    expect(b).toHaveLength(4);
  });

  it('shows only the chosen snapshot and earlier ones', async () => {
    expect(new Set((await fixture.metric('trends', { snapshot: String(fixture.a) })).map((r) => r.as_of))).toEqual(new Set([A_AS_OF]));
  });
});

describe('forecast-trend', () => {
  const fixture = usePipelineFixture();

  // A's FY2024Q3: Commit D4 12,000 + D8 4,000 + D10 12,000; Best Case D11 6,000 + D15 10,000; Pipeline D5 0 + D7 3,000 + D9 9,000.
  // weighted = 0.8 × 28,000 + 0.5 × 6,000 + 0.4 × 10,000 (D15's own) + 0.2 × 12,000 = 31,800; calibrated uses Proposal's 50% for D15: 32,800.
  it('shows the quarter as each snapshot forecast it, beside the actual', async () => {
    expect(await fixture.metric('forecast-trend', { period: 'FY2024Q3' })).toEqual([
      { snapshot_id: fixture.a, as_of: A_AS_OF, quarter: 'FY2024Q3', closed_won: 0, commit_forecast: 28000, best_case_forecast: 44000, weighted: 31800, calibrated: 32800, actual: 12000 },
      { snapshot_id: fixture.b, as_of: B_AS_OF, quarter: 'FY2024Q3', closed_won: 12000, commit_forecast: 28000, best_case_forecast: 36000, weighted: 29600, calibrated: 30400, actual: 12000 }
    ]);
  });
});
