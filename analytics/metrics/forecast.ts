import type { Metric } from './metric';
import { buildForecastSql, type ForecastRow } from './forecast-sql';
import { forecastFromLedger, ledgerAnswers } from './forecast-ledger';

export { buildForecastSql, type ForecastRow } from './forecast-sql';

export const FORECAST_NOTE =
  'Per fiscal quarter, deals whose close date falls in it, amounts in the corporate currency. Closed won: won deals. Commit, Best Case, ' +
  'Pipeline, Omitted: open deals by their forecast category (the deal’s own when the export has it, else its stage’s). Commit forecast = ' +
  'closed won + commit; best case forecast = commit forecast + best case; open pipeline = commit + best case + pipeline (Omitted is in no ' +
  'forecast). Weighted = closed won + Σ amount × probability over open, non-Omitted deals. Calibrated = closed won + Σ amount × the stage’s ' +
  'historical win rate (won ÷ closed among this snapshot’s closed deals that ever visited the stage), or its probability below the minimum sample.';

export const forecast: Metric<ForecastRow> = {
  name: 'forecast',
  note: FORECAST_NOTE,
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline', 'by'],
  run(filters, { db, settings }) {
    // per quarter over all deals: the snapshot's ledger entry (written once, at first asking)
    if (!filters.by && ledgerAnswers(filters, settings)) return forecastFromLedger(db, settings, filters);
    const { sql, params } = buildForecastSql(filters, settings);
    return db.query<ForecastRow>(sql, params);
  }
};
