import { fiscalQuarterOf, parseFiscalQuarter } from '../fiscal';
import type { Metric } from './metric';
import { forecastsUpTo } from './forecast-ledger';

export interface ForecastTrendRow {
  [key: string]: unknown;
  snapshot_id: number;
  as_of: string;
  quarter: string;
  closed_won: number;
  commit_forecast: number;
  best_case_forecast: number;
  weighted: number;
  calibrated: number;
  actual: number;
}

/** One quarter's forecast as each snapshot up to the chosen one saw it, beside the chosen snapshot's closed won. */
export const forecastTrend: Metric<ForecastTrendRow> = {
  name: 'forecast-trend',
  note:
    'The forecast of one fiscal quarter (period; default the quarter of the chosen snapshot) as every snapshot up to the chosen one gave it: ' +
    'closed won so far, commit forecast, best case forecast, weighted and calibrated, each as the forecast metric defines them; actual is the ' +
    'quarter’s closed won in the chosen snapshot (final once the quarter has ended).',
  accepts: ['period', 'from', 'to', 'owner', 'lead_source', 'type', 'pipeline'],
  async run(filters, { db, settings, asOf }) {
    const quarter = filters.from ? fiscalQuarterOf(filters.from, settings.fiscal_year_start_month) : fiscalQuarterOf(asOf, settings.fiscal_year_start_month);
    const bounds = parseFiscalQuarter(quarter.label, settings.fiscal_year_start_month)!;
    const rows = await forecastsUpTo(db, settings, { ...filters, from: bounds.from, to: bounds.to, by: undefined });
    const asOfs = new Map(
      (await db.query<{ id: number; as_of: string }>(`SELECT snapshot_id AS id, strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of FROM snapshots`)).map((s) => [s.id, s.as_of])
    );
    const actual = rows.find((r) => r.snapshot_id === filters.snapshot)?.closed_won ?? 0;
    return rows
      .map((r) => ({
        snapshot_id: r.snapshot_id,
        as_of: asOfs.get(r.snapshot_id)!,
        quarter: quarter.label,
        closed_won: r.closed_won,
        commit_forecast: r.commit_forecast,
        best_case_forecast: r.best_case_forecast,
        weighted: r.weighted,
        calibrated: r.calibrated,
        actual
      }))
      .sort((a, b) => a.as_of.localeCompare(b.as_of) || a.snapshot_id - b.snapshot_id);
  }
};
