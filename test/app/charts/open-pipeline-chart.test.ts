import { describe, expect, it } from 'vitest';
import {
  OPEN_PIPELINE_TITLE,
  openPipelineChart,
  openPipelineTakeaway,
  type OpenPipelineChartRow
} from '../../../app/lib/charts/open-pipeline-chart';
import { renderChart } from '../../../app/lib/server/render-chart';
import { STAGE_PALETTE } from '../../../app/lib/stage-colors';

// Three stages given out of stage order, to show the chart sorts by sort_order.
const ROWS: OpenPipelineChartRow[] = [
  { stage: 'Negotiation/Review', sort_order: 8, open_count: 2, open_amount: 80000 },
  { stage: 'Prospecting', sort_order: 1, open_count: 5, open_amount: 120000 },
  { stage: 'Qualification', sort_order: 2, open_count: 3, open_amount: 45000 }
];

const render = (rows = ROWS, currency: string | null = 'USD') => renderChart(openPipelineChart, rows, { currency, width: 640, locale: 'en-US' });

describe('openPipelineChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = render();
    expect(svg).toBe(render());
    await expect(svg).toMatchFileSnapshot('./__snapshots__/open-pipeline-chart.svg');
  });

  it('has a title, an aria label and a text description', () => {
    const svg = render();
    expect(svg).toContain(`<h2>${OPEN_PIPELINE_TITLE}</h2>`);
    expect(svg).toContain(`aria-label="${OPEN_PIPELINE_TITLE}"`);
    expect(svg).toContain('aria-description="Horizontal bar chart of the open amount per open stage, in stage order. Prospecting: USD');
  });

  it('keeps stage order top to bottom, whatever the row order', () => {
    const svg = render();
    const labels = [...svg.matchAll(/<text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    const stages = labels.filter((t) => ROWS.some((r) => r.stage === t));
    expect(stages).toEqual(['Prospecting', 'Qualification', 'Negotiation/Review']);
  });

  it('colors each bar by its stage position and labels it with the deal count', () => {
    const svg = render();
    const fills = [...svg.matchAll(/<rect fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toEqual([STAGE_PALETTE[0], STAGE_PALETTE[1], STAGE_PALETTE[2]]);
    expect(svg).toContain('>5 deals</text>');
    expect(svg).toContain('>3 deals</text>');
    expect(svg).toContain('>2 deals</text>');
  });

  it('labels the axis with the currency when known', () => {
    expect(render()).toContain('Open amount (USD) →');
    expect(render(ROWS, null)).toContain('Open amount →');
  });

  it('draws an all-zero pipeline without NaN', () => {
    const svg = render(ROWS.map((r) => ({ ...r, open_count: 0, open_amount: 0 })));
    expect(svg).not.toContain('NaN');
    expect(svg).toContain('No open deals at this snapshot.');
  });
});

describe('openPipelineTakeaway', () => {
  it('names the stage holding the most open amount, with its share', () => {
    expect(openPipelineTakeaway(ROWS, 'USD', 'en-US')).toBe('Prospecting holds the most open pipeline: USD\u00a0120K in 5 deals, 49% of USD\u00a0245K.');
  });

  it('breaks a tie by stage order', () => {
    const rows = ROWS.map((r) => ({ ...r, open_amount: 1000 }));
    expect(openPipelineTakeaway(rows, null, 'en-US')).toBe('Prospecting holds the most open pipeline: 1K in 5 deals, 33% of 3K.');
  });

  it('says so when there is nothing open or no amount', () => {
    expect(openPipelineTakeaway([], 'USD', 'en-US')).toBe('No open deals at this snapshot.');
    expect(openPipelineTakeaway(ROWS.map((r) => ({ ...r, open_amount: 0 })), 'USD', 'en-US')).toBe('10 open deals, none with an amount.');
  });
});
