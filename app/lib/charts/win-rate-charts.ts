import * as Plot from '@observablehq/plot';
import { dealsHref, type DealFilters } from '../filters';
import { DEFAULT_LOCALE, formatNumber, formatPercent, formatQuarter } from '../format';
import { CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface WinRateChartRow {
  /** The group: a quarter label, an owner, a lead source, a type. */
  group: string;
  won: number;
  lost: number;
  win_rate_count: number | null;
  win_rate_amount: number | null;
}

/** Below this many closed deals a rate is shown, but marked as a small sample. */
export const SMALL_SAMPLE = 20;

const COUNT_COLOR = '#4269d0';
const AMOUNT_COLOR = '#ff725c';

const n = (r: WinRateChartRow) => r.won + r.lost;
const sample = (r: WinRateChartRow, locale: string) => `n = ${formatNumber(n(r), locale)}${n(r) < SMALL_SAMPLE ? ', small sample' : ''}`;

export function winRateTrendTakeaway(rows: WinRateChartRow[], locale = DEFAULT_LOCALE): string {
  const closed = rows.filter((r) => n(r) > 0);
  if (!closed.length) return 'No deal closed in these quarters.';
  const last = closed[closed.length - 1];
  const prev = closed.length > 1 ? closed[closed.length - 2] : null;
  const change =
    prev && prev.win_rate_count !== null && last.win_rate_count !== null
      ? `, ${last.win_rate_count >= prev.win_rate_count ? 'up' : 'down'} from ${formatPercent(prev.win_rate_count, locale)} in ${formatQuarter(prev.group)}`
      : '';
  return `${formatQuarter(last.group)}: ${formatPercent(last.win_rate_count, locale)} of closed deals won (${sample(last, locale)})${change}.`;
}

/**
 * Win rate per fiscal quarter of close date: count rate (solid line, circles) and amount
 * rate (dashed line, squares), the sample size under each quarter. A count dot links to
 * the deals closed in its quarter.
 */
export function winRateTrendChart(rows: WinRateChartRow[], options: ChartOptions): SVGSVGElement | HTMLElement {
  const { locale = DEFAULT_LOCALE, document, filters = {} } = options;
  const doc = document ?? globalThis.document;
  const quarters = rows.map((r) => r.group);
  const width = chartWidth(options, 120 + quarters.length * 40);
  const pct = (v: number | null) => formatPercent(v, locale);
  const defined = (key: 'win_rate_count' | 'win_rate_amount') => rows.filter((r) => r[key] !== null);
  return Plot.plot({
    document,
    width,
    height: 300,
    marginLeft: 48,
    marginBottom: 56,
    className: 'plot',
    title: 'Win rate by quarter',
    subtitle: paragraph(doc, winRateTrendTakeaway(rows, locale)),
    ariaLabel: 'Win rate by quarter',
    ariaDescription: `Line chart of the win rate per fiscal quarter of close date, by count (solid, circles) and by amount (dashed, squares). ${rows
      .map((r) => `${formatQuarter(r.group)}: ${pct(r.win_rate_count)} by count, ${pct(r.win_rate_amount)} by amount, ${sample(r, locale)}`)
      .join('; ')}.`,
    style: CHART_STYLE,
    x: { label: null, domain: quarters, tickFormat: (q: string) => formatQuarter(q), padding: 0.5 },
    y: { label: '↑ Win rate', domain: [0, 1], grid: true, tickFormat: (v: number) => formatPercent(v, locale) },
    color: { legend: true, domain: ['By count', 'By amount'], range: [COUNT_COLOR, AMOUNT_COLOR] },
    marks: [
      Plot.line(defined('win_rate_amount'), { x: 'group', y: 'win_rate_amount', stroke: () => 'By amount', strokeDasharray: '5,4', strokeWidth: 2 }),
      Plot.dot(defined('win_rate_amount'), {
        x: 'group',
        y: 'win_rate_amount',
        fill: () => 'By amount',
        symbol: 'square',
        r: 4,
        title: (r: WinRateChartRow) => `${formatQuarter(r.group)} by amount: ${pct(r.win_rate_amount)}`
      }),
      Plot.line(defined('win_rate_count'), { x: 'group', y: 'win_rate_count', stroke: () => 'By count', strokeWidth: 2.5 }),
      Plot.dot(defined('win_rate_count'), {
        x: 'group',
        y: 'win_rate_count',
        fill: () => 'By count',
        r: 5,
        href: (r: WinRateChartRow) => dealsHref(filters, { status: 'closed', period: r.group }),
        ariaLabel: (r: WinRateChartRow) => `${formatQuarter(r.group)}: ${pct(r.win_rate_count)} by count, ${sample(r, locale)}`,
        title: (r: WinRateChartRow) => `${formatQuarter(r.group)}: ${pct(r.win_rate_count)} by count (${r.won} won of ${n(r)})\nClick for the closed deals`
      }),
      Plot.text(rows, { x: 'group', frameAnchor: 'bottom', dy: 36, text: (r: WinRateChartRow) => `n=${formatNumber(n(r), locale)}`, fill: 'currentColor', fillOpacity: 0.7 }),
      Plot.ruleY([0])
    ]
  });
}

export interface WinRateBarsOptions extends ChartOptions {
  title: string;
  /** Which filter a bar's drill-down sets to its group. */
  dimension: 'owner' | 'lead_source' | 'type';
}

export function winRateBarsTakeaway(rows: WinRateChartRow[], locale = DEFAULT_LOCALE): string {
  const trusted = rows.filter((r) => n(r) >= SMALL_SAMPLE && r.win_rate_count !== null);
  if (!trusted.length) return rows.some((r) => n(r) > 0) ? `Every group has fewer than ${SMALL_SAMPLE} closed deals: read the rates with care.` : 'No deal closed.';
  const best = trusted.reduce((b, r) => (r.win_rate_count! > b.win_rate_count! ? r : b));
  const worst = trusted.reduce((w, r) => (r.win_rate_count! < w.win_rate_count! ? r : w));
  if (best === worst) return `${best.group}: ${formatPercent(best.win_rate_count, locale)} (${sample(best, locale)}).`;
  return `Highest: ${best.group}, ${formatPercent(best.win_rate_count, locale)} (${sample(best, locale)}); lowest: ${worst.group}, ${formatPercent(worst.win_rate_count, locale)} (${sample(worst, locale)}).`;
}

/**
 * Count win rate per group as bars (largest sample first), the amount win rate as a
 * tick, each labelled with both rates and n; small samples are drawn hatched-light and
 * say so. A bar links to the closed deals of its group.
 */
export function winRateBarsChart(rows: WinRateChartRow[], options: WinRateBarsOptions): SVGSVGElement | HTMLElement {
  const { locale = DEFAULT_LOCALE, document, filters = {}, dimension, title } = options;
  const doc = document ?? globalThis.document;
  const list = [...rows].sort((a, b) => n(b) - n(a) || a.group.localeCompare(b.group));
  const groups = list.map((r) => r.group);
  const marginLeft = Math.min(200, 16 + Math.max(0, ...groups.map((g) => g.length)) * 6.5);
  const marginRight = 200;
  const width = chartWidth(options, marginLeft + marginRight + 120, 560);
  const pct = (v: number | null) => formatPercent(v, locale);
  const label = (r: WinRateChartRow) =>
    `${pct(r.win_rate_count)} · ${pct(r.win_rate_amount)} by amount · n=${formatNumber(n(r), locale)}${n(r) < SMALL_SAMPLE ? ' (small)' : ''}`;
  return Plot.plot({
    document,
    width,
    height: Math.max(120, 50 + list.length * 26),
    marginLeft,
    marginRight,
    marginBottom: 36,
    className: 'plot',
    title,
    subtitle: paragraph(doc, winRateBarsTakeaway(list, locale)),
    ariaLabel: title,
    ariaDescription: `Horizontal bars of the count win rate per group, largest sample first; a black tick marks the amount win rate. ${list.map((r) => `${r.group}: ${label(r)}`).join('; ')}.`,
    style: CHART_STYLE,
    x: { label: 'Win rate by count →', domain: [0, 1], grid: true, tickFormat: (v: number) => formatPercent(v, locale), ticks: 5 },
    y: { label: null, domain: groups, tickSize: 0 },
    marks: [
      Plot.barX(list, {
        x: (r: WinRateChartRow) => r.win_rate_count ?? 0,
        y: 'group',
        fill: COUNT_COLOR,
        fillOpacity: (r: WinRateChartRow) => (n(r) < SMALL_SAMPLE ? 0.35 : 0.9),
        insetTop: 3,
        insetBottom: 3,
        href: (r: WinRateChartRow) => dealsHref(filters, { status: 'closed', [dimension]: r.group } as DealFilters),
        ariaLabel: (r: WinRateChartRow) => `${r.group}: ${label(r)}`,
        title: (r: WinRateChartRow) => `${r.group}: ${label(r)}\n${r.won} won, ${r.lost} lost. Click for the closed deals`
      }),
      Plot.tickX(
        list.filter((r) => r.win_rate_amount !== null),
        { x: 'win_rate_amount', y: 'group', stroke: 'currentColor', strokeWidth: 2, insetTop: 2, insetBottom: 2 }
      ),
      Plot.text(list, { x: 1, y: 'group', text: label, textAnchor: 'start', dx: 8, fill: 'currentColor' }),
      Plot.ruleX([0])
    ]
  });
}
