import { describe, expect, it } from 'vitest';
import { winRateBarsChart, winRateBarsTakeaway, winRateTrendChart, winRateTrendTakeaway, type WinRateChartRow } from '../../../app/lib/charts/win-rate-charts';
import { renderChart } from '../../../app/lib/server/render-chart';

const QUARTERS: WinRateChartRow[] = [
  { group: 'FY2026Q2', won: 10, lost: 30, win_rate_count: 0.25, win_rate_amount: 0.2 },
  { group: 'FY2026Q3', won: 12, lost: 18, win_rate_count: 0.4, win_rate_amount: 0.5 },
  { group: 'FY2026Q4', won: 0, lost: 0, win_rate_count: null, win_rate_amount: null }
];

const OWNERS: WinRateChartRow[] = [
  { group: 'Ann', won: 1, lost: 0, win_rate_count: 1, win_rate_amount: 1 },
  { group: 'Bob', won: 20, lost: 30, win_rate_count: 0.4, win_rate_amount: 0.35 },
  { group: 'Cy', won: 5, lost: 20, win_rate_count: 0.2, win_rate_amount: 0.3 }
];

const base = { currency: 'USD', locale: 'en-US', filters: { type: 'New' } };

describe('winRateTrendChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = renderChart(winRateTrendChart, QUARTERS, { ...base, width: 720 });
    expect(svg).toBe(renderChart(winRateTrendChart, QUARTERS, { ...base, width: 720 }));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/win-rate-trend-chart.svg');
  });

  it('shows the sample size of every quarter and links a quarter to its closed deals', () => {
    const svg = renderChart(winRateTrendChart, QUARTERS, { ...base, width: 720 });
    expect(svg).toContain('>n=40</text>');
    expect(svg).toContain('>n=0</text>');
    expect(svg).toContain('href="/deals?type=New&status=closed&period=FY2026Q3"');
    expect(svg).not.toContain('NaN');
  });

  it('compares the last quarter with a closed deal to the one before', () => {
    expect(winRateTrendTakeaway(QUARTERS, 'en-US')).toBe('FY2026 Q3: 40% of closed deals won (n = 30), up from 25% in FY2026 Q2.');
  });
});

describe('winRateBarsChart', () => {
  const render = () => renderChart(winRateBarsChart, OWNERS, { ...base, width: 720, dimension: 'owner' as const, title: 'Win rate by owner' });

  it('renders the same SVG for the same rows', async () => {
    expect(render()).toBe(render());
    await expect(render()).toMatchFileSnapshot('./__snapshots__/win-rate-bars-chart.svg');
  });

  it('puts the largest sample first and marks small samples', () => {
    const svg = render();
    const labels = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]).filter((t) => ['Ann', 'Bob', 'Cy'].includes(t));
    expect(labels).toEqual(['Bob', 'Cy', 'Ann']);
    expect(svg).toContain('>100% · 100% by amount · n=1 (small)</text>');
    expect(svg).toContain('href="/deals?type=New&status=closed&owner=Bob"');
  });

  it('does not crown a 1-of-1 owner', () => {
    expect(winRateBarsTakeaway(OWNERS, 'en-US')).toBe('Highest: Bob, 40% (n = 50); lowest: Cy, 20% (n = 25).');
  });
});
