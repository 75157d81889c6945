import { describe, expect, it } from 'vitest';
import { FUNNEL_TITLE, funnelChart, funnelTakeaway, type FunnelChartRow } from '../../../app/lib/charts/funnel-chart';
import { renderChart } from '../../../app/lib/server/render-chart';
import { STAGE_PALETTE, WON_COLOR } from '../../../app/lib/stage-colors';

// 10 deals created: 8 reached Qualification, 4 Proposal, 2 won (by hand: 8/10, 4/8, 2/4).
const ROWS: FunnelChartRow[] = [
  { stage: 'Won', sort_order: 3, reached: 2, step_conversion: null, cumulative_conversion: 0.2, won: true },
  { stage: 'Proposal', sort_order: 2, reached: 4, step_conversion: 0.5, cumulative_conversion: 0.4, won: false },
  { stage: 'Qualification', sort_order: 1, reached: 8, step_conversion: 0.5, cumulative_conversion: 0.8, won: false },
  { stage: 'Prospecting', sort_order: 0, reached: 10, step_conversion: 0.8, cumulative_conversion: 1, won: false }
];

const render = (rows = ROWS) => renderChart(funnelChart, rows, { currency: 'USD', width: 720, locale: 'en-US', filters: { period: 'FY2026Q3' } });

describe('funnelChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/funnel-chart.svg');
  });

  it('draws stages in stage order, then Won in the won color', () => {
    const svg = render();
    expect(svg).toContain(`<h2>${FUNNEL_TITLE}</h2>`);
    const fills = [...svg.matchAll(/<rect fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toEqual([STAGE_PALETTE[0], STAGE_PALETTE[1], STAGE_PALETTE[2], WON_COLOR]);
    expect(svg).toContain('>8 · 80% of first · 50% go on</text>');
    expect(svg).toContain('>2 · 20% of first</text>');
  });

  it('links a stage to the deals that reached it and Won to the won deals, created in the period', () => {
    const svg = render();
    expect(svg).toContain('href="/deals?period=FY2026Q3&reached=Qualification&date_field=created"');
    expect(svg).toContain('href="/deals?period=FY2026Q3&status=won&date_field=created"');
  });
});

describe('funnelTakeaway', () => {
  it('names the overall conversion and the biggest drop (first of equals)', () => {
    expect(funnelTakeaway(ROWS, 'en-US')).toBe('20% of 10 deals reached Won; the biggest drop is Qualification → Proposal (50% go on).');
  });

  it('says so when no deal was created', () => {
    expect(funnelTakeaway([], 'en-US')).toBe('No deal was created in this period.');
    expect(render([])).not.toContain('NaN');
  });
});
