/**
 * The forecast-accuracy metric's long rows (quarter × earlier snapshot × figure, then a
 * WAPE row per figure) shaped for the page: one table row per quarter and snapshot with
 * every figure side by side, the WAPE per method, and the sentence naming the best one.
 */
import type { MetricRows } from '../../analytics';

type ForecastAccuracyRow = MetricRows['forecast-accuracy'];
import { DEFAULT_LOCALE, formatPercent, formatPrecisePercent, formatQuarter } from './format';

/** The metric's row (a type only: nothing of the engine reaches the browser). */
export type AccuracyMetricRow = Pick<ForecastAccuracyRow, 'quarter' | 'snapshot_id' | 'as_of' | 'figure' | 'forecast' | 'actual' | 'error' | 'wape'>;

export const ACCURACY_METHODS = [
  { figure: 'commit_forecast', label: 'Commit forecast', short: 'Commit' },
  { figure: 'best_case_forecast', label: 'Best case forecast', short: 'Best case' },
  { figure: 'weighted', label: 'Weighted', short: 'Weighted' },
  { figure: 'calibrated', label: 'Calibrated', short: 'Calibrated' }
] as const;

export type AccuracyFigure = (typeof ACCURACY_METHODS)[number]['figure'];

/** One earlier snapshot's forecast of one ended quarter, every figure with its error. */
export interface AccuracyTableRow {
  key: string;
  quarter: string;
  snapshot_id: number;
  as_of: string;
  actual: number;
  forecast: Record<AccuracyFigure, number | null>;
  error: Record<AccuracyFigure, number | null>;
}

export interface MethodWape {
  figure: AccuracyFigure;
  label: string;
  wape: number | null;
}

const empty = () => Object.fromEntries(ACCURACY_METHODS.map((m) => [m.figure, null])) as Record<AccuracyFigure, number | null>;

export function accuracyTable(rows: AccuracyMetricRow[]): AccuracyTableRow[] {
  const out = new Map<string, AccuracyTableRow>();
  for (const r of rows) {
    if (r.snapshot_id === null || r.as_of === null) continue;
    const key = `${r.quarter}:${r.snapshot_id}`;
    let row = out.get(key);
    if (!row) out.set(key, (row = { key, quarter: r.quarter, snapshot_id: r.snapshot_id, as_of: r.as_of, actual: r.actual, forecast: empty(), error: empty() }));
    row.forecast[r.figure as AccuracyFigure] = r.forecast;
    row.error[r.figure as AccuracyFigure] = r.error;
  }
  return [...out.values()];
}

/** WAPE per method, in the metric's figure order; methods without a WAPE row are left out. */
export function wapeByMethod(rows: AccuracyMetricRow[]): MethodWape[] {
  return ACCURACY_METHODS.flatMap((m) => {
    const row = rows.find((r) => r.snapshot_id === null && r.figure === m.figure);
    return row ? [{ figure: m.figure, label: m.label, wape: row.wape }] : [];
  });
}

/** The method (or methods, on a tie to 0.1 percentage point) with the lowest WAPE. */
export function mostAccurate(wapes: MethodWape[]): MethodWape[] {
  const known = wapes.filter((w) => w.wape !== null);
  if (!known.length) return [];
  const best = Math.min(...known.map((w) => w.wape!));
  return known.filter((w) => w.wape! - best < 0.0005);
}

const list = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** "The commit forecast has been the most accurate for this team: WAPE 5.5% over 1 forecast of 1 ended quarter (FY2026 Q3)." */
export function accuracySentence(rows: AccuracyMetricRow[], locale = DEFAULT_LOCALE): string {
  const table = accuracyTable(rows);
  if (!table.length) return 'No ended quarter was forecast by an earlier snapshot yet, so accuracy cannot be measured: it needs a snapshot taken before a quarter ended and one after.';
  const best = mostAccurate(wapeByMethod(rows));
  if (!best.length) return 'The ended quarters had no closed won, so the forecast error cannot be measured.';
  const quarters = [...new Set(table.map((r) => r.quarter))];
  const over = `over ${table.length} ${table.length === 1 ? 'forecast' : 'forecasts'} of ${quarters.length} ended ${quarters.length === 1 ? 'quarter' : 'quarters'} (${list(quarters.map(formatQuarter))})`;
  const wape = formatPrecisePercent(best[0].wape, locale);
  const names = best.map((b) => (b.figure === 'weighted' || b.figure === 'calibrated' ? `the ${b.label.toLowerCase()} forecast` : `the ${b.label.toLowerCase()}`));
  const lead = names.length === 1 ? `${names[0]} has been the most accurate` : `${list(names)} have been equally the most accurate`;
  return `${lead[0].toUpperCase()}${lead.slice(1)} for this team: WAPE ${wape} ${over}.`;
}

/** The signed error, and whether it was over (+) or under (−) the actual, for a cell's title. */
export function errorTitle(error: number | null, locale = DEFAULT_LOCALE): string {
  if (error === null) return 'No actual to compare with';
  if (error === 0) return 'Exactly the actual';
  return `${formatPercent(Math.abs(error), locale)} ${error > 0 ? 'over' : 'under'} the actual`;
}
