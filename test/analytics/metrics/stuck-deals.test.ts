import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

describe('stuck-deals', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // As of 2024-07-31 12:00. No stage has 10 completed visits, so every threshold is the 30-day fallback.
  // D12 (16.5 days, one push) and D13 (26.5 days) have no reason; D5 has no activity date, so it is not inactive.
  it('lists open deals with every reason that applies, largest amount first', async () => {
    expect(await metric('stuck-deals')).toEqual([
      { deal_id: 'D4', deal: 'Four: starts late, EUR', owner: 'Bob Roy', stage: 'Negotiation', amount: 16000, close_date: '2024-08-15', days_in_stage: 121.5, threshold_days: 30, push_count: 0, last_activity_date: '2024-07-30', reasons: ['stalled'] },
      { deal_id: 'D9', deal: 'Nine: pushed twice', owner: 'Ann Lee', stage: 'Qualification', amount: 9000, close_date: '2024-10-31', days_in_stage: 91.5, threshold_days: 30, push_count: 2, last_activity_date: '2024-07-15', reasons: ['stalled', 'pushed'] },
      { deal_id: 'D15', deal: 'Fifteen: decreased, own probability', owner: 'Ann Lee', stage: 'Proposal', amount: 8000, close_date: '2024-09-20', days_in_stage: 56.5, threshold_days: 30, push_count: 0, last_activity_date: '2024-07-08', reasons: ['stalled'] },
      { deal_id: 'D6', deal: 'Six: omitted, overdue', owner: 'Bob Roy', stage: 'Proposal', amount: 7000, close_date: '2024-07-20', days_in_stage: 50.5, threshold_days: 30, push_count: 0, last_activity_date: '2024-06-01', reasons: ['stalled', 'overdue', 'inactive'] },
      { deal_id: 'D14', deal: 'Fourteen: pulled in', owner: 'Bob Roy', stage: 'Prospecting', amount: 3500, close_date: '2024-08-20', days_in_stage: 51.5, threshold_days: 30, push_count: 0, last_activity_date: '2024-07-12', reasons: ['stalled'] },
      { deal_id: 'D5', deal: 'Five: no amount', owner: 'Ann Lee', stage: 'Qualification', amount: null, close_date: '2024-09-30', days_in_stage: 60.5, threshold_days: 30, push_count: 0, last_activity_date: null, reasons: ['stalled'] }
    ]);
  });

  it('counts the stuck deals per reason without listing them: stuck-reasons', async () => {
    // from the list above: stalled D4 16000, D9 9000, D15 8000, D6 7000, D14 3500, D5 none; overdue D6; pushed D9; inactive D6
    expect(await metric('stuck-reasons')).toEqual([
      { reason: 'any', deals: 6, amount: 43500 },
      { reason: 'stalled', deals: 6, amount: 43500 },
      { reason: 'overdue', deals: 1, amount: 7000 },
      { reason: 'pushed', deals: 1, amount: 9000 },
      { reason: 'inactive', deals: 1, amount: 7000 }
    ]);
    expect(await metric('stuck-reasons', { owner: 'Ann Lee' })).toEqual([
      { reason: 'any', deals: 3, amount: 17000 },
      { reason: 'stalled', deals: 3, amount: 17000 },
      { reason: 'overdue', deals: 0, amount: 0 },
      { reason: 'pushed', deals: 1, amount: 9000 },
      { reason: 'inactive', deals: 0, amount: 0 }
    ]);
  });

  it('pages: the largest `limit` deals, of one reason when asked', async () => {
    expect((await metric('stuck-deals', { limit: '2' })).map((r) => r.deal_id)).toEqual(['D4', 'D9']);
    expect((await metric('stuck-deals', { reason: 'pushed' })).map((r) => r.deal_id)).toEqual(['D9']);
    expect((await metric('stuck-deals', { reason: 'stalled', limit: '3' })).map((r) => r.deal_id)).toEqual(['D4', 'D9', 'D15']);
    await expect(metric('stuck-deals', { limit: '0' })).rejects.toThrow(/limit/);
    await expect(metric('stuck-deals', { reason: 'sleepy' })).rejects.toThrow(/reason/);
  });

  it('uses the p75 of completed visits once a stage has enough of them', async () => {
    // with a minimum of 5, Prospecting (8 visits) gets its p75, 30.25 days; the others keep 30
    const rows = await metric('stuck-deals', {}, { stall_min_visits: 5, stall_threshold_days: 30 });
    expect(rows.find((r) => r.deal_id === 'D14')).toMatchObject({ threshold_days: 30.25, reasons: ['stalled'] });
    expect(rows.find((r) => r.deal_id === 'D4')).toMatchObject({ threshold_days: 30 });
  });

  it('filters by owner', async () => {
    const rows = await metric('stuck-deals', { owner: 'Ann Lee' });
    expect(rows.map((r) => r.deal_id)).toEqual(['D9', 'D15', 'D5']);
  });
});
