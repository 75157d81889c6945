import { describe, expect, it } from 'vitest';
import { DURATION_TITLE, durationTakeaway, slowestStage, stageDurationChart, type DurationChartRow } from '../../../app/lib/charts/stage-duration-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

// Medians by hand: Qualification [2, 4, 6, 8, 30] → 6; Proposal [10, 12] → 11 (the slowest).
const ROWS: DurationChartRow[] = [
  { stage: 'Proposal', sort_order: 2, days: [10, 12], median_days: 11, p75_days: 11.5, p90_days: 11.8, visits: 2, ongoing: 1 },
  { stage: 'Qualification', sort_order: 1, days: [2, 4, 6, 8, 30], median_days: 6, p75_days: 8, p90_days: 21.2, visits: 5, ongoing: 3 },
  { stage: 'Closing', sort_order: 3, days: [], median_days: null, p75_days: null, p90_days: null, visits: 0, ongoing: 0 }
];

const render = (rows = ROWS) => renderChart(stageDurationChart, rows, { currency: null, width: 800, locale: 'en-US', filters: { owner: 'Ann', period: 'FY2026Q1' } });

describe('stageDurationChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/stage-duration-chart.svg');
  });

  it('labels every stage in stage order with median, p75, p90 and ongoing, the slowest in bold', () => {
    const svg = render();
    expect(svg).toContain(`<h2>${DURATION_TITLE}</h2>`);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]).filter((t) => ['Qualification', 'Proposal', 'Closing'].includes(t));
    expect(labels).toEqual(['Qualification', 'Proposal', 'Closing']);
    expect(svg).toContain('>median 6 · p75 8 · p90 21.2 d · 3 ongoing</text>');
    expect(svg).toMatch(/font-weight="bold"[^>]*>.*median 11 · p75 11.5 · p90 11.8 d · 1 ongoing<\/text>/s);
    expect(svg).toContain('>median – · p75 – · p90 – d · 0 ongoing</text>');
  });

  it('links a stage to the deals open in it now, without the period of the visits', () => {
    expect(render()).toContain('href="/deals?owner=Ann&stage=Proposal&status=open"');
  });

  it('draws no visit without NaN', () => {
    const svg = render([]);
    expect(svg).not.toContain('NaN');
    expect(svg).toContain('No completed stage visit in this period.');
  });
});

describe('slowestStage', () => {
  it('is the longest median; a tie goes to the earlier stage', () => {
    expect(slowestStage(ROWS)?.stage).toBe('Proposal');
    expect(slowestStage(ROWS.map((r) => ({ ...r, median_days: r.median_days === null ? null : 5 })))?.stage).toBe('Qualification');
    expect(durationTakeaway(ROWS, 'en-US')).toBe('Proposal is the slowest stage: half of its visits last longer than 11 d, one in ten longer than 11.8 d (2 visits).');
  });
});
