import { fiscalQuarterOf, parseFiscalQuarter } from '../fiscal';
import type { Metric } from './metric';
import { forecastsUpTo } from './forecast-ledger';

export interface ForecastAccuracyRow {
  [key: string]: unknown;
  quarter: string;
  snapshot_id: number | null;
  as_of: string | null;
  figure: string;
  forecast: number;
  actual: number;
  error: number | null;
  wape: number | null;
}

export const ACCURACY_FIGURES = ['commit_forecast', 'best_case_forecast', 'weighted', 'calibrated'] as const;

/**
 * For each ended quarter, every snapshot taken before it ended forecast it; the actual
 * is that quarter's closed won in the chosen (latest) snapshot. Rows per quarter,
 * snapshot and figure, then one WAPE row per figure over all of them.
 */
export const forecastAccuracy: Metric<ForecastAccuracyRow> = {
  name: 'forecast-accuracy',
  note:
    'For each fiscal quarter that had ended by the snapshot date: each earlier snapshot taken before the quarter ended, and each forecast ' +
    'figure F it gave for the quarter (commit forecast, best case forecast, weighted, calibrated), against the actual A = closed won of that ' +
    'quarter in the chosen snapshot. Error = (F − A) ÷ A ("–" when A is 0). WAPE rows ("(all ended)"), per figure: Σ|F − A| ÷ ΣA over every ' +
    'quarter and snapshot listed.',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline'],
  async run(filters, { db, settings, asOf }) {
    const start = settings.fiscal_year_start_month;
    const current = fiscalQuarterOf(asOf, start);
    const lastEndedDay = new Date(Date.parse(`${current.from}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
    const to = filters.to && filters.to < lastEndedDay ? filters.to : lastEndedDay;
    const forecasts = await forecastsUpTo(db, settings, { ...filters, to, by: undefined });
    const snapshots = new Map(
      (
        await db.query<{ snapshot_id: number; as_of: string }>(
          `SELECT snapshot_id, strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of FROM snapshots
           WHERE as_of < (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)`,
          { snapshot: filters.snapshot }
        )
      ).map((s) => [s.snapshot_id, s.as_of])
    );
    const actuals = new Map(forecasts.filter((f) => f.snapshot_id === filters.snapshot).map((f) => [f.quarter, f.closed_won]));
    const rows: ForecastAccuracyRow[] = [];
    for (const f of forecasts) {
      const asOfEarlier = snapshots.get(f.snapshot_id);
      if (!asOfEarlier || asOfEarlier.slice(0, 10) > parseFiscalQuarter(f.quarter, start)!.to) continue;
      const actual = actuals.get(f.quarter) ?? 0;
      for (const figure of ACCURACY_FIGURES) {
        rows.push({ quarter: f.quarter, snapshot_id: f.snapshot_id, as_of: asOfEarlier, figure, forecast: f[figure], actual, error: actual ? (f[figure] - actual) / actual : null, wape: null });
      }
    }
    rows.sort((a, b) => a.quarter.localeCompare(b.quarter) || a.as_of!.localeCompare(b.as_of!) || ACCURACY_FIGURES.indexOf(a.figure as never) - ACCURACY_FIGURES.indexOf(b.figure as never));
    for (const figure of ACCURACY_FIGURES) {
      const mine = rows.filter((r) => r.figure === figure && r.snapshot_id !== null);
      if (!mine.length) continue;
      const absError = mine.reduce((s, r) => s + Math.abs(r.forecast - r.actual), 0);
      const actual = mine.reduce((s, r) => s + r.actual, 0);
      const forecastTotal = mine.reduce((s, r) => s + r.forecast, 0);
      rows.push({ quarter: '(all ended)', snapshot_id: null, as_of: null, figure, forecast: forecastTotal, actual, error: null, wape: actual ? absError / actual : null });
    }
    return rows;
  }
};
