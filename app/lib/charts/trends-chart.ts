import * as Plot from '@observablehq/plot';
import { dealsHref, type DealFilters } from '../filters';
import { DEFAULT_LOCALE, formatAmount, formatCount, formatDate, formatDay, formatNumber, formatSignedPercent } from '../format';
import { stageColorMap, type StageLike } from '../stage-colors';
import { amountAxis, CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';
import { FORECAST_CATEGORIES } from './forecast-chart';

/** One group (a stage or a forecast category) in one snapshot, as the trends metric gives it. */
export interface TrendsChartRow {
  snapshot_id: number;
  as_of: string;
  group: string;
  open_count: number;
  open_amount: number;
}

export type TrendsBy = 'stage' | 'forecast_category';
export type TrendsMeasure = 'amount' | 'count';

/** A stacked group, bottom first: its color and the deals filter behind it. */
export interface TrendGroup {
  name: string;
  color: string;
}

export interface TrendsChartOptions extends ChartOptions {
  by: TrendsBy;
  measure: TrendsMeasure;
  /** The groups in stacking order (bottom first), with their colors. */
  groups: TrendGroup[];
}

export const TRENDS_TITLE = { stage: 'Open pipeline by stage across snapshots', forecast_category: 'Open pipeline by forecast category across snapshots' } as const;

/** Forecast categories in the order of the forecast page (strongest first), Omitted last. */
const CATEGORY_COLORS = new Map<string, string>([
  ...FORECAST_CATEGORIES.filter((c) => c.key !== 'closed_won').map((c) => [c.label, c.color] as [string, string]),
  ['Omitted', '#9498a0']
]);

/**
 * The groups in stacking order with their colors: stages keep the colors of every other
 * page (stage order of the snapshot's open stages; stages only older snapshots had go
 * last), forecast categories the forecast page's.
 */
export function trendGroups(by: TrendsBy, names: string[], stages: StageLike[] = []): TrendGroup[] {
  const present = [...new Set(names)];
  if (by === 'forecast_category') {
    const known = [...CATEGORY_COLORS.keys()].filter((c) => present.includes(c));
    const other = present.filter((c) => !CATEGORY_COLORS.has(c)).sort();
    return [...known.map((name) => ({ name, color: CATEGORY_COLORS.get(name)! })), ...other.map((name) => ({ name, color: '#c9ccd1' }))];
  }
  const extra = present.filter((s) => !stages.some((x) => x.stage === s));
  const max = Math.max(0, ...stages.map((s) => s.sort_order));
  const all = [...stages, ...extra.map((stage, i) => ({ stage, sort_order: max + 1 + i }))];
  const colors = stageColorMap(all);
  return [...colors.keys()].filter((s) => present.includes(s)).map((name) => ({ name, color: colors.get(name)! }));
}

/** The deals behind one group of one snapshot: its open deals in that stage or category. */
export function trendDeals(by: TrendsBy, snapshotId: number, group: string): DealFilters & { snapshot: string } {
  return { snapshot: String(snapshotId), status: 'open', ...(by === 'stage' ? { stage: group } : { forecast_category: group }) };
}

export interface TrendsSnapshot {
  snapshot_id: number;
  as_of: string;
  open_count: number;
  open_amount: number;
  /** group → its count and amount (absent: no open deal there). */
  groups: Record<string, { open_count: number; open_amount: number }>;
}

/** One row per snapshot (oldest first) with its total and every group: the table's rows. */
export function pivotTrends(rows: TrendsChartRow[]): TrendsSnapshot[] {
  const bySnapshot = new Map<number, TrendsSnapshot>();
  for (const r of rows) {
    let s = bySnapshot.get(r.snapshot_id);
    if (!s) bySnapshot.set(r.snapshot_id, (s = { snapshot_id: r.snapshot_id, as_of: r.as_of, open_count: 0, open_amount: 0, groups: {} }));
    s.open_count += r.open_count;
    s.open_amount += r.open_amount;
    s.groups[r.group] = { open_count: r.open_count, open_amount: r.open_amount };
  }
  return [...bySnapshot.values()].sort((a, b) => a.as_of.localeCompare(b.as_of) || a.snapshot_id - b.snapshot_id);
}

const valueOf = (measure: TrendsMeasure, v: { open_count: number; open_amount: number } | undefined) => (v ? (measure === 'amount' ? v.open_amount : v.open_count) : 0);

/** First snapshot against the last: the total's change and the group that moved most. */
export function trendsTakeaway(rows: TrendsChartRow[], options: Pick<TrendsChartOptions, 'measure' | 'currency' | 'locale'>): string {
  const { measure, currency, locale = DEFAULT_LOCALE } = options;
  const snapshots = pivotTrends(rows);
  if (snapshots.length < 2) return 'Trends need at least two snapshots.';
  const first = snapshots[0];
  const last = snapshots[snapshots.length - 1];
  const show = (v: number) => (measure === 'amount' ? formatAmount(v, currency, locale).text : formatCount(v, 'deal', locale));
  const signed = (v: number) => (v < 0 ? `−${show(-v)}` : `+${show(v)}`);
  const a = valueOf(measure, first);
  const b = valueOf(measure, last);
  const change = a ? ` (${formatSignedPercent((b - a) / a, locale)})` : '';
  const names = [...new Set(rows.map((r) => r.group))];
  const moves = names.map((g) => ({ g, d: valueOf(measure, last.groups[g]) - valueOf(measure, first.groups[g]) }));
  const top = moves.reduce((m, x) => (Math.abs(x.d) > Math.abs(m.d) ? x : m), moves[0]);
  const mover = top && top.d !== 0 ? `; ${top.g} moved most, ${signed(top.d)}` : '';
  return `Open pipeline ${b >= a ? 'grew' : 'shrank'} from ${show(a)} on ${formatDate(first.as_of, locale)} to ${show(b)} on ${formatDate(last.as_of, locale)}${change}${mover}.`;
}

interface Segment extends TrendsChartRow {
  value: number;
  href: string;
}

/**
 * One stacked column per snapshot (oldest left), a segment per stage or forecast category
 * in the page's colors, each a link to the open deals behind it in that snapshot.
 * Pure: same rows and options, same SVG.
 */
export function trendsChart(rows: TrendsChartRow[], options: TrendsChartOptions): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document, filters = {}, by, measure, groups } = options;
  const doc = document ?? globalThis.document;
  const snapshots = pivotTrends(rows);
  const keys = snapshots.map((s) => String(s.snapshot_id));
  const dates = new Map(snapshots.map((s) => [String(s.snapshot_id), s.as_of]));
  const order = groups.map((g) => g.name);
  const segments: Segment[] = rows.map((r) => ({
    ...r,
    value: valueOf(measure, r),
    href: dealsHref(filters, trendDeals(by, r.snapshot_id, r.group) as DealFilters)
  }));
  const width = chartWidth(options, 80 + keys.length * 28);
  // Every label fits at ~64 px a snapshot; beyond that, every second (third…) one.
  const step = Math.max(1, Math.ceil((keys.length * 64) / Math.max(1, width - 80)));
  const max = Math.max(0, ...snapshots.map((s) => valueOf(measure, s)));
  const show = (v: number) => (measure === 'amount' ? formatAmount(v, currency, locale).title : formatCount(v, 'deal', locale));
  const title = TRENDS_TITLE[by];
  const describe = snapshots
    .map((s) => `${formatDate(s.as_of, locale)}: ${order.filter((g) => s.groups[g]).map((g) => `${g} ${show(valueOf(measure, s.groups[g]))}`).join(', ')}`)
    .join('; ');

  return Plot.plot({
    document,
    width,
    height: 360,
    marginLeft: 64,
    marginBottom: 40,
    className: 'plot',
    title,
    subtitle: paragraph(doc, trendsTakeaway(rows, { measure, currency, locale })),
    ariaLabel: title,
    ariaDescription: `Stacked bar chart per snapshot, oldest first: the open ${measure === 'amount' ? 'amount' : 'deal count'} per ${by === 'stage' ? 'stage' : 'forecast category'}. ${describe}.`,
    style: CHART_STYLE,
    x: {
      label: null,
      domain: keys,
      padding: 0.2,
      tickFormat: (k: string, i: number) => (i % step === 0 ? formatDay(dates.get(k), locale) : '')
    },
    y:
      measure === 'amount'
        ? amountAxis(currency, max, locale, 'Open amount')
        : { ...amountAxis(null, max, locale, 'Open deals'), tickFormat: (v: number) => formatNumber(v, locale) },
    color: { legend: true, domain: order, range: groups.map((g) => g.color) },
    marks: [
      Plot.barY(segments, {
        x: (d: Segment) => String(d.snapshot_id),
        y: 'value',
        fill: 'group',
        order,
        href: 'href',
        ariaLabel: (d: Segment) => `${formatDate(d.as_of, locale)} ${d.group}: ${show(d.value)}`,
        // A native tooltip: Plot's pointer tip would take the click meant for the link.
        title: (d: Segment) =>
          `${formatDate(d.as_of, locale)} · ${d.group}\n${formatAmount(d.open_amount, currency, locale).title} in ${formatCount(d.open_count, 'deal', locale)}\nClick for the deals`
      }),
      Plot.ruleY([0])
    ]
  });
}
