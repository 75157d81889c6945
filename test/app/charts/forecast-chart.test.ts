import { describe, expect, it } from 'vitest';
import { FORECAST_TITLE, forecastChart, forecastTakeaway, type ForecastChartRow } from '../../../app/lib/charts/forecast-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

const ROWS: ForecastChartRow[] = [
  { quarter: 'FY2026Q3', closed_won: 300000, commit: 0, best_case: 20000, pipeline: 50000, weighted: 320000, calibrated: 318000 },
  { quarter: 'FY2026Q4', closed_won: 100000, commit: 150000, best_case: 80000, pipeline: 400000, weighted: 290000, calibrated: 310000 }
];

const render = (rows = ROWS) => renderChart(forecastChart, rows, { currency: 'USD', width: 640, locale: 'en-US', filters: { owner: 'Emma Lindqvist' }, focus: 'FY2026Q4' });

describe('forecastChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/forecast-chart.svg');
  });

  it('has a title, a legend and a text description', () => {
    const svg = render();
    expect(svg).toContain(`<h2>${FORECAST_TITLE}</h2>`);
    expect(svg).toContain('aria-description="Stacked bar chart per fiscal quarter');
    for (const label of ['Closed won', 'Commit', 'Best Case', 'Pipeline']) expect(svg).toContain(`</svg>${label}</span>`);
  });

  it('links every segment to its deals, keeping the page filters', () => {
    const svg = render();
    expect(svg).toContain('href="/deals?owner=Emma+Lindqvist&status=open&forecast_category=Commit&period=FY2026Q4"');
    expect(svg).toContain('href="/deals?owner=Emma+Lindqvist&status=won&period=FY2026Q3"');
    expect([...svg.matchAll(/<a [^>]*href=/g)]).toHaveLength(8);
  });

  it('draws no quarter without NaN', () => {
    const svg = render([]);
    expect(svg).not.toContain('NaN');
    expect(svg).toContain('No deal closes in these quarters.');
  });
});

describe('forecastTakeaway', () => {
  it('sums the focused quarter cumulatively', () => {
    expect(forecastTakeaway(ROWS, 'USD', 'en-US', 'FY2026Q4')).toBe(
      'FY2026 Q4: USD\u00a0100K closed won, USD\u00a0250K with commit, USD\u00a0330K with best case; weighted USD\u00a0290K.'
    );
  });
});
