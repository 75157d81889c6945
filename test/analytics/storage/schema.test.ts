import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../analytics/db';
import { qualityOf } from '../../../analytics/quality/store';
import { migrate, SCHEMA_VERSION } from '../../../analytics/storage/schema';
import { tempDir } from '../../helpers';

describe('schema migrations', () => {
  it('migrates a database written by version 1 and keeps its rows', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'old.duckdb');
    const old = await DuckDBInstance.create(path);
    const conn = await old.connect();
    expect(await migrate(conn, 1)).toEqual([1]);
    await conn.run(`INSERT INTO snapshots VALUES (1, 'salesforce', 'report', '2024-01-01', 'explicit', '2024-01-02', 'h', 'USD', false, '[]', '[]', '[]')`);
    await conn.run(`INSERT INTO deals (snapshot_id, deal_id, pipeline, stage, amount_corporate) VALUES (1, 'A', 'default', 'Prospecting', 10)`);
    await conn.run(`INSERT INTO stages VALUES (1, 'default', 'Prospecting', 1, 10, 'Pipeline', false, false, 'test')`);
    for (const [seq, at, stage] of [[1, '2024-01-01', 'Prospecting'], [2, '2024-01-05', 'Prospecting'], [3, '2024-01-11', 'Qualification']]) {
      await conn.run(`INSERT INTO stage_events (snapshot_id, deal_id, seq, event_at, stage, origin) VALUES (1, 'A', ${seq}, '${at}', '${stage}', 'history')`);
    }
    conn.closeSync();
    old.closeSync();

    const db = await openDatabase(path);
    const versions = await db.query<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(SCHEMA_VERSION).toBe(11);
    const rows = await db.query(`SELECT deal_id, stage_order, closed, effective_probability FROM deal_states`);
    expect(rows).toEqual([{ deal_id: 'A', stage_order: 1, closed: false, effective_probability: 10 }]);
    // version 3 built the visits of the rows already there
    const visits = await db.query(`SELECT visit_no, stage, entered_at::VARCHAR AS entered, exited_at::VARCHAR AS exited FROM stage_visits ORDER BY visit_no`);
    expect(visits).toEqual([
      { visit_no: 1, stage: 'Prospecting', entered: '2024-01-01 00:00:00', exited: '2024-01-11 00:00:00' },
      { visit_no: 2, stage: 'Qualification', entered: '2024-01-11 00:00:00', exited: null }
    ]);
    // version 4 numbered the stages and marked the stages each deal visited (bit 0: Prospecting)
    const [mask] = await db.query(`SELECT visited_mask::INTEGER AS mask FROM deals`);
    expect(mask).toEqual({ mask: 1 });
    // version 5 summed up the completed visits: Prospecting 10 days
    expect(await db.query(`SELECT stage, visits, median_days FROM stage_visit_stats`)).toEqual([{ stage: 'Prospecting', visits: 1, median_days: 10 }]);
    // version 8 stored each row as a version held from the snapshot's position (2024-01-01 in µs × 1000) on, with no end
    const positions = await db.query(`SELECT valid_from::VARCHAR AS valid_from, valid_to::VARCHAR AS valid_to FROM deal_rows`);
    expect(positions).toEqual([{ valid_from: '1704067200000000000', valid_to: null }]);
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM stage_events WHERE snapshot_id = 1`)).toEqual([{ n: 3 }]);
    // version 10 made the quality-check table; a snapshot loaded before is checked when first asked
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM quality_checks`)).toEqual([{ n: 0 }]);
    const checks = await qualityOf(db, 1);
    expect(checks.find((c) => c.id === 'duplicate-ids')).toMatchObject({ severity: 'ok', count: 0 });
    // deal A was written with amount_corporate only: its amount is missing
    expect(checks.find((c) => c.id === 'missing-amount')).toMatchObject({ severity: 'warning', count: 1, examples: ['A'] });
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM quality_checks WHERE snapshot_id = 1`)).toEqual([{ n: checks.length }]);
    db.close();
    cleanup();
  });

  it('is a no-op on a current database', async () => {
    const db = await openDatabase(':memory:');
    expect(await db.withConnection((c) => migrate(c))).toEqual([]);
    db.close();
  });
});
