import { describe, expect, it } from 'vitest';
import { forecastTrendChart, forecastTrendTakeaway, type ForecastTrendChartRow } from '../../../app/lib/charts/forecast-trend-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

const ROWS: ForecastTrendChartRow[] = [
  { snapshot_id: 1, as_of: '2026-09-14T06:00:00Z', closed_won: 100000, commit_forecast: 250000, best_case_forecast: 320000, weighted: 280000, calibrated: 270000, actual: 300000 },
  { snapshot_id: 2, as_of: '2026-09-21T06:00:00Z', closed_won: 180000, commit_forecast: 260000, best_case_forecast: 310000, weighted: 290000, calibrated: 285000, actual: 300000 },
  { snapshot_id: 3, as_of: '2026-10-05T06:00:00Z', closed_won: 300000, commit_forecast: 300000, best_case_forecast: 300000, weighted: 300000, calibrated: 300000, actual: 300000 }
];
const options = { currency: 'USD', locale: 'en-US', quarter: 'FY2026Q3', ended: true };
const render = (rows = ROWS, o = options) => renderChart(forecastTrendChart, rows, { ...o, width: 640 });

describe('forecastTrendChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/forecast-trend-chart.svg');
  });

  it('draws a line per figure, a legend, and labels the actual', () => {
    const svg = render();
    expect(svg).toContain('<h2>FY2026 Q3 forecast, snapshot by snapshot</h2>');
    for (const label of ['Closed won', 'Commit forecast', 'Best case forecast', 'Weighted', 'Calibrated']) expect(svg).toContain(`</svg>${label}</span>`);
    expect([...svg.matchAll(/aria-label="line"/g)]).toHaveLength(5);
    expect(svg).toContain('>Actual USD&#160;300K</text>');
    expect(svg).not.toContain('NaN');
  });

  it('says closed won so far while the quarter runs, and survives one snapshot or none', () => {
    expect(render(ROWS.slice(0, 1), { ...options, ended: false })).toContain('>Closed won so far USD&#160;300K</text>');
    const none = render([]);
    expect(none).not.toContain('NaN');
    expect(none).toContain('No snapshot forecast FY2026 Q3.');
  });
});

describe('forecastTrendTakeaway', () => {
  it('sets the first snapshot’s forecast against the actual', () => {
    expect(forecastTrendTakeaway(ROWS, options)).toBe(
      'FY2026 Q3: on Sep 14, 2026 the commit forecast was USD\u00a0250K, best case USD\u00a0320K, weighted USD\u00a0280K; actual closed won USD\u00a0300K.'
    );
  });
});
