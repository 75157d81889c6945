import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../../analytics/db';
import { runMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS, type Settings } from '../../../analytics/settings';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

export const A_AS_OF = '2024-06-30T12:00:00Z';
export const B_AS_OF = '2024-07-31T12:00:00Z';

/** test/fixtures/pipeline: snapshot A (1) then B (2); see its README for every deal's story. */
export async function pipelineFixture(): Promise<{ db: Database; a: number; b: number; metric: Metric }> {
  const db = await memoryDb();
  const a = (await ingestPaths(db, [join(FIXTURES, 'pipeline/a')], { asOf: A_AS_OF })).snapshot.snapshot_id;
  const b = (await ingestPaths(db, [join(FIXTURES, 'pipeline/b')], { asOf: B_AS_OF })).snapshot.snapshot_id;
  const metric: Metric = async (name, params = {}, settings = {}) =>
    (await runMetric(db, { ...DEFAULT_SETTINGS, ...settings }, name, params)).rows;
  return { db, a, b, metric };
}

export type Metric = (name: string, params?: Record<string, string>, settings?: Partial<Settings>) => Promise<Record<string, unknown>[]>;

/** Loads the fixture once for a test file and closes it after; the fields fill in before the tests run. */
export function usePipelineFixture(): { db: Database; a: number; b: number; metric: Metric } {
  const fixture = {} as Awaited<ReturnType<typeof pipelineFixture>>;
  beforeAll(async () => {
    Object.assign(fixture, await pipelineFixture());
  });
  afterAll(() => fixture.db?.close());
  return fixture;
}
