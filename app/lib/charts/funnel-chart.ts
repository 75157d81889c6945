import * as Plot from '@observablehq/plot';
import { dealsHref } from '../filters';
import { DEFAULT_LOCALE, formatCompact, formatNumber, formatPercent } from '../format';
import { stageColorMap, WON_COLOR } from '../stage-colors';
import { CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface FunnelChartRow {
  stage: string;
  sort_order: number | null;
  reached: number;
  step_conversion: number | null;
  cumulative_conversion: number | null;
  /** the Won row, after the open stages */
  won: boolean;
}

export const isWonRow = (r: FunnelChartRow) => r.won;

export const FUNNEL_TITLE = 'Opportunity funnel';
export const WON_ROW = 'Won';

/** Open stages in stage order, then Won. */
function ordered(rows: FunnelChartRow[]): FunnelChartRow[] {
  const open = rows.filter((r) => !isWonRow(r)).sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0) || a.stage.localeCompare(b.stage));
  return [...open, ...rows.filter(isWonRow)];
}

export function funnelTakeaway(rows: FunnelChartRow[], locale = DEFAULT_LOCALE): string {
  const list = ordered(rows);
  const first = list[0];
  if (!first || !first.reached) return 'No deal was created in this period.';
  const won = list.find(isWonRow);
  const steps = list.filter((r) => !isWonRow(r) && r.step_conversion !== null);
  const worst = steps.reduce<FunnelChartRow | null>((w, r) => (w === null || r.step_conversion! < w.step_conversion! ? r : w), null);
  const next = worst ? list[list.indexOf(worst) + 1] : null;
  const overall = `${won ? formatPercent(won.cumulative_conversion, locale) : '–'} of ${formatNumber(first.reached, locale)} deals reached Won`;
  const drop = worst && next ? `; the biggest drop is ${worst.stage} → ${next.stage} (${formatPercent(worst.step_conversion, locale)} go on)` : '';
  return `${overall}${drop}.`;
}

/**
 * One bar per stage (how many deals reached it), in stage order top to bottom, then Won;
 * labelled with the cumulative and step conversion. A bar links to the deals open in
 * its stage now (Won: the won deals), created in the same period.
 */
export function funnelChart(rows: FunnelChartRow[], options: ChartOptions): SVGSVGElement | HTMLElement {
  const { locale = DEFAULT_LOCALE, document, filters = {} } = options;
  const doc = document ?? globalThis.document;
  const list = ordered(rows);
  const stages = list.map((r) => r.stage);
  const colors = stageColorMap(list.filter((r) => !isWonRow(r)).map((r) => ({ stage: r.stage, sort_order: r.sort_order ?? 0 })));
  const marginLeft = Math.min(220, 16 + Math.max(0, ...stages.map((s) => s.length)) * 7);
  const marginRight = 190;
  const width = chartWidth(options, marginLeft + marginRight + 160);
  const max = Math.max(1, ...list.map((r) => r.reached));
  const label = (r: FunnelChartRow) =>
    `${formatNumber(r.reached, locale)} · ${formatPercent(r.cumulative_conversion, locale)} of first` +
    (r.step_conversion !== null ? ` · ${formatPercent(r.step_conversion, locale)} go on` : '');
  const href = (r: FunnelChartRow) =>
    isWonRow(r) ? dealsHref(filters, { status: 'won', date_field: 'created' }) : dealsHref(filters, { reached: r.stage, date_field: 'created' });

  return Plot.plot({
    document,
    width,
    height: Math.max(130, 54 + list.length * 32),
    marginLeft,
    marginRight,
    marginBottom: 40,
    className: 'plot',
    title: FUNNEL_TITLE,
    subtitle: paragraph(doc, funnelTakeaway(list, locale)),
    ariaLabel: FUNNEL_TITLE,
    ariaDescription: `Horizontal bar chart of how many deals reached each stage, in stage order, then Won. ${list.map((r) => `${r.stage}: ${label(r)}`).join('; ')}.`,
    style: CHART_STYLE,
    x: { label: 'Deals that reached the stage →', domain: [0, max], nice: true, grid: true, tickFormat: (v: number) => formatCompact(v, locale), ticks: Math.max(2, Math.floor(width / 120)) },
    y: { label: null, domain: stages, tickSize: 0 },
    color: { domain: stages, range: list.map((r) => (isWonRow(r) ? WON_COLOR : colors.get(r.stage)!)) },
    marks: [
      Plot.barX(list, {
        x: 'reached',
        y: 'stage',
        fill: 'stage',
        insetTop: 3,
        insetBottom: 3,
        href,
        ariaLabel: (r: FunnelChartRow) => `${r.stage}: ${label(r)}`,
        title: (r: FunnelChartRow) =>
          `${r.stage}: ${label(r)}\n${isWonRow(r) ? 'Click for the won deals' : `Click for the ${formatNumber(r.reached, locale)} deals that reached this stage`}`
      }),
      Plot.text(list, { x: 'reached', y: 'stage', text: label, textAnchor: 'start', dx: 6, fill: 'currentColor' }),
      Plot.ruleX([0])
    ]
  });
}
