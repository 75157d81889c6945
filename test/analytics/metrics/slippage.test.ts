import { describe, expect, it } from 'vitest';
import { usePipelineFixture } from './fixture';

describe('slippage', () => {
  const fixture = usePipelineFixture();

  // D9: 2024-06-30 → 07-31 (+31 days) → 10-31 (+92). D12: lost with 06-20, reopened with 09-15 (+87).
  // Moves to earlier dates (D1, D2, D3, D10, D11, D14) are not pushes.
  it('lists pushed deals with their push count and slip days', async () => {
    expect(await fixture.metric('slippage')).toEqual([
      { deal_id: 'D9', deal: 'Nine: pushed twice', owner: 'Ann Lee', stage: 'Qualification', status: 'open', amount: 9000, first_close_date: '2024-06-30', close_date: '2024-10-31', push_count: 2, slip_days: 123 },
      { deal_id: 'D12', deal: 'Twelve: reopened', owner: 'Bob Roy', stage: 'Qualification', status: 'open', amount: 5000, first_close_date: '2024-06-20', close_date: '2024-09-15', push_count: 1, slip_days: 87 }
    ]);
  });

  it('sums the amount pushed out of each quarter', async () => {
    expect(await fixture.metric('slipped-amount')).toEqual([
      { quarter: 'FY2024Q2', deals: 2, slipped_amount: 14000 }, // D9 and D12
      { quarter: 'FY2024Q3', deals: 1, slipped_amount: 9000 } // D9 again
    ]);
    expect(await fixture.metric('slipped-amount', { owner: 'Bob Roy' })).toEqual([{ quarter: 'FY2024Q2', deals: 1, slipped_amount: 5000 }]);
  });

  it('agrees with the push counts stuck deals use', async () => {
    const stuck = await fixture.metric('stuck-deals');
    expect(stuck.find((r) => r.deal_id === 'D9')?.push_count).toBe(2);
  });
});

describe('slippage at a third snapshot', () => {
  const fixture = usePipelineFixture(['a', 'b', 'c']);

  // C's history (test/fixtures/pipeline/c/OpportunityHistory.csv), days between successive later close dates:
  // D9: 06-30 → 07-31 (+31) → 10-31 (+92) → 12-15 (+45, moving to Proposal on 09-02 kept 10-31) = 3 pushes, 168 days.
  // D11: 08-30, lost with 07-05, reopened with 12-10 (07-05 is day 187 of 2024, 12-10 day 345: +158) = 1 push.
  // D12: 06-20 → 09-15 (+87) → 11-15 (+61) = 2 pushes, 148 days. D13: 09-10 → 10-15 (+35) = 1 push.
  // Earlier dates are not pushes: D4 won a day early (08-15 → 08-14), D15 lost 09-20 → 09-05, D17 won 09-30 → 09-25.
  it('counts every push and slip day of each deal up to C', async () => {
    expect(await fixture.metric('slippage')).toEqual([
      { deal_id: 'D9', deal: 'Nine: pushed twice', owner: 'Ann Lee', stage: 'Proposal', status: 'open', amount: 9000, first_close_date: '2024-06-30', close_date: '2024-12-15', push_count: 3, slip_days: 168 },
      { deal_id: 'D11', deal: 'Eleven: lost in July', owner: 'Ann Lee', stage: 'Proposal', status: 'open', amount: 6000, first_close_date: '2024-08-30', close_date: '2024-12-10', push_count: 1, slip_days: 158 },
      { deal_id: 'D12', deal: 'Twelve: reopened', owner: 'Bob Roy', stage: 'Qualification', status: 'open', amount: 5000, first_close_date: '2024-06-20', close_date: '2024-11-15', push_count: 2, slip_days: 148 },
      { deal_id: 'D13', deal: 'Thirteen: new in July', owner: 'Ann Lee', stage: 'Qualification', status: 'open', amount: 3000, first_close_date: '2024-09-10', close_date: '2024-10-15', push_count: 1, slip_days: 35 }
    ]);
  });

  // Out of FY2024Q2: D9 9,000 (06-30 → 07-31), D12 5,000 (06-20 → 09-15). Out of FY2024Q3: D9 9,000 (07-31 → 10-31),
  // D11 6,000 (07-05 → 12-10), D12 5,000 (09-15 → 11-15), D13 3,000 (09-10 → 10-15, the amount of that same history
  // row; it was 2,500 before). D9's third push stays inside FY2024Q4 and counts nowhere.
  it('sums the amount pushed out of each quarter up to C', async () => {
    expect(await fixture.metric('slipped-amount')).toEqual([
      { quarter: 'FY2024Q2', deals: 2, slipped_amount: 14000 },
      { quarter: 'FY2024Q3', deals: 4, slipped_amount: 23000 }
    ]);
    expect(await fixture.metric('slipped-amount', { owner: 'Bob Roy' })).toEqual([
      { quarter: 'FY2024Q2', deals: 1, slipped_amount: 5000 },
      { quarter: 'FY2024Q3', deals: 1, slipped_amount: 5000 }
    ]);
  });

  // "pushed" needs two pushes or more: D9 (3) and D12 (2), not D11 or D13 (1 each).
  it('flags the same deals as pushed in stuck deals at C', async () => {
    const stuck = await fixture.metric('stuck-deals');
    const pushed = stuck.filter((r) => String(r.reasons).split(',').includes('pushed'));
    expect(pushed.map((r) => [r.deal_id, r.push_count])).toEqual([['D9', 3], ['D12', 2]]);
  });
});
