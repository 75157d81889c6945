import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecastFromLedger, forecastsUpTo, ledgerAnswers } from '../../../analytics/metrics/forecast-ledger';
import { buildForecastSql } from '../../../analytics/metrics/forecast-sql';
import { runMetric } from '../../../analytics/metrics';
import type { Filters } from '../../../analytics/metrics/metric';
import { DEFAULT_SETTINGS, type Settings } from '../../../analytics/settings';
import { deleteSnapshot } from '../../../analytics/storage/snapshots';
import { applyStageOverrides } from '../../../analytics/storage/stage-overrides';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';
import { AS_OF } from './fixture';

/**
 * The forecast ledger answers exactly what the plain computation answers: after snapshots
 * arrive out of order, after a deletion, after settings change (stage outcomes and
 * probabilities, the fiscal year, the calibration minimum).
 */
const PERIODS: Partial<Filters>[] = [
  {},
  { from: '2024-04-01', to: '2024-06-30' },
  { to: '2024-09-30' },
  { from: '2024-07-01' },
  { from: '2030-01-01', to: '2030-06-30' }, // no deal: zero rows per quarter
  { to: '2023-12-31' },
  { from: '2030-01-01' }, // no deal and no end: nothing
  { from: '2024-02-01', to: '2024-07-31' } // whole quarters when the fiscal year starts in February
];

async function expectLedgerEqualsPlain(db: Awaited<ReturnType<typeof memoryDb>>, settings: Settings) {
  const ids = (await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM snapshots ORDER BY as_of`)).map((r) => r.id);
  for (const snapshot of ids) {
    for (const period of PERIODS) {
      const f: Filters = { snapshot, ...period };
      const plain = await forecastsUpTo(db, settings, f, { ledger: false });
      const ledger = await forecastsUpTo(db, settings, f);
      expect(ledger, JSON.stringify(f)).toEqual(plain);
      if (!ledgerAnswers(f, settings)) continue;
      // the forecast metric's own rows (one snapshot, every quarter of the period)
      const { sql, params } = buildForecastSql(f, settings);
      expect(await forecastFromLedger(db, settings, f), JSON.stringify(f)).toEqual(await db.query(sql, params));
    }
  }
  // the ledger did answer: every snapshot has its entry for these settings
  const [runs] = await db.query<{ n: number }>(`SELECT count(DISTINCT snapshot_id)::INTEGER AS n FROM forecast_ledger_runs`);
  expect(runs.n).toBe(ids.length);
}

describe('forecast ledger', () => {
  it('equals the plain forecasts when snapshots arrive out of order, and drops the entries a snapshot stored before them changes', async () => {
    const db = await memoryDb();
    const load = (name: 'a' | 'b' | 'c') => ingestPaths(db, [join(FIXTURES, 'pipeline', name)], { asOf: AS_OF[name] });
    const c = (await load('c')).snapshot.snapshot_id;
    const a = (await load('a')).snapshot.snapshot_id;
    await expectLedgerEqualsPlain(db, DEFAULT_SETTINGS);
    // B arrives between A and C: C's entry goes (its differences-based history may change), A's stays, B's is written as it is stored
    const b = (await load('b')).snapshot.snapshot_id;
    const kept = await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM forecast_ledger_runs ORDER BY 1`);
    expect(kept.map((r) => r.id)).toEqual([a, b]);
    expect(kept.map((r) => r.id)).not.toContain(c);
    await expectLedgerEqualsPlain(db, DEFAULT_SETTINGS);
    db.close();
  });

  it('equals the plain forecasts after a deletion and after settings change', async () => {
    const db = await memoryDb();
    for (const name of ['a', 'b', 'c'] as const) await ingestPaths(db, [join(FIXTURES, 'pipeline', name)], { asOf: AS_OF[name] });
    await expectLedgerEqualsPlain(db, DEFAULT_SETTINGS);
    const [b] = await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM snapshots ORDER BY as_of LIMIT 1 OFFSET 1`);
    await deleteSnapshot(db, b.id);
    await expectLedgerEqualsPlain(db, DEFAULT_SETTINGS);
    const changed: Settings = {
      ...DEFAULT_SETTINGS,
      fiscal_year_start_month: 2,
      calibration_min_deals: 1,
      stages: [{ stage: 'Negotiation', probability: 35 }, { stage: 'Proposal', is_closed: true, is_won: false }]
    };
    await applyStageOverrides(db, changed);
    await expectLedgerEqualsPlain(db, changed);
    db.close();
  });

  it('is what forecast-accuracy and forecast-trend read, with the plain figures', async () => {
    const db = await memoryDb();
    for (const name of ['a', 'b', 'c'] as const) await ingestPaths(db, [join(FIXTURES, 'pipeline', name)], { asOf: AS_OF[name] });
    const accuracy = await runMetric(db, DEFAULT_SETTINGS, 'forecast-accuracy', {});
    expect(accuracy.rows.length).toBeGreaterThan(0);
    const [entries] = await db.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM forecast_ledger`);
    expect(entries.n).toBeGreaterThan(0);
    const trend = await runMetric(db, DEFAULT_SETTINGS, 'forecast-trend', { period: 'FY2024Q3' });
    const latest = trend.snapshot_id!;
    const plain = await forecastsUpTo(db, DEFAULT_SETTINGS, { snapshot: latest, from: '2024-07-01', to: '2024-09-30' }, { ledger: false });
    expect(trend.rows.map((r) => [r.snapshot_id, r.closed_won, r.commit_forecast, r.weighted, r.calibrated])).toEqual(
      plain.map((r) => [r.snapshot_id, r.closed_won, r.commit_forecast, r.weighted, r.calibrated])
    );
    db.close();
  });
});
