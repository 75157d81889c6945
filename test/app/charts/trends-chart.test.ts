import { describe, expect, it } from 'vitest';
import { pivotTrends, trendGroups, trendsChart, trendsTakeaway, type TrendsChartOptions, type TrendsChartRow } from '../../../app/lib/charts/trends-chart';
import { renderChart } from '../../../app/lib/server/render-chart';
import { stageColor } from '../../../app/lib/stage-colors';

const A = '2026-10-05T06:00:00Z';
const B = '2026-10-12T06:00:00Z';

const ROWS: TrendsChartRow[] = [
  { snapshot_id: 1, as_of: A, group: 'Prospecting', open_count: 4, open_amount: 40000 },
  { snapshot_id: 1, as_of: A, group: 'Proposal', open_count: 2, open_amount: 60000 },
  { snapshot_id: 2, as_of: B, group: 'Prospecting', open_count: 5, open_amount: 30000 },
  { snapshot_id: 2, as_of: B, group: 'Proposal', open_count: 3, open_amount: 90000 },
  { snapshot_id: 2, as_of: B, group: 'Legacy', open_count: 1, open_amount: 5000 }
];
const STAGES = [
  { stage: 'Proposal', sort_order: 3 },
  { stage: 'Qualification', sort_order: 2 },
  { stage: 'Prospecting', sort_order: 1 }
];
const groups = trendGroups('stage', ROWS.map((r) => r.group), STAGES);
const options: TrendsChartOptions = { currency: 'USD', locale: 'en-US', filters: { owner: 'Emma Lindqvist' }, by: 'stage', measure: 'amount', groups };
const render = (rows = ROWS, o = options) => renderChart(trendsChart, rows, { ...o, width: 640 });

describe('trendGroups', () => {
  it('keeps every stage’s color from the snapshot’s stage order, stages only older snapshots had last', () => {
    // Qualification has no row but keeps its place, so Proposal is the third color as on the other pages.
    expect(groups).toEqual([
      { name: 'Prospecting', color: stageColor(0) },
      { name: 'Proposal', color: stageColor(2) },
      { name: 'Legacy', color: stageColor(3) }
    ]);
  });

  it('orders forecast categories as the forecast page, Omitted last', () => {
    expect(trendGroups('forecast_category', ['Omitted', 'Pipeline', 'Commit', 'Best Case']).map((g) => g.name)).toEqual(['Commit', 'Best Case', 'Pipeline', 'Omitted']);
  });
});

describe('pivotTrends', () => {
  it('gives one row per snapshot, oldest first, with its total', () => {
    const [a, b] = pivotTrends([...ROWS].reverse());
    expect([a.snapshot_id, a.open_count, a.open_amount]).toEqual([1, 6, 100000]);
    expect([b.snapshot_id, b.open_count, b.open_amount]).toEqual([2, 9, 125000]);
    expect(b.groups.Legacy).toEqual({ open_count: 1, open_amount: 5000 });
  });
});

describe('trendsChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/trends-chart.svg');
  });

  it('links every segment to that snapshot’s open deals of its stage, keeping the page filters', () => {
    const svg = render();
    expect(svg).toContain('href="/deals?owner=Emma+Lindqvist&snapshot=2&status=open&stage=Proposal"');
    expect([...svg.matchAll(/<a [^>]*href=/g)]).toHaveLength(5);
    for (const label of ['Prospecting', 'Proposal', 'Legacy']) expect(svg).toContain(`</svg>${label}</span>`);
    expect(svg).not.toContain('NaN');
  });

  it('links a forecast category to its deals and counts deals when asked', () => {
    const rows = ROWS.slice(0, 2).map((r, i) => ({ ...r, group: i ? 'Commit' : 'Pipeline' }));
    const svg = render(rows, { ...options, by: 'forecast_category', measure: 'count', groups: trendGroups('forecast_category', ['Commit', 'Pipeline']) });
    expect(svg).toContain('href="/deals?owner=Emma+Lindqvist&snapshot=1&status=open&forecast_category=Commit"');
    expect(svg).toContain('↑ Open deals');
  });
});

describe('trendsTakeaway', () => {
  it('compares the first snapshot with the last and names the group that moved most', () => {
    expect(trendsTakeaway(ROWS, { measure: 'amount', currency: 'USD', locale: 'en-US' })).toBe(
      'Open pipeline grew from USD\u00a0100K on Oct 5, 2026 to USD\u00a0125K on Oct 12, 2026 (+25%); Proposal moved most, +USD\u00a030K.'
    );
    expect(trendsTakeaway(ROWS, { measure: 'count', currency: 'USD', locale: 'en-US' })).toBe(
      'Open pipeline grew from 6 deals on Oct 5, 2026 to 9 deals on Oct 12, 2026 (+50%); Prospecting moved most, +1 deal.'
    );
  });

  it('asks for two snapshots', () => {
    expect(trendsTakeaway(ROWS.slice(0, 2), { measure: 'amount', currency: 'USD' })).toBe('Trends need at least two snapshots.');
  });
});
