import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../../analytics/db';
import { runMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS, type Settings } from '../../../analytics/settings';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

export const A_AS_OF = '2024-06-30T12:00:00Z';
export const B_AS_OF = '2024-07-31T12:00:00Z';
export const C_AS_OF = '2024-10-01T12:00:00Z';
export const AS_OF = { a: A_AS_OF, b: B_AS_OF, c: C_AS_OF } as const;
export type SnapshotName = keyof typeof AS_OF;

export type Metric = (name: string, params?: Record<string, string>, settings?: Partial<Settings>) => Promise<Record<string, unknown>[]>;
/** The database, its metric runner and the id each loaded snapshot got (a, b, c; unloaded ones are undefined). */
export type PipelineFixture = { db: Database; metric: Metric } & Record<SnapshotName, number>;

/**
 * test/fixtures/pipeline: the named snapshots loaded in the given order (default A then B,
 * ids 1 and 2); see its README for every deal's story.
 */
export async function pipelineFixture(names: SnapshotName[] = ['a', 'b']): Promise<PipelineFixture> {
  const db = await memoryDb();
  const ids = {} as Record<SnapshotName, number>;
  for (const name of names) {
    ids[name] = (await ingestPaths(db, [join(FIXTURES, 'pipeline', name)], { asOf: AS_OF[name] })).snapshot.snapshot_id;
  }
  const metric: Metric = async (name, params = {}, settings = {}) =>
    (await runMetric(db, { ...DEFAULT_SETTINGS, ...settings }, name, params)).rows;
  return { db, metric, ...ids };
}

/** Loads the fixture once for a test file and closes it after; the fields fill in before the tests run. */
export function usePipelineFixture(names?: SnapshotName[]): PipelineFixture {
  const fixture = {} as PipelineFixture;
  beforeAll(async () => {
    Object.assign(fixture, await pipelineFixture(names));
  });
  afterAll(() => fixture.db?.close());
  return fixture;
}
