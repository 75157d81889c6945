import * as Plot from '@observablehq/plot';
import { DEFAULT_LOCALE, formatAmount, formatDate, formatNumber, formatPercent } from '../format';

export interface SparkPoint {
  as_of: string;
  value: number | null;
}

export interface SparklineOptions {
  /** What the values are, for the text alternative ("Open pipeline"). */
  label: string;
  /** How a value reads in the text alternative. */
  kind?: 'amount' | 'percent' | 'number';
  /** For amounts: the corporate currency, if known. */
  currency?: string | null;
  /** The snapshot shown on the page, marked with a dot. */
  current?: string | null;
  width?: number;
  locale?: string;
  document?: Document;
}

/** "Open pipeline across 8 snapshots, Sep 28 to Nov 16, 2026: from 7.8M to 8.3M." */
export function sparklineDescription(points: SparkPoint[], options: SparklineOptions): string {
  const { locale = DEFAULT_LOCALE, kind = 'number' } = options;
  const format = (v: number) =>
    kind === 'amount' ? formatAmount(v, options.currency, locale).text : kind === 'percent' ? formatPercent(v, locale) : formatNumber(v, locale);
  const defined = points.filter((p) => p.value !== null);
  if (defined.length < 2) return `${options.label}: not enough snapshots for a trend.`;
  const first = defined[0];
  const last = defined[defined.length - 1];
  return `${options.label} across ${defined.length} snapshots, ${formatDate(first.as_of, locale)} to ${formatDate(last.as_of, locale)}: from ${format(first.value!)} to ${format(last.value!)}.`;
}

/**
 * A small line across snapshots (oldest left), no axes, the current snapshot as a dot;
 * its text alternative says the first and last values.
 */
export function sparklineChart(points: SparkPoint[], options: SparklineOptions): SVGSVGElement | HTMLElement {
  const data = points.filter((p) => p.value !== null).map((p) => ({ date: new Date(p.as_of), value: p.value!, as_of: p.as_of }));
  const values = data.map((d) => d.value);
  // The data's own extent (a sparkline shows the movement), padded; a flat line sits mid-height.
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const pad = hi > lo ? (hi - lo) * 0.15 : Math.max(Math.abs(hi) * 0.1, 1);
  const min = lo - pad;
  const max = hi + pad;
  return Plot.plot({
    document: options.document,
    width: Math.max(120, Math.min(options.width ?? 240, 320)),
    height: 40,
    margin: 4,
    className: 'plot',
    ariaLabel: `${options.label}, trend`,
    ariaDescription: sparklineDescription(points, options),
    axis: null,
    x: { type: 'utc' },
    y: { domain: [min, max] },
    marks: [
      Plot.areaY(data, { x: 'date', y: 'value', fill: 'currentColor', fillOpacity: 0.08 }),
      Plot.lineY(data, { x: 'date', y: 'value', stroke: '#4269d0', strokeWidth: 1.75 }),
      Plot.dot(
        data.filter((d) => d.as_of === options.current),
        { x: 'date', y: 'value', fill: '#4269d0', r: 3 }
      )
    ]
  });
}
