/**
 * Server-side chart rendering: a chart function drawn into linkedom's document, returned
 * as markup the page inlines, so charts show before (and without) JavaScript.
 */
import { parseHTML } from 'linkedom';

export type ChartFunction<D, O> = (data: D, options: O & { document?: Document }) => Element;

export function renderChart<D, O>(chart: ChartFunction<D, O>, data: D, options: O): string {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const node = chart(data, { ...options, document: document as unknown as Document });
  return node.outerHTML;
}
