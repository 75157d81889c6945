import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeMetric } from '../../../analytics/metrics/index';
import { planPrune, prune } from '../../../analytics/storage/retention';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

// as_of of each snapshot, by name; the latest is 2026-11-16 12:00
const SNAPSHOTS: [string, string][] = [
  ['S7', '2024-01-15T12:00:00Z'], // > 730 days: quarterly; S8 is later in the same quarter
  ['S8', '2024-03-30T12:00:00Z'],
  ['S5', '2025-10-01T12:00:00Z'], // 365–730 days: monthly; S6 is later in October 2025
  ['S6', '2025-10-20T12:00:00Z'],
  ['S3', '2026-06-01T12:00:00Z'], // 120–365 days: weekly; S4 is later in the same ISO week
  ['S4', '2026-06-03T12:00:00Z'],
  ['S2', '2026-11-15T12:00:00Z'], // daily
  ['S1', '2026-11-16T06:00:00Z'], // same day as the latest, earlier
  ['L', '2026-11-16T12:00:00Z']
];

describe('retention', () => {
  it('keeps the latest per day, week, month and quarter as snapshots age, and nothing it keeps changes', async () => {
    const db = await memoryDb();
    const ids: Record<string, number> = {};
    for (const [name, asOf] of SNAPSHOTS) ids[name] = (await ingestPaths(db, [join(FIXTURES, 'overview')], { asOf })).snapshot.snapshot_id;
    const names = (list: number[]) => list.map((id) => Object.keys(ids).find((n) => ids[n] === id)).sort();

    const plan = await planPrune(db);
    expect(names(plan.keep)).toEqual(['L', 'S2', 'S4', 'S6', 'S8']);
    expect(names(plan.remove)).toEqual(['S1', 'S3', 'S5', 'S7']);

    const single = ['funnel', 'lead-funnel', 'stage-durations', 'win-rates', 'source-conversion', 'forecast', 'stuck-deals', 'velocity', 'overview', 'open-pipeline', 'deals'];
    const answers = async () =>
      Promise.all(plan.keep.flatMap((id) => single.map((m) => computeMetric(db, DEFAULT_SETTINGS, m, { snapshot: String(id) }).then((r) => r.rows))));
    const before = await answers();
    expect(await prune(db, DEFAULT_SETTINGS, { dryRun: true })).toEqual(plan);
    await prune(db, DEFAULT_SETTINGS);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM snapshots');
    expect(n).toBe(5);
    expect(await answers()).toEqual(before);
    expect((await planPrune(db)).remove).toEqual([]);
    db.close();
  });
});
