/** Pieces every chart function shares: options, the takeaway paragraph, widths. */
import type { PageFilters } from '../filters';
import { DEFAULT_LOCALE, formatCompact } from '../format';

export interface ChartOptions {
  /** Corporate currency code; null when the export does not say. */
  currency: string | null;
  width?: number;
  locale?: string;
  /** A document to render into (linkedom's on the server); the page's by default. */
  document?: Document;
  /** The page's filters, kept by the drill-down links of bars and cells. */
  filters?: PageFilters;
}

/** A sentence under the title is a paragraph, not the h3 Plot makes of a string subtitle. */
export function paragraph(doc: Document, text: string | null | undefined, className = 'takeaway'): HTMLElement | null {
  if (!text) return null;
  const p = doc.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

/** The width asked for, never narrower than the margins plus room for the marks. */
export function chartWidth(options: { width?: number }, minimum: number, fallback = 720): number {
  return Math.max(options.width ?? fallback, minimum);
}

export const CHART_STYLE = { fontSize: '12px', overflow: 'visible' } as const;

/** A vertical amount axis from 0 to the largest value (a zero-only axis still has an extent), in compact numbers. */
export function amountAxis(currency: string | null, max: number, locale = DEFAULT_LOCALE, label = 'Amount') {
  return {
    label: currency ? `↑ ${label} (${currency})` : `↑ ${label}`,
    domain: [0, max > 0 ? max : 1],
    nice: true,
    grid: true,
    tickFormat: (v: number) => formatCompact(v, locale)
  };
}
