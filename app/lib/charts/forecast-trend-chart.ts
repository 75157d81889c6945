import * as Plot from '@observablehq/plot';
import type { MetricRows } from '../../../analytics';

type ForecastTrendRow = MetricRows['forecast-trend'];
import { DEFAULT_LOCALE, formatAmount, formatDate, formatDay, formatQuarter } from '../format';
import { WON_COLOR } from '../stage-colors';
import { amountAxis, CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';
import { FORECAST_CATEGORIES } from './forecast-chart';

/** One snapshot's forecast of the quarter, as the forecast-trend metric gives it (a type only). */
export type ForecastTrendChartRow = Pick<
  ForecastTrendRow,
  'snapshot_id' | 'as_of' | 'closed_won' | 'commit_forecast' | 'best_case_forecast' | 'weighted' | 'calibrated' | 'actual'
>;

export interface ForecastTrendChartOptions extends ChartOptions {
  quarter: string;
  /** The quarter has ended by the chosen snapshot, so its closed won is the actual. */
  ended: boolean;
}

const color = (key: string) => FORECAST_CATEGORIES.find((c) => c.key === key)!.color;

/** The lines, in legend order; a dashed line is a model's figure rather than a category sum. */
export const FORECAST_TREND_SERIES = [
  { key: 'closed_won', label: 'Closed won', color: WON_COLOR, dash: null },
  { key: 'commit_forecast', label: 'Commit forecast', color: color('commit'), dash: null },
  { key: 'best_case_forecast', label: 'Best case forecast', color: color('best_case'), dash: null },
  { key: 'weighted', label: 'Weighted', color: '#ff725c', dash: '5,3' },
  { key: 'calibrated', label: 'Calibrated', color: '#a463f2', dash: '2,3' }
] as const satisfies readonly { key: keyof ForecastTrendChartRow; label: string; color: string; dash: string | null }[];

export const forecastTrendTitle = (quarter: string) => `${formatQuarter(quarter)} forecast, snapshot by snapshot`;

/** What the first snapshot said against what happened. */
export function forecastTrendTakeaway(rows: ForecastTrendChartRow[], options: Pick<ForecastTrendChartOptions, 'quarter' | 'ended' | 'currency' | 'locale'>): string {
  const { quarter, ended, currency, locale = DEFAULT_LOCALE } = options;
  if (!rows.length) return `No snapshot forecast ${formatQuarter(quarter)}.`;
  const a = (v: number) => formatAmount(v, currency, locale).text;
  const first = rows[0];
  const actual = ended ? `actual closed won ${a(first.actual)}` : `closed won so far ${a(first.actual)} (the quarter has not ended)`;
  if (rows.length === 1) return `${formatQuarter(quarter)}: one snapshot so far, commit forecast ${a(first.commit_forecast)}, weighted ${a(first.weighted)}; ${actual}.`;
  return `${formatQuarter(quarter)}: on ${formatDate(first.as_of, locale)} the commit forecast was ${a(first.commit_forecast)}, best case ${a(first.best_case_forecast)}, weighted ${a(first.weighted)}; ${actual}.`;
}

interface Point {
  date: Date;
  as_of: string;
  series: string;
  value: number;
}

/**
 * One line per forecast figure across the snapshots (oldest left) and a dashed rule at
 * the actual (or closed won so far), labelled at the right. Pure: same rows and
 * options, same SVG.
 */
export function forecastTrendChart(rows: ForecastTrendChartRow[], options: ForecastTrendChartOptions): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document, quarter, ended } = options;
  const doc = document ?? globalThis.document;
  const points: Point[] = rows.flatMap((r) => FORECAST_TREND_SERIES.map((s) => ({ date: new Date(r.as_of), as_of: r.as_of, series: s.label, value: r[s.key] })));
  const actual = rows.length ? rows[0].actual : 0;
  const marginRight = 128;
  const width = chartWidth(options, 64 + marginRight + 200);
  const dates = rows.map((r) => new Date(r.as_of));
  const step = Math.max(1, Math.ceil((dates.length * 64) / Math.max(1, width - 64 - marginRight)));
  const max = Math.max(0, actual, ...points.map((p) => p.value));
  const full = (v: number) => formatAmount(v, currency, locale).title;
  const title = forecastTrendTitle(quarter);
  const actualLabel = ended ? 'Actual' : 'Closed won so far';
  const span = dates.length > 1 ? [dates[0], dates[dates.length - 1]] : dates.length ? [new Date(+dates[0] - 3.5 * 864e5), new Date(+dates[0] + 3.5 * 864e5)] : [new Date(0), new Date(864e5)];

  return Plot.plot({
    document,
    width,
    height: 340,
    marginLeft: 64,
    marginRight,
    marginBottom: 40,
    className: 'plot',
    title,
    subtitle: paragraph(doc, forecastTrendTakeaway(rows, options)),
    ariaLabel: title,
    ariaDescription: `Line chart of the forecast of ${formatQuarter(quarter)} in every snapshot, oldest first: closed won, commit forecast, best case forecast (solid), weighted and calibrated (dashed); a dashed rule marks the ${actualLabel.toLowerCase()}, ${full(actual)}. ${rows
      .map((r) => `${formatDate(r.as_of, locale)}: ${FORECAST_TREND_SERIES.map((s) => `${s.label.toLowerCase()} ${full(r[s.key])}`).join(', ')}`)
      .join('; ')}.`,
    style: CHART_STYLE,
    x: {
      type: 'utc',
      label: null,
      domain: span,
      ticks: dates.filter((_, i) => i % step === 0),
      tickFormat: (d: Date) => formatDay(d, locale)
    },
    y: amountAxis(currency, max, locale),
    color: { legend: true, domain: FORECAST_TREND_SERIES.map((s) => s.label), range: FORECAST_TREND_SERIES.map((s) => s.color) },
    marks: [
      Plot.ruleY([actual], { stroke: 'currentColor', strokeDasharray: '6,4', strokeOpacity: 0.7 }),
      Plot.text([actual], {
        x: span[1],
        y: (v: number) => v,
        text: () => `${actualLabel} ${formatAmount(actual, currency, locale).text}`,
        textAnchor: 'start',
        dx: 8,
        fill: 'currentColor'
      }),
      ...FORECAST_TREND_SERIES.map((s) =>
        Plot.line(
          points.filter((p) => p.series === s.label),
          { x: 'date', y: 'value', stroke: 'series', strokeWidth: 2, strokeDasharray: s.dash ?? undefined }
        )
      ),
      Plot.dot(points, {
        x: 'date',
        y: 'value',
        fill: 'series',
        r: 3.5,
        title: (p: Point) => `${formatDate(p.as_of, locale)} · ${p.series}\n${full(p.value)}`
      }),
      Plot.ruleY([0])
    ]
  });
}
