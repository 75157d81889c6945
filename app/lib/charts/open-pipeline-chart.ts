import * as Plot from '@observablehq/plot';
import { formatAmount, formatCompact, formatCount, formatPercent, DEFAULT_LOCALE } from '../format';
import { stageColorMap } from '../stage-colors';

export interface OpenPipelineChartRow {
  stage: string;
  sort_order: number;
  open_count: number;
  open_amount: number;
}

export interface OpenPipelineChartOptions {
  /** Corporate currency code; null when the export does not say. */
  currency: string | null;
  width?: number;
  locale?: string;
  /** A document to render into (linkedom's on the server); the page's by default. */
  document?: Document;
  /** The one-line takeaway shown under the title; computed from the rows when left out. */
  subtitle?: string | null;
}

export const OPEN_PIPELINE_TITLE = 'Open pipeline by stage';

/** Rows in stage order (sort_order, then name), the order every view of stages uses. */
export function inStageOrder<T extends { stage: string; sort_order: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.sort_order - b.sort_order || a.stage.localeCompare(b.stage));
}

/** The chart's takeaway: which stage holds the most open amount, and its share. */
export function openPipelineTakeaway(rows: OpenPipelineChartRow[], currency: string | null, locale = DEFAULT_LOCALE): string {
  const total = rows.reduce((sum, r) => sum + r.open_amount, 0);
  const deals = rows.reduce((sum, r) => sum + r.open_count, 0);
  if (!deals) return 'No open deals at this snapshot.';
  if (total <= 0) return `${formatCount(deals, 'open deal', locale)}, none with an amount.`;
  // The first stage in stage order wins a tie.
  const top = inStageOrder(rows).reduce((best, r) => (r.open_amount > best.open_amount ? r : best));
  return `${top.stage} holds the most open pipeline: ${formatAmount(top.open_amount, currency, locale).text} in ${formatCount(top.open_count, 'deal', locale)}, ${formatPercent(top.open_amount / total, locale)} of ${formatAmount(total, currency, locale).text}.`;
}

/** A text alternative listing every bar. */
export function openPipelineDescription(rows: OpenPipelineChartRow[], currency: string | null, locale = DEFAULT_LOCALE): string {
  const parts = inStageOrder(rows).map((r) => `${r.stage}: ${formatAmount(r.open_amount, currency, locale).title} in ${formatCount(r.open_count, 'deal', locale)}`);
  return `Horizontal bar chart of the open amount per open stage, in stage order. ${parts.join('; ')}.`;
}

/**
 * Horizontal bars, one per open stage in stage order (top to bottom), colored by the
 * stage's color, labelled with the deal count. Pure: same rows and options, same SVG.
 */
export function openPipelineChart(rows: OpenPipelineChartRow[], options: OpenPipelineChartOptions): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document } = options;
  const ordered = inStageOrder(rows);
  const stages = ordered.map((r) => r.stage);
  const colors = stageColorMap(ordered);
  const longest = Math.max(0, ...stages.map((s) => s.length));
  const marginLeft = Math.min(220, 16 + longest * 7);
  const marginRight = 72;
  // Never narrower than the margins plus room for bars (a container can measure ~0 while hidden).
  const width = Math.max(options.width ?? 720, marginLeft + marginRight + 160);
  const amount = (v: number) => formatAmount(v, currency, locale).title;
  const max = Math.max(0, ...ordered.map((r) => r.open_amount));
  const doc = document ?? globalThis.document;

  return Plot.plot({
    document,
    width,
    height: Math.max(130, 54 + ordered.length * 34),
    marginLeft,
    marginRight,
    marginBottom: 44,
    className: 'plot',
    title: OPEN_PIPELINE_TITLE,
    subtitle: paragraph(doc, options.subtitle === undefined ? openPipelineTakeaway(ordered, currency, locale) : options.subtitle, 'takeaway'),
    ariaLabel: OPEN_PIPELINE_TITLE,
    ariaDescription: openPipelineDescription(ordered, currency, locale),
    style: { fontSize: '12px', overflow: 'visible' },
    x: {
      label: currency ? `Open amount (${currency}) →` : 'Open amount →',
      labelOffset: 38,
      // A zero-only axis still needs a visible extent.
      domain: [0, max > 0 ? max : 1],
      nice: true,
      grid: true,
      tickFormat: (v: number) => formatCompact(v, locale),
      ticks: Math.max(2, Math.floor(width / 110))
    },
    y: { label: null, domain: stages, tickSize: 0 },
    color: { domain: stages, range: stages.map((s) => colors.get(s)!) },
    marks: [
      Plot.barX(ordered, {
        x: 'open_amount',
        y: 'stage',
        fill: 'stage',
        insetTop: 4,
        insetBottom: 4,
        channels: { Stage: 'stage', Amount: 'open_amount', Deals: 'open_count' },
        tip: {
          lineWidth: 30,
          format: {
            Stage: true,
            Amount: (v: number) => amount(v),
            Deals: (v: number) => formatCount(v, 'deal', locale),
            x: false,
            y: false,
            fill: false
          }
        }
      }),
      Plot.text(ordered, {
        x: 'open_amount',
        y: 'stage',
        text: (d: OpenPipelineChartRow) => formatCount(d.open_count, 'deal', locale),
        textAnchor: 'start',
        dx: 6,
        fill: 'currentColor'
      }),
      Plot.ruleX([0])
    ]
  });
}

/** A sentence under the title is a paragraph, not the h3 Plot makes of a string subtitle. */
function paragraph(doc: Document, text: string | null, className: string): HTMLElement | null {
  if (!text) return null;
  const p = doc.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}
