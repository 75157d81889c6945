/**
 * The three Data Export snapshots of test/fixtures/pipeline loaded as C, A, B give the
 * same figures as loaded A, B, C: the comparisons pick snapshots by as_of, not by id.
 */
import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type PipelineFixture, type SnapshotName } from './fixture';

const NAMES: SnapshotName[] = ['a', 'b', 'c'];

// Each call with snapshots named, not numbered: a name in `snapshot` or `base` becomes that fixture's id.
const CALLS: [string, Record<string, string>][] = [
  ['pipeline-changes', { base: 'b', period: 'FY2024Q3' }],
  ['pipeline-changes', { base: 'a', period: 'FY2024Q3' }],
  ['pipeline-changes', {}],
  ['pipeline-changes', { snapshot: 'b' }],
  ['pipeline-change-deals', { base: 'a', period: 'FY2024Q3', bucket: 'pushed_out' }],
  ['pipeline-change-deals', { base: 'b', period: 'FY2024Q3', bucket: 'won' }],
  ['slippage', {}],
  ['slipped-amount', {}],
  ['forecast-accuracy', {}],
  ['forecast-accuracy', { snapshot: 'b' }],
  ['trends', {}],
  ['trends', { by: 'forecast_category' }],
  ['forecast-trend', { period: 'FY2024Q3' }],
  ['forecast-trend', {}]
];

/** Every call's rows, with snapshot ids written as snapshot names so that two loads compare. */
async function results(fixture: PipelineFixture) {
  const name = new Map(NAMES.map((n) => [fixture[n], n]));
  const out: Record<string, unknown>[][] = [];
  for (const [metric, params] of CALLS) {
    const named = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, k === 'snapshot' || k === 'base' ? String(fixture[v as SnapshotName]) : v])
    );
    const rows = await fixture.metric(metric, named);
    out.push(rows.map((r) => ('snapshot_id' in r ? { ...r, snapshot_id: r.snapshot_id === null ? null : name.get(r.snapshot_id as number) } : r)));
  }
  return out;
}

describe('three snapshots in any order', () => {
  const inOrder = usePipelineFixture(['a', 'b', 'c']);
  const shuffled = usePipelineFixture(['c', 'a', 'b']);

  it('numbers the snapshots in the order they were loaded', () => {
    expect([inOrder.a, inOrder.b, inOrder.c]).toEqual([1, 2, 3]);
    expect([shuffled.c, shuffled.a, shuffled.b]).toEqual([1, 2, 3]);
  });

  it('gives the same comparisons, slippage, accuracy and trends', async () => {
    const expected = await results(inOrder);
    expect(expected.every((rows) => rows.length > 0)).toBe(true);
    expect(await results(shuffled)).toEqual(expected);
  });
});
