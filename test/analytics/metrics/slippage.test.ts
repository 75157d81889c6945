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
