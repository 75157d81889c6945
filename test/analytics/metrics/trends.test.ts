import { describe, expect, it } from 'vitest';
import { A_AS_OF, B_AS_OF, C_AS_OF, usePipelineFixture } from './fixture';

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

describe('trends and forecast-trend across three snapshots', () => {
  const fixture = usePipelineFixture(['a', 'b', 'c']);

  it('adds C’s open pipeline per stage after A’s and B’s', async () => {
    const rows = await fixture.metric('trends');
    expect(rows.filter((r) => r.as_of !== C_AS_OF).map((r) => [r.as_of, r.stage, r.open_count, r.open_amount])).toEqual(
      (await fixture.metric('trends', { snapshot: String(fixture.b) })).map((r) => [r.as_of, r.stage, r.open_count, r.open_amount])
    );
    // C: no Prospecting deal left (D13 moved on, D14 is gone); Qualification D5 1,500, D12 5,000, D13 3,000;
    // Proposal D6 6,000, D9 9,000, D11 6,000 (reopened); Negotiation D18 3,000 (new). 7 deals, 33,500.
    expect(rows.filter((r) => r.as_of === C_AS_OF).map((r) => [r.stage, r.open_count, r.open_amount])).toEqual([
      ['Qualification', 3, 9500],
      ['Proposal', 3, 21000],
      ['Negotiation', 1, 3000]
    ]);
    expect(rows).toHaveLength(4 + 4 + 3);
  });

  // Ordered by the lowest stage of each category: Pipeline (Qualification), Best Case and Omitted (Proposal), Commit.
  it('groups C by forecast category', async () => {
    const rows = await fixture.metric('trends', { by: 'forecast_category' });
    expect(rows.filter((r) => r.as_of === C_AS_OF).map((r) => [r.forecast_category, r.open_count, r.open_amount])).toEqual([
      ['Pipeline', 3, 9500], // D5, D12, D13
      ['Best Case', 2, 15000], // D9, D11
      ['Omitted', 1, 6000], // D6
      ['Commit', 1, 3000] // D18
    ]);
  });

  // FY2024Q3 at A and B as above; at C: won D10 12,000 + D4 16,000 + D17 4,000 = 32,000, and still open (overdue):
  // D18 Commit 3,000 (80%), D5 Pipeline 1,500 (20%), D6 Omitted. Commit forecast 35,000 = best case forecast (no Best Case left);
  // weighted = calibrated = 32,000 + 2,400 + 300 = 34,700. The actual is C's closed won, 32,000.
  it('shows the ended quarter as each of the three snapshots forecast it', async () => {
    const actual = 32000;
    expect(await fixture.metric('forecast-trend', { period: 'FY2024Q3' })).toEqual([
      { snapshot_id: fixture.a, as_of: A_AS_OF, quarter: 'FY2024Q3', closed_won: 0, commit_forecast: 28000, best_case_forecast: 44000, weighted: 31800, calibrated: 32800, actual },
      { snapshot_id: fixture.b, as_of: B_AS_OF, quarter: 'FY2024Q3', closed_won: 12000, commit_forecast: 28000, best_case_forecast: 36000, weighted: 29600, calibrated: 30400, actual },
      { snapshot_id: fixture.c, as_of: C_AS_OF, quarter: 'FY2024Q3', closed_won: 32000, commit_forecast: 35000, best_case_forecast: 35000, weighted: 34700, calibrated: 34700, actual }
    ]);
  });

  // C's own quarter, FY2024Q4 (the default). A: D14 3,500 Pipeline at 10% → weighted 350. B: D9 9,000 Pipeline at 20% → 1,800.
  // C: Best Case D9 9,000 + D11 6,000 (50%), Pipeline D12 5,000 + D13 3,000 (20%) → best case forecast 15,000,
  // weighted 4,500 + 3,000 + 1,000 + 600 = 9,100. Nothing won yet.
  it('defaults to the quarter of the chosen snapshot', async () => {
    const rows = await fixture.metric('forecast-trend');
    expect(rows.map((r) => [r.as_of, r.quarter, r.closed_won, r.commit_forecast, r.best_case_forecast, r.weighted, r.calibrated, r.actual])).toEqual([
      [A_AS_OF, 'FY2024Q4', 0, 0, 0, 350, 350, 0],
      [B_AS_OF, 'FY2024Q4', 0, 0, 0, 1800, 1800, 0],
      [C_AS_OF, 'FY2024Q4', 0, 0, 15000, 9100, 9100, 0]
    ]);
  });
});
