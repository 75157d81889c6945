import { describe, expect, it } from 'vitest';
import { SOURCE_TITLE, sourceChart, sourceTakeaway, type SourceChartRow } from '../../../app/lib/charts/source-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

const ROWS: SourceChartRow[] = [
  { lead_source: 'Web', leads: 100, converted: 20, lead_conversion: 0.2, opportunities: 20, won: 5, lost: 10, win_rate_count: 1 / 3, won_amount: 50000, median_sales_cycle_days: 80 },
  { lead_source: 'Partner', leads: 10, converted: 5, lead_conversion: 0.5, opportunities: 6, won: 3, lost: 1, win_rate_count: 0.75, won_amount: 150000, median_sales_cycle_days: 60.5 },
  { lead_source: '(none)', leads: 0, converted: 0, lead_conversion: null, opportunities: 2, won: 0, lost: 0, win_rate_count: null, won_amount: 0, median_sales_cycle_days: null }
];

const render = (rows = ROWS) => renderChart(sourceChart, rows, { currency: 'EUR', width: 900, locale: 'en-US', filters: { period: 'FY2026Q2' } });

describe('sourceChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/source-chart.svg');
  });

  it('orders sources by won amount and labels the path from lead to won', () => {
    const svg = render();
    expect(svg).toContain(`<h2>${SOURCE_TITLE}</h2>`);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]).filter((t) => ['Web', 'Partner', '(none)'].includes(t));
    expect(labels).toEqual(['Partner', 'Web', '(none)']);
    expect(svg).toContain('>EUR&#160;150K · leads 50% → win 75% (n=4) · 60.5 d</text>');
    expect(svg).toContain('>EUR&#160;0 · leads – → win – (n=0) · – d</text>');
  });

  it('links a source to its won deals created in the period', () => {
    expect(render()).toContain('href="/deals?period=FY2026Q2&lead_source=Web&status=won&date_field=created"');
  });

  it('names the source with the most won amount', () => {
    expect(sourceTakeaway(ROWS, 'EUR', 'en-US')).toBe(
      'Partner brings the most won amount: EUR\u00a0150K, 75% of EUR\u00a0200K; its leads convert at 50% and its deals win at 75% (n = 4).'
    );
    expect(sourceTakeaway([], 'EUR', 'en-US')).toBe('No lead or deal in this period.');
  });
});
