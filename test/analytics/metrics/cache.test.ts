import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { deleteSnapshot } from '../../../analytics/storage/snapshots';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

describe('metric cache', () => {
  it('answers a repeated question from the cache until the data changes', async () => {
    const db = await memoryDb();
    const { snapshot } = await ingestPaths(db, [join(FIXTURES, 'overview')], { asOf: '2024-08-15' });
    const first = await runMetric(db, DEFAULT_SETTINGS, 'win-rates', { by: 'owner' });
    expect(await runMetric(db, DEFAULT_SETTINGS, 'win-rates', { by: 'owner' })).toBe(first);
    expect(await runMetric(db, DEFAULT_SETTINGS, 'win-rates', { by: 'owner', owner: undefined })).toBe(first);
    expect(await runMetric(db, { ...DEFAULT_SETTINGS, fiscal_year_start_month: 4 }, 'win-rates', { by: 'owner' })).not.toBe(first);
    await deleteSnapshot(db, snapshot.snapshot_id);
    expect(await runMetric(db, DEFAULT_SETTINGS, 'win-rates', { by: 'owner' })).toMatchObject({ snapshot_id: null, rows: [] });
    db.close();
  });
});
