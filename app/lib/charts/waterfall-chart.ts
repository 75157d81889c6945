import * as Plot from '@observablehq/plot';
import { DEFAULT_LOCALE, formatAmount, formatCompact, formatCount } from '../format';

/** A movement's label: signed and compact, the currency being on the axis; a zero is just 0. */
const signed = (sign: number, v: number, locale: string) => (v === 0 ? '0' : `${sign > 0 ? '+' : '−'}${formatCompact(v, locale)}`);
import { CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface WaterfallRow {
  bucket: string;
  deals: number;
  amount: number;
}

/** The buckets in waterfall order, with the sign they carry (0: a total). */
export const BUCKETS = [
  { bucket: 'start', label: 'Start', sign: 0 },
  { bucket: 'new', label: 'New', sign: 1 },
  { bucket: 'pulled_in', label: 'Pulled in', sign: 1 },
  { bucket: 'reopened', label: 'Reopened', sign: 1 },
  { bucket: 'increased', label: 'Increased', sign: 1 },
  { bucket: 'decreased', label: 'Decreased', sign: -1 },
  { bucket: 'pushed_out', label: 'Pushed out', sign: -1 },
  { bucket: 'won', label: 'Won', sign: -1 },
  { bucket: 'lost', label: 'Lost', sign: -1 },
  { bucket: 'removed', label: 'Removed', sign: -1 },
  { bucket: 'end', label: 'End', sign: 0 }
] as const;

const COLORS = { total: '#9498a0', up: '#3ca951', down: '#ff725c', won: '#2f5bc4' };

interface Step {
  label: string;
  bucket: string;
  kind: 'total' | 'up' | 'down' | 'won';
  y1: number;
  y2: number;
  amount: number;
  deals: number;
  text: string;
  href: string | null;
}

export interface WaterfallOptions extends ChartOptions {
  /** Links for the two totals (the open deals of the period at each snapshot). */
  startHref?: string | null;
  endHref?: string | null;
  /** Link for a movement's deals (new, won, pushed out…): this followed by the bucket name. */
  bucketHref?: string | null;
  /** "FY2026 Q4", for the title. */
  periodLabel?: string;
}

export function waterfallSteps(rows: WaterfallRow[], locale = DEFAULT_LOCALE, options: Pick<WaterfallOptions, 'startHref' | 'endHref' | 'bucketHref'> = {}): Step[] {
  const by = new Map(rows.map((r) => [r.bucket, r]));
  let running = by.get('start')?.amount ?? 0;
  return BUCKETS.map((b) => {
    const r = by.get(b.bucket) ?? { bucket: b.bucket, deals: 0, amount: 0 };
    if (b.sign === 0) {
        return {
        label: b.label,
        bucket: b.bucket,
        kind: 'total' as const,
        y1: 0,
        y2: r.amount,
        amount: r.amount,
        deals: r.deals,
        text: formatCompact(r.amount, locale),
        href: (b.bucket === 'start' ? options.startHref : options.endHref) ?? null
      };
    }
    const y1 = running;
    running += b.sign * r.amount;
    return {
      label: b.label,
      bucket: b.bucket,
      kind: b.bucket === 'won' ? ('won' as const) : b.sign > 0 ? ('up' as const) : ('down' as const),
      y1,
      y2: running,
      amount: r.amount,
      deals: r.deals,
      text: signed(b.sign, r.amount, locale),
      href: r.deals && options.bucketHref ? options.bucketHref + encodeURIComponent(b.bucket) : null
    };
  });
}

export function waterfallTakeaway(rows: WaterfallRow[], currency: string | null, locale = DEFAULT_LOCALE): string {
  const get = (b: string) => rows.find((r) => r.bucket === b);
  const start = get('start')?.amount ?? 0;
  const end = get('end')?.amount ?? 0;
  if (!rows.length) return 'Nothing to compare.';
  const change = end - start;
  const moves = BUCKETS.filter((b) => b.sign !== 0)
    .map((b) => ({ ...b, amount: get(b.bucket)?.amount ?? 0 }))
    .sort((x, y) => y.amount - x.amount);
  const biggest = moves[0];
  const a = (v: number) => formatAmount(v, currency, locale).text;
  const dir = change > 0 ? `grew by ${a(change)}` : change < 0 ? `shrank by ${a(-change)}` : 'did not change';
  return `The period's open pipeline ${dir}, from ${a(start)} to ${a(end)}${biggest && biggest.amount > 0 ? `; the largest movement: ${biggest.label.toLowerCase()} (${a(biggest.amount)})` : ''}.`;
}

/**
 * A waterfall from the open pipeline of a period at the earlier snapshot (Start) to the
 * later one (End): gains in green, losses in red, won in blue, each bar labelled with
 * its signed amount and deal count; the totals link to their deals.
 */
export function waterfallChart(rows: WaterfallRow[], options: WaterfallOptions): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document } = options;
  const doc = document ?? globalThis.document;
  const steps = waterfallSteps(rows, locale, options);
  const labels = steps.map((s) => s.label);
  const width = chartWidth(options, 80 + steps.length * 56, 960);
  const max = Math.max(1, ...steps.flatMap((s) => [s.y1, s.y2]));
  const title = `Open pipeline changes${options.periodLabel ? `, ${options.periodLabel}` : ''}`;
  const full = (v: number) => formatAmount(v, currency, locale).title;
  return Plot.plot({
    document,
    width,
    height: 340,
    marginLeft: 64,
    marginTop: 30,
    marginBottom: 52,
    className: 'plot',
    title,
    subtitle: paragraph(doc, waterfallTakeaway(rows, currency, locale)),
    ariaLabel: title,
    ariaDescription: `Waterfall chart from the start to the end amount; each movement is a floating bar. ${steps.map((s) => `${s.label}: ${s.kind === 'total' ? full(s.amount) : s.text} in ${formatCount(s.deals, 'deal', locale)}`).join('; ')}.`,
    style: CHART_STYLE,
    x: { label: null, domain: labels, padding: 0.2 },
    y: { label: currency ? `↑ Amount (${currency})` : '↑ Amount', domain: [0, max], nice: true, grid: true, tickFormat: (v: number) => formatCompact(v, locale) },
    color: { domain: ['total', 'up', 'down', 'won'], range: [COLORS.total, COLORS.up, COLORS.down, COLORS.won] },
    marks: [
      Plot.barY(steps, {
        x: 'label',
        y1: 'y1',
        y2: 'y2',
        fill: 'kind',
        href: (s: Step) => s.href,
        ariaLabel: (s: Step) => `${s.label}: ${s.kind === 'total' ? full(s.amount) : `${s.text} (${full(s.amount)})`}, ${formatCount(s.deals, 'deal', locale)}`,
        title: (s: Step) => `${s.label}: ${s.kind === 'total' ? full(s.amount) : s.text} (${formatCount(s.deals, 'deal', locale)})${s.href ? '\nClick for the deals' : ''}`
      }),
      Plot.text(steps, { x: 'label', y: (s: Step) => Math.max(s.y1, s.y2), text: 'text', dy: -8, fill: 'currentColor' }),
      Plot.text(steps, { x: 'label', frameAnchor: 'bottom', dy: 34, text: (s: Step) => formatCount(s.deals, 'deal', locale), fill: 'currentColor', fillOpacity: 0.7 }),
      Plot.ruleY([0])
    ]
  });
}
