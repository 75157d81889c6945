import { SCHEMA_VERSION } from '../../../analytics/storage/schema';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backup, restore } from '../../../analytics/storage/backup';
import { openDatabase } from '../../../analytics/db';
import { METRICS, runMetric } from '../../../analytics/metrics/index';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, dumpTables, ingestPaths, tempDir } from '../../helpers';

describe('backup and restore', () => {
  it('round-trips the database: every table and every metric of every snapshot', async () => {
    const { dir, cleanup } = tempDir();
    const original = await openDatabase(join(dir, 'original.duckdb'));
    await ingestPaths(original, [join(FIXTURES, 'pipeline/a')], { asOf: '2024-06-30T12:00:00Z' });
    await ingestPaths(original, [join(FIXTURES, 'pipeline/b')], { asOf: '2024-07-31T12:00:00Z' });
    const manifest = await backup(original, join(dir, 'backup'));
    expect(manifest).toMatchObject({ format: 'pipelens-backup', schema_version: SCHEMA_VERSION, snapshots: [1, 2] });
    expect(Object.keys(manifest.tables)).toEqual(expect.arrayContaining(['deal_rows', 'stage_event_rows', 'stage_visit_rows', 'lead_rows', 'snapshots']));

    await restore(join(dir, 'backup'), join(dir, 'restored.duckdb'));
    const restored = await openDatabase(join(dir, 'restored.duckdb'));
    // every table but the migration log (its applied_at times are the restore's)
    const rows = async (db: typeof original) => JSON.parse(await dumpTables(db, ['schema_migrations'])).out;
    expect(await rows(restored)).toEqual(await rows(original));
    for (const name of Object.keys(METRICS)) {
      for (const snapshot of ['1', '2']) {
        if (name.startsWith('pipeline-change') && snapshot === '1') continue; // needs an earlier snapshot
        const params = { snapshot, ...(name === 'pipeline-change-deals' ? { bucket: 'won' } : {}) };
        const a = await runMetric(original, DEFAULT_SETTINGS, name, params);
        const b = await runMetric(restored, DEFAULT_SETTINGS, name, params);
        expect(b.rows).toEqual(a.rows);
      }
    }
    // the restored database keeps working: new snapshots get new ids
    const next = await ingestPaths(restored, [join(FIXTURES, 'overview')], { asOf: '2024-08-15T00:00:00Z' });
    expect(next.snapshot.snapshot_id).toBeGreaterThan(2);
    original.close();
    restored.close();
    cleanup();
  });

  it('refuses to overwrite a database or to read what is not a backup', async () => {
    const { dir, cleanup } = tempDir();
    await expect(restore(dir, join(dir, 'x.duckdb'))).rejects.toThrow('not a Pipelens backup');
    const db = await openDatabase(join(dir, 'db.duckdb'));
    await backup(db, join(dir, 'b'));
    db.close();
    await expect(restore(join(dir, 'b'), join(dir, 'db.duckdb'))).rejects.toThrow('exists');
    await expect(backup(await openDatabase(join(dir, 'db.duckdb')), join(dir, 'b'))).rejects.toThrow('not empty');
    cleanup();
  });
});
