import { describe, expect, it } from 'vitest';
import { nextSort, sortRows, type Column } from '../../app/lib/components/table';

type Row = { name: string; n: number | null };
const rows: Row[] = [
  { name: 'b', n: 2 },
  { name: 'a', n: null },
  { name: 'c', n: 10 },
  { name: 'd', n: 2 }
];
const byN: Column<Row> = { key: 'n', label: 'N', numeric: true, value: (r) => r.n };
const byName: Column<Row> = { key: 'name', label: 'Name', value: (r) => r.name };

describe('table sorting', () => {
  it('sorts numbers numerically, keeps ties in order and puts nulls last', () => {
    expect(sortRows(rows, byN, 'ascending').map((r) => r.name)).toEqual(['b', 'd', 'c', 'a']);
    expect(sortRows(rows, byN, 'descending').map((r) => r.name)).toEqual(['c', 'b', 'd', 'a']);
    expect(sortRows(rows, byName, 'ascending').map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('starts numeric columns descending and flips on a second click', () => {
    expect(nextSort(null, byN as Column<unknown>)).toEqual({ key: 'n', direction: 'descending' });
    expect(nextSort(null, byName as Column<unknown>)).toEqual({ key: 'name', direction: 'ascending' });
    expect(nextSort({ key: 'n', direction: 'descending' }, byN as Column<unknown>)).toEqual({ key: 'n', direction: 'ascending' });
  });
});
