import { describe, expect, it } from 'vitest';
import { sparklineChart, sparklineDescription, type SparkPoint } from '../../../app/lib/charts/sparkline-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

const POINTS: SparkPoint[] = [
  { as_of: '2026-10-05T06:00:00Z', value: 1000 },
  { as_of: '2026-10-12T06:00:00Z', value: 1500 },
  { as_of: '2026-10-19T06:00:00Z', value: null },
  { as_of: '2026-10-26T06:00:00Z', value: 1200 }
];

const options = { label: 'Open pipeline', kind: 'amount' as const, currency: 'USD', current: '2026-10-26T06:00:00Z', locale: 'en-US', width: 200 };

describe('sparklineChart', () => {
  it('renders the same SVG for the same points', async () => {
    const svg = renderChart(sparklineChart, POINTS, options);
    expect(svg).toBe(renderChart(sparklineChart, POINTS, options));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/sparkline-chart.svg');
  });

  it('has no axes, one line, the current snapshot as a dot and a text alternative', () => {
    const svg = renderChart(sparklineChart, POINTS, options);
    expect(svg).not.toContain('axis');
    expect(svg.match(/<circle/g)).toHaveLength(1);
    expect(svg).toContain('aria-description="Open pipeline across 3 snapshots, Oct 5, 2026 to Oct 26, 2026: from USD\u00a01K to USD\u00a01.2K."');
  });

  it('says when there is no trend to draw', () => {
    expect(sparklineDescription(POINTS.slice(0, 1), options)).toBe('Open pipeline: not enough snapshots for a trend.');
    expect(renderChart(sparklineChart, [], options)).not.toContain('NaN');
  });
});
