import { describe, expect, it } from 'vitest';
import { waterfallChart, waterfallSteps, waterfallTakeaway, type WaterfallRow } from '../../../app/lib/charts/waterfall-chart';
import { renderChart } from '../../../app/lib/server/render-chart';

// By hand: 1000 + 300 + 50 + 0 + 20 − 10 − 100 − 200 − 60 − 0 = 1000.
const ROWS: WaterfallRow[] = [
  { bucket: 'start', deals: 10, amount: 1000 },
  { bucket: 'new', deals: 3, amount: 300 },
  { bucket: 'pulled_in', deals: 1, amount: 50 },
  { bucket: 'reopened', deals: 0, amount: 0 },
  { bucket: 'increased', deals: 2, amount: 20 },
  { bucket: 'decreased', deals: 1, amount: 10 },
  { bucket: 'pushed_out', deals: 1, amount: 100 },
  { bucket: 'won', deals: 2, amount: 200 },
  { bucket: 'lost', deals: 1, amount: 60 },
  { bucket: 'removed', deals: 0, amount: 0 },
  { bucket: 'end', deals: 11, amount: 1000 }
];

const options = { currency: 'USD', width: 900, locale: 'en-US', periodLabel: 'FY2026 Q4', startHref: '/deals?snapshot=1&status=open&period=FY2026Q4', endHref: '/deals?snapshot=2&status=open&period=FY2026Q4' };

describe('waterfallChart', () => {
  it('renders the same SVG for the same rows', async () => {
    const svg = renderChart(waterfallChart, ROWS, options);
    expect(svg).toBe(renderChart(waterfallChart, ROWS, options));
    await expect(svg).toMatchFileSnapshot('./__snapshots__/waterfall-chart.svg');
  });

  it('floats each movement from the running total and ends where the end total is', () => {
    const steps = waterfallSteps(ROWS, 'en-US');
    expect(steps.map((s) => [s.label, s.y1, s.y2])).toEqual([
      ['Start', 0, 1000],
      ['New', 1000, 1300],
      ['Pulled in', 1300, 1350],
      ['Reopened', 1350, 1350],
      ['Increased', 1350, 1370],
      ['Decreased', 1370, 1360],
      ['Pushed out', 1360, 1260],
      ['Won', 1260, 1060],
      ['Lost', 1060, 1000],
      ['Removed', 1000, 1000],
      ['End', 0, 1000]
    ]);
    expect(steps.map((s) => s.text)).toEqual(['1K', '+300', '+50', '0', '+20', '−10', '−100', '−200', '−60', '0', '1K']);
  });

  it('links the two totals only, and titles the period', () => {
    const svg = renderChart(waterfallChart, ROWS, options);
    expect([...svg.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1])).toEqual([options.startHref, options.endHref]);
    expect(svg).toContain('<h2>Open pipeline changes, FY2026 Q4</h2>');
  });

  it('names the net change and the largest movement', () => {
    expect(waterfallTakeaway(ROWS, 'USD', 'en-US')).toBe("The period's open pipeline did not change, from USD\u00a01K to USD\u00a01K; the largest movement: new (USD\u00a0300).");
    expect(waterfallTakeaway([], 'USD', 'en-US')).toBe('Nothing to compare.');
  });
});
