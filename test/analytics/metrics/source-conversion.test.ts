import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

describe('source-conversion', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  it('groups sources trimmed and case-insensitively, shows the most frequent spelling, empty last', async () => {
    expect(await metric('source-conversion')).toEqual([
      // leads L2 (20 days to convert, became D3); deals D3 won (37-day cycle), D11 lost, D4 and D14 open
      { lead_source: 'Partner Referral', leads: 1, converted: 1, lead_conversion: 1, median_days_to_convert: 20, opportunities: 4, won: 1, lost: 1, win_rate_count: 0.5, won_amount: 20000, avg_won_amount: 20000, median_sales_cycle_days: 37, converted_leads_deals: 1, converted_leads_won: 1 },
      // lead L5; deal D9 open
      { lead_source: 'Trade Show', leads: 1, converted: 0, lead_conversion: 0, median_days_to_convert: null, opportunities: 1, won: 0, lost: 0, win_rate_count: null, won_amount: 0, avg_won_amount: null, median_sales_cycle_days: null, converted_leads_deals: 0, converted_leads_won: 0 },
      // leads L1 (10 days), L3, "web" L4, L6 (15 days), L7; deals D1 won (60 days), D2 lost, D6, D10 won (96 days), D12, " web " D13, D15;
      // converted leads L1 → D1 (won) and L6 → D13 (open)
      { lead_source: 'Web', leads: 5, converted: 2, lead_conversion: 0.4, median_days_to_convert: 12.5, opportunities: 7, won: 2, lost: 1, win_rate_count: 2 / 3, won_amount: 22000, avg_won_amount: 11000, median_sales_cycle_days: 78, converted_leads_deals: 2, converted_leads_won: 1 },
      // deal D5, no lead
      { lead_source: '(none)', leads: 0, converted: 0, lead_conversion: null, median_days_to_convert: null, opportunities: 1, won: 0, lost: 0, win_rate_count: null, won_amount: 0, avg_won_amount: null, median_sales_cycle_days: null, converted_leads_deals: 0, converted_leads_won: 0 }
    ]);
  });

  it('counts nothing under converted leads\' deals when the export links no lead to a deal', async () => {
    // snapshot A has no Lead.csv at all
    const rows = await metric('source-conversion', { snapshot: String(fixture.a) });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => [r.converted_leads_deals, r.converted_leads_won])).toEqual(rows.map(() => [null, null]));
  });

  it('filters leads and deals by creation period', async () => {
    const rows = await metric('source-conversion', { period: 'FY2024Q3' });
    // created in July: lead L4 (web), deal D13 (" web ")
    expect(rows).toEqual([
      { lead_source: 'web', leads: 1, converted: 0, lead_conversion: 0, median_days_to_convert: null, opportunities: 1, won: 0, lost: 0, win_rate_count: null, won_amount: 0, avg_won_amount: null, median_sales_cycle_days: null, converted_leads_deals: 0, converted_leads_won: 0 }
    ]);
  });
});
