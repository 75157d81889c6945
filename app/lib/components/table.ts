/** Column definitions and sorting for DataTable.svelte. */

export interface Column<R> {
  key: string;
  label: string;
  /** Right-aligned, tabular numerals. */
  numeric?: boolean;
  /** The value the column sorts by; null sorts last. */
  value: (row: R) => string | number | null;
  /** Printed text; String(value) by default. */
  format?: (row: R) => string;
  /** Exact value for a title attribute (a compact amount's full figure). */
  title?: (row: R) => string | undefined;
  /** Rendered by the table's `cell` snippet instead of as text. */
  custom?: boolean;
  /** Not sortable (an actions column). */
  unsortable?: boolean;
}

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  key: string;
  direction: SortDirection;
}

/** A stable sort by one column; nulls last in both directions. */
export function sortRows<R>(rows: R[], column: Column<R> | undefined, direction: SortDirection): R[] {
  if (!column) return rows;
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      if (a.value === b.value) return a.index - b.index;
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      const cmp = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value), undefined, { numeric: true });
      return cmp === 0 ? a.index - b.index : cmp * sign;
    })
    .map((x) => x.row);
}

/** Clicking the sorted column flips it; another column starts descending when numeric. */
export function nextSort(current: SortState | null, column: Column<unknown>): SortState {
  if (current?.key === column.key) return { key: column.key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key: column.key, direction: column.numeric ? 'descending' : 'ascending' };
}
