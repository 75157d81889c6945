import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

describe('deals (drill-down)', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  it('lists the deals behind a forecast cell: Q3 Pipeline, open', async () => {
    const rows = await metric('deals', { period: 'FY2024Q3', forecast_category: 'Pipeline', status: 'open' });
    expect(rows.map((r) => [r.deal_id, r.amount])).toEqual([['D12', 5000], ['D14', 3500], ['D13', 2500], ['D5', null]]);
  });

  it('lists the won deals of a period and the deals open in a stage', async () => {
    expect((await metric('deals', { status: 'won' })).map((r) => r.deal_id)).toEqual(['D3', 'D10', 'D1']);
    expect((await metric('deals', { stage: 'Qualification', owner: 'Ann Lee' })).map((r) => r.deal_id)).toEqual(['D9', 'D5']);
  });

  it('filters by created date on request and shows each deal as stored', async () => {
    const rows = await metric('deals', { period: 'FY2024Q3', date_field: 'created' });
    expect(rows).toEqual([
      { deal_id: 'D13', deal: 'Thirteen: new in July', account: null, owner: 'Ann Lee', pipeline: 'default', stage: 'Prospecting', status: 'open', forecast_category: 'Pipeline', amount: 2500, currency: 'USD', probability: 10, close_date: '2024-09-10', created_date: '2024-07-05', lead_source: 'web', type: 'New Customer', last_activity_date: '2024-07-20' }
    ]);
  });

  it('refuses an unknown status', async () => {
    await expect(metric('deals', { status: 'maybe' })).rejects.toThrow('bad parameter status');
  });
});

describe('deals that reached a stage', () => {
  const fixture = usePipelineFixture();

  it('are the deals the funnel counts for that stage', async () => {
    const funnel = await fixture.metric('funnel');
    for (const row of funnel.filter((r) => r.stage !== 'Won')) {
      const deals = await fixture.metric('deals', { reached: row.stage as string });
      expect(deals).toHaveLength(row.reached as number);
    }
    // Proposal: D1, D2 (skipped it), D3, D4 (created after it), D6, D10 (won), D11, D15
    expect((await fixture.metric('deals', { reached: 'Proposal' })).map((r) => r.deal_id).sort()).toEqual(['D1', 'D10', 'D11', 'D15', 'D2', 'D3', 'D4', 'D6']);
  });

  it("with status lost and furthest, are the funnel's lost after: D11 after Proposal, D2 after Negotiation", async () => {
    const funnel = await fixture.metric('funnel');
    for (const row of funnel.filter((r) => r.stage !== 'Won')) {
      expect(await fixture.metric('deals', { furthest: row.stage as string, status: 'lost' })).toHaveLength(row.lost_after as number);
    }
    expect((await fixture.metric('deals', { furthest: 'Proposal', status: 'lost' })).map((r) => r.deal_id)).toEqual(['D11']);
    expect((await fixture.metric('deals', { furthest: 'Negotiation', status: 'lost' })).map((r) => r.deal_id)).toEqual(['D2']);
  });
});
