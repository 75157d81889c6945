import { describe, expect, it } from 'vitest';
import { STUCK_REASONS_TITLE, stuckReasonsChart, stuckReasonsTakeaway, type StuckReasonRow } from '../../../app/lib/charts/stuck-reasons-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

// Given out of order and without "inactive", to show the chart fills and orders reasons.
const ROWS: StuckReasonRow[] = [
  { reason: 'pushed', deals: 2, amount: 30000 },
  { reason: 'stalled', deals: 5, amount: 120000 },
  { reason: 'overdue', deals: 1, amount: 5000 }
];

const render = (rows = ROWS, total = 7) => renderChart(stuckReasonsChart, rows, { currency: 'EUR', width: 560, locale: 'en-US', filters: { type: 'Renewal' }, total });

describe('stuckReasonsChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/stuck-reasons-chart.svg');
  });

  it('shows every reason in a fixed order with count and amount', () => {
    const svg = render();
    const labels = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels.filter((l) => ['Stalled', 'Overdue', 'Pushed', 'Inactive'].includes(l))).toEqual(['Stalled', 'Overdue', 'Pushed', 'Inactive']);
    expect(svg).toContain('>5 deals · EUR&#160;120K</text>');
    expect(svg).toContain('>0 deals · EUR&#160;0</text>');
    expect(svg).toContain(`<h2>${STUCK_REASONS_TITLE}</h2>`);
  });

  it('links each bar to the list narrowed to its reason', () => {
    expect(render()).toContain('href="/stuck-deals?type=Renewal&reason=stalled"');
  });

  it('says so when nothing is stuck', () => {
    expect(stuckReasonsTakeaway([], 0, 'EUR')).toBe('No open deal is stuck.');
    expect(render([], 0)).not.toContain('NaN');
  });
});
