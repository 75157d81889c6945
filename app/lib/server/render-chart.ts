/**
 * Server-side chart rendering: a chart function drawn into linkedom's document, returned
 * as markup the page inlines, so charts show before (and without) JavaScript.
 *
 * Chart functions are pure, so the markup is cached by chart, data and options: drawing
 * with a DOM in JavaScript is the costliest part of a page, and many viewers look at the
 * same few charts.
 */
import { parseHTML } from 'linkedom';

export type ChartFunction<D, O> = (data: D, options: O & { document?: Document }) => Element;

const CACHE_SIZE = 200;
const cache = new Map<string, string>();

export function renderChart<D, O>(chart: ChartFunction<D, O>, data: D, options: O): string {
  const key = `${chart.name}\u0000${JSON.stringify(data)}\u0000${JSON.stringify(options)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const markup = chart(data, { ...options, document: document as unknown as Document }).outerHTML;
  cache.set(key, markup);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return markup;
}

/**
 * What a page passes to PlotFigure: the rows and options (for the live chart after
 * hydration) and the server-drawn markup at the report width.
 */
export function pageChart<D, O>(chart: ChartFunction<D, O>, chartRows: D, chartOptions: O, width = 960) {
  return { chartRows, chartOptions, chartSvg: renderChart(chart, chartRows, { ...chartOptions, width }) };
}
