import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

describe('lead-funnel', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  it('counts leads by status in status order, a custom status last, the deleted lead left out', async () => {
    expect(await metric('lead-funnel')).toEqual([
      { status: 'Open - Not Contacted', sort_order: 1, leads: 1, share: 1 / 7, converted: 0, conversion_rate: null },
      { status: 'Working - Contacted', sort_order: 2, leads: 1, share: 1 / 7, converted: 0, conversion_rate: null },
      { status: 'Closed - Converted', sort_order: 3, leads: 3, share: 3 / 7, converted: 3, conversion_rate: null },
      { status: 'Closed - Not Converted', sort_order: 4, leads: 1, share: 1 / 7, converted: 0, conversion_rate: null },
      { status: 'Nurture', sort_order: 5, leads: 1, share: 1 / 7, converted: 0, conversion_rate: null },
      { status: '(all leads)', sort_order: null, leads: 7, share: 1, converted: 3, conversion_rate: 3 / 7 }
    ]);
  });

  it('filters by creation period and source (L3, L6, L7 are Web leads created in FY2024Q2)', async () => {
    const rows = await metric('lead-funnel', { period: 'FY2024Q2', lead_source: 'web' });
    expect(rows.at(-1)).toEqual({ status: '(all leads)', sort_order: null, leads: 3, share: 1, converted: 1, conversion_rate: 1 / 3 });
  });

  it('gives a null conversion rate when no lead was created', async () => {
    const rows = await metric('lead-funnel', { period: 'FY2025Q1' });
    expect(rows.at(-1)).toEqual({ status: '(all leads)', sort_order: null, leads: 0, share: null, converted: 0, conversion_rate: null });
  });
});
