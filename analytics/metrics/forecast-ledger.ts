import { createHash } from 'node:crypto';
import type { Database } from '../db';
import { fiscalQuarterOf, parseFiscalQuarter, shiftQuarter } from '../fiscal';
import type { Settings } from '../settings';
import { FIRST_DATE, LAST_DATE } from '../value-range';
import { buildForecastSql, type ForecastRow } from './forecast-sql';
import type { Filters } from './metric';

/**
 * The forecast ledger: each snapshot's forecast per fiscal quarter (every figure of the
 * forecast metric, over all deals), written the first time a question needs it and kept
 * per settings (their hash: stage outcomes, probabilities and the fiscal year all change
 * a forecast). Forecast accuracy and forecast trends read a few hundred rows instead of
 * recomputing every snapshot's forecast. A snapshot loaded between others changes the
 * stage history of the later ones, so the ingest drops their entries (forgetFrom); a
 * deleted snapshot takes its own along.
 */
export type LedgerRow = ForecastRow & { snapshot_id: number; quarter_key: number };

export const settingsKey = (settings: Settings) => createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);

/** Whether the ledger can answer: no deal filter, and a period made of whole fiscal quarters. */
export function ledgerAnswers(f: Filters, settings: Settings): boolean {
  if (f.owner || f.lead_source || f.type || f.pipeline) return false;
  const start = settings.fiscal_year_start_month;
  return (!f.from || fiscalQuarterOf(f.from, start).from === f.from) && (!f.to || fiscalQuarterOf(f.to, start).to === f.to);
}

/** A fiscal quarter label as the SQL's quarter key (year × 10 + quarter). */
const keyOf = (label: string) => Number(label.replace(/^FY(\d+)Q(\d)$/, '$1$2'));

const FIGURES = 'closed_won, commit, best_case, pipeline, omitted, commit_forecast, best_case_forecast, open_pipeline, weighted, calibrated';

const UP_TO = `SELECT snapshot_id FROM snapshots WHERE as_of <= (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)`;

/** The ledger rows of every snapshot up to `f.snapshot` (by as_of), or of it alone, whose quarter lies in from..to; written first where missing. */
export async function ledgerRows(db: Database, settings: Settings, f: Filters, which: 'up-to' | 'one'): Promise<LedgerRow[]> {
  const key = settingsKey(settings);
  const snapshots = which === 'up-to' ? UP_TO : `SELECT $snapshot::INTEGER AS snapshot_id`;
  const missing = `SELECT snapshot_id FROM (${snapshots}) s
    WHERE NOT EXISTS (SELECT 1 FROM forecast_ledger_runs r WHERE r.snapshot_id = s.snapshot_id AND r.settings_key = $key)`;
  if ((await db.query(missing, { snapshot: f.snapshot, key })).length) {
    await db.transaction(async (conn) => {
      const ids = (await conn.runAndReadAll(missing, { snapshot: f.snapshot, key })).getRowObjectsJS().map((r) => Number(r.snapshot_id));
      if (!ids.length) return;
      await conn.run(`DELETE FROM forecast_ledger WHERE settings_key <> $key`, { key });
      await conn.run(`DELETE FROM forecast_ledger_runs WHERE settings_key <> $key`, { key });
      const { sql, params } = buildForecastSql({ snapshot: f.snapshot }, settings, { snapshotIds: ids });
      await conn.run(
        `INSERT INTO forecast_ledger SELECT snapshot_id, $key, quarter_key, quarter, ${FIGURES}
         FROM (SELECT *, ${quarterKeyOf('quarter')} AS quarter_key FROM (${sql}))`,
        { ...params, key }
      );
      for (const id of ids) await conn.run(`INSERT INTO forecast_ledger_runs VALUES ($id, $key)`, { id, key });
    });
  }
  const bound = (day: string | undefined) => (day ? keyOf(fiscalQuarterOf(day, settings.fiscal_year_start_month).label) : null);
  return db.query<LedgerRow>(
    `SELECT snapshot_id, quarter_key, quarter, ${FIGURES} FROM forecast_ledger
     WHERE settings_key = $key AND snapshot_id IN (${snapshots})
       AND ($from::INTEGER IS NULL OR quarter_key >= $from) AND ($to::INTEGER IS NULL OR quarter_key <= $to)
     ORDER BY snapshot_id, quarter_key`,
    { key, snapshot: f.snapshot, from: bound(f.from), to: bound(f.to) }
  );
}

const quarterKeyOf = (label: string) => `(regexp_extract(${label}, 'FY(\\d+)Q', 1)::INTEGER * 10 + regexp_extract(${label}, 'Q(\\d)$', 1)::INTEGER)`;

/** Drops the entries of snapshots at `position` or later: a snapshot stored before them changes what they learnt from snapshot differences. */
export const FORGET_LEDGER_FROM_SQL = [
  `DELETE FROM forecast_ledger WHERE snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE position >= $position)`,
  `DELETE FROM forecast_ledger_runs WHERE snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE position >= $position)`
];

/**
 * The forecast per quarter of every snapshot up to `f.snapshot`: from the ledger when it
 * can answer (see ledgerAnswers), else computed; the same rows either way.
 */
export async function forecastsUpTo(db: Database, settings: Settings, f: Filters, opts: { ledger?: boolean } = {}): Promise<(ForecastRow & { snapshot_id: number })[]> {
  if ((opts.ledger ?? true) && ledgerAnswers(f, settings)) return (await ledgerRows(db, settings, f, 'up-to')).map(({ quarter_key: _, ...row }) => row);
  const { sql, params } = buildForecastSql(f, settings, { everySnapshotUpTo: true });
  return db.query<ForecastRow & { snapshot_id: number }>(sql, params);
}

const ZERO = { closed_won: 0, commit: 0, best_case: 0, pipeline: 0, omitted: 0, commit_forecast: 0, best_case_forecast: 0, open_pipeline: 0, weighted: 0, calibrated: 0 };

/**
 * The forecast metric's rows for one snapshot from its ledger entry, as the plain query
 * gives them: every quarter from the period's start (else the first close date) to its
 * end (else the last), within the dates ingest accepts, at zero where no deal closes,
 * plus the quarter of every deal (even one outside those dates, from an older database).
 */
export async function forecastFromLedger(db: Database, settings: Settings, f: Filters): Promise<ForecastRow[]> {
  const start = settings.fiscal_year_start_month;
  const rows = await ledgerRows(db, settings, f, 'one');
  const byQuarter = new Map(rows.map(({ quarter_key: _, snapshot_id: __, ...r }) => [r.quarter, r]));
  const quarters = new Set<string>();
  const first = f.from ?? (rows.length ? parseFiscalQuarter(rows[0].quarter, start)?.from : undefined);
  const last = f.to ?? (rows.length ? parseFiscalQuarter(rows[rows.length - 1].quarter, start)?.to : undefined);
  if (first && last) {
    const from = first > FIRST_DATE ? first : FIRST_DATE;
    const to = last < LAST_DATE ? last : LAST_DATE;
    for (let q = fiscalQuarterOf(from, start); from <= to && q.from <= to; q = shiftQuarter(q, 1, start)) quarters.add(q.label);
  }
  for (const r of rows) quarters.add(r.quarter);
  return [...quarters]
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .map((quarter) => byQuarter.get(quarter) ?? { quarter, ...ZERO });
}
