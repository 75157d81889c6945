import * as Plot from '@observablehq/plot';
import { withFilters } from '../filters';
import { DEFAULT_LOCALE, formatAmount, formatCompact, formatCount } from '../format';
import { CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface StuckReasonRow {
  reason: string;
  deals: number;
  amount: number;
}

export const STUCK_REASONS = [
  { reason: 'stalled', label: 'Stalled', color: '#efb118', help: 'longer in its stage than the threshold' },
  { reason: 'overdue', label: 'Overdue', color: '#ff725c', help: 'close date already past' },
  { reason: 'pushed', label: 'Pushed', color: '#4269d0', help: 'close date moved later at least twice' },
  { reason: 'inactive', label: 'Inactive', color: '#9498a0', help: 'no activity for more than 30 days' }
] as const;

export const STUCK_REASONS_TITLE = 'Stuck deals by reason';

const label = (reason: string) => STUCK_REASONS.find((r) => r.reason === reason)?.label ?? reason;

export function stuckReasonsTakeaway(rows: StuckReasonRow[], total: number, currency: string | null, locale = DEFAULT_LOCALE): string {
  if (!total) return 'No open deal is stuck.';
  const top = rows.reduce((best, r) => (r.deals > best.deals ? r : best), rows[0]);
  return `${formatCount(total, 'open deal', locale)} stuck; the most common reason is ${label(top.reason).toLowerCase()} (${formatCount(top.deals, 'deal', locale)}, ${formatAmount(top.amount, currency, locale).text}). A deal can have several reasons.`;
}

/**
 * One bar per reason (deal count), labelled with count and amount; each bar links to the
 * stuck-deals list narrowed to that reason. Pure: same rows and options, same SVG.
 */
export function stuckReasonsChart(rows: StuckReasonRow[], options: ChartOptions & { total: number }): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document, filters = {} } = options;
  const doc = document ?? globalThis.document;
  const ordered = STUCK_REASONS.map((r) => rows.find((x) => x.reason === r.reason) ?? { reason: r.reason, deals: 0, amount: 0 });
  const width = chartWidth(options, 420, 640);
  const max = Math.max(1, ...ordered.map((r) => r.deals));
  const text = (d: StuckReasonRow) => `${formatCount(d.deals, 'deal', locale)} · ${formatAmount(d.amount, currency, locale).text}`;
  return Plot.plot({
    document,
    width,
    height: 64 + ordered.length * 34,
    marginLeft: 80,
    marginRight: 150,
    marginBottom: 36,
    className: 'plot',
    title: STUCK_REASONS_TITLE,
    subtitle: paragraph(doc, stuckReasonsTakeaway(ordered, options.total, currency, locale)),
    ariaLabel: STUCK_REASONS_TITLE,
    ariaDescription: `Horizontal bar chart of stuck open deals per reason. ${ordered.map((r) => `${label(r.reason)}: ${text(r)}`).join('; ')}.`,
    style: CHART_STYLE,
    x: { label: 'Deals →', domain: [0, max], nice: true, grid: true, tickFormat: (v: number) => formatCompact(v, locale), ticks: Math.max(2, Math.floor(width / 120)) },
    y: { label: null, domain: STUCK_REASONS.map((r) => r.reason), tickFormat: label, tickSize: 0 },
    color: { domain: STUCK_REASONS.map((r) => r.reason), range: STUCK_REASONS.map((r) => r.color) },
    marks: [
      Plot.barX(ordered, {
        x: 'deals',
        y: 'reason',
        fill: 'reason',
        insetTop: 4,
        insetBottom: 4,
        href: (d: StuckReasonRow) => withFilters('/stuck-deals', filters, { reason: d.reason }),
        ariaLabel: (d: StuckReasonRow) => `${label(d.reason)}: ${text(d)}`,
        title: (d: StuckReasonRow) => `${label(d.reason)}: ${text(d)}`
      }),
      Plot.text(ordered, { x: 'deals', y: 'reason', text, textAnchor: 'start', dx: 6, fill: 'currentColor' }),
      Plot.ruleX([0])
    ]
  });
}
