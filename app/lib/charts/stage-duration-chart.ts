import * as Plot from '@observablehq/plot';
import { dealsHref } from '../filters';
import { DEFAULT_LOCALE, formatNumber } from '../format';
import { stageColorMap } from '../stage-colors';
import { CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface DurationChartRow {
  stage: string;
  sort_order: number;
  /** completed visit durations in days */
  days: number[];
  median_days: number | null;
  p75_days: number | null;
  p90_days: number | null;
  visits: number;
  ongoing: number;
}

export const DURATION_TITLE = 'Time spent in each stage';

const d = (v: number | null, locale: string) => (v === null ? '–' : `${formatNumber(Math.round(v * 10) / 10, locale)} d`);

/** The open stage with the longest median visit (ties: the first in stage order). */
export function slowestStage(rows: DurationChartRow[]): DurationChartRow | null {
  return [...rows]
    .sort((a, b) => a.sort_order - b.sort_order)
    .reduce<DurationChartRow | null>((s, r) => (r.median_days !== null && r.median_days > 0 && (s === null || r.median_days > s.median_days!) ? r : s), null);
}

export function durationTakeaway(rows: DurationChartRow[], locale = DEFAULT_LOCALE): string {
  const slow = slowestStage(rows);
  if (!slow) return 'No completed stage visit in this period.';
  return `${slow.stage} is the slowest stage: half of its visits last longer than ${d(slow.median_days, locale)}, one in ten longer than ${d(slow.p90_days, locale)} (${formatNumber(slow.visits, locale)} visits).`;
}

/**
 * One box per open stage in stage order (quartiles, whiskers at 1.5 IQR, outliers as
 * dots) of completed visit durations, a dark tick at p90, and per stage the median, p75,
 * p90 and ongoing count in words. The slowest stage (longest median) is named in bold.
 * The axis stops past the largest p90 (longer visits sit at its end), so a few very
 * long visits do not squash the boxes. A row links to the deals open in its stage now.
 */
export function stageDurationChart(rows: DurationChartRow[], options: ChartOptions): SVGSVGElement | HTMLElement {
  const { locale = DEFAULT_LOCALE, document, filters = {} } = options;
  const doc = document ?? globalThis.document;
  const list = [...rows].sort((a, b) => a.sort_order - b.sort_order || a.stage.localeCompare(b.stage));
  const stages = list.map((r) => r.stage);
  const colors = stageColorMap(list);
  const slow = slowestStage(list);
  // Past the largest p90 by half, rounded up to 10 days; longer visits are drawn at the
  // axis end (clamping keeps the quartiles, and unlike Plot's clip the SVG stays deterministic).
  const limit = Math.max(10, Math.ceil(Math.max(0, ...list.map((r) => (r.p90_days ?? 0) * 1.5)) / 10) * 10);
  const points = list.flatMap((r) => r.days.map((days) => ({ stage: r.stage, days: Math.min(days, limit) })));
  const marginLeft = Math.min(220, 16 + Math.max(0, ...stages.map((s) => s.length)) * 7);
  const marginRight = 310;
  const width = chartWidth(options, marginLeft + marginRight + 200);
  const num = (v: number | null) => (v === null ? '–' : formatNumber(Math.round(v * 10) / 10, locale));
  const label = (r: DurationChartRow) => `median ${num(r.median_days)} · p75 ${num(r.p75_days)} · p90 ${num(r.p90_days)} d · ${formatNumber(r.ongoing, locale)} ongoing`;
  const described = (r: DurationChartRow) => `${r === slow ? 'slowest stage, ' : ''}${label(r)}`;

  return Plot.plot({
    document,
    width,
    height: Math.max(140, 60 + list.length * 38),
    marginLeft,
    marginRight,
    marginBottom: 40,
    className: 'plot',
    title: DURATION_TITLE,
    subtitle: paragraph(doc, durationTakeaway(list, locale)),
    ariaLabel: DURATION_TITLE,
    ariaDescription: `Box plot per open stage, in stage order, of how many days completed visits lasted; a dark tick marks the 90th percentile. ${list
      .map((r) => `${r.stage}: ${described(r)}, ${formatNumber(r.visits, locale)} visits`)
      .join('; ')}.`,
    style: CHART_STYLE,
    x: { label: 'Days in the stage, per completed visit →', domain: [0, limit], grid: true },
    y: { label: null, domain: stages, tickSize: 0 },
    color: { domain: stages, range: stages.map((s) => colors.get(s)!) },
    marks: [
      Plot.barX(list, {
        x1: 0,
        x2: limit,
        y: 'stage',
        fill: 'currentColor',
        fillOpacity: (r: DurationChartRow) => (r === slow ? 0.06 : 0),
        href: (r: DurationChartRow) => dealsHref({ ...filters, period: undefined, from: undefined, to: undefined }, { stage: r.stage, status: 'open' }),
        ariaLabel: (r: DurationChartRow) => `${r.stage}: ${described(r)}`,
        title: (r: DurationChartRow) => `${r.stage}: ${described(r)}\n${formatNumber(r.visits, locale)} completed visits. Click for the deals open in this stage now`
      }),
      Plot.boxX(points, { x: 'days', y: 'stage', fill: 'stage', fillOpacity: 0.75, stroke: 'currentColor', r: 1.5 }),
      Plot.tickX(
        list.filter((r) => r.p90_days !== null),
        { x: 'p90_days', y: 'stage', stroke: 'currentColor', strokeWidth: 2, strokeDasharray: '3,2', insetTop: 6, insetBottom: 6 }
      ),
      Plot.text(list, { frameAnchor: 'right', y: 'stage', text: label, textAnchor: 'start', dx: 12, fill: 'currentColor', fontWeight: 'normal', filter: (r: DurationChartRow) => r !== slow }),
      Plot.text(list, { frameAnchor: 'right', y: 'stage', text: label, textAnchor: 'start', dx: 12, fill: 'currentColor', fontWeight: 'bold', filter: (r: DurationChartRow) => r === slow }),
      Plot.ruleX([0])
    ]
  });
}
