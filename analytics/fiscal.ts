/**
 * Fiscal quarters (METRICS.md "Periods"). A fiscal year is named after the calendar
 * year in which it ends: with an April start, FY2024 runs 2023-04-01..2024-03-31;
 * with the default January start, FY2024 is the calendar year 2024.
 */
export interface FiscalQuarter {
  label: string; // FY2024Q3
  from: string; // inclusive, YYYY-MM-DD
  to: string; // inclusive, YYYY-MM-DD
}

export function fiscalQuarterOf(date: string | Date, startMonth = 1): FiscalQuarter {
  const d = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  const monthsIntoYear = (d.getUTCMonth() + 1 - startMonth + 12) % 12;
  const quarter = Math.floor(monthsIntoYear / 3) + 1;
  const startYear = d.getUTCFullYear() - (d.getUTCMonth() + 1 < startMonth ? 1 : 0);
  return quarterFrom(startYear, startMonth, quarter);
}

export function parseFiscalQuarter(label: string, startMonth = 1): FiscalQuarter | null {
  const m = /^FY(\d{4})\s*-?\s*Q([1-4])$/i.exec(label.trim());
  if (!m) return null;
  const fiscalYear = Number(m[1]);
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  return quarterFrom(startYear, startMonth, Number(m[2]));
}

/** The quarter `offset` quarters after `q` (negative: before). */
export function shiftQuarter(q: FiscalQuarter, offset: number, startMonth = 1): FiscalQuarter {
  const d = new Date(`${q.from}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 3 * offset);
  return fiscalQuarterOf(d, startMonth);
}

function quarterFrom(startYear: number, startMonth: number, quarter: number): FiscalQuarter {
  const from = new Date(Date.UTC(startYear, startMonth - 1 + (quarter - 1) * 3, 1));
  const to = new Date(Date.UTC(startYear, startMonth - 1 + quarter * 3, 0));
  const fiscalYear = startMonth === 1 ? startYear : startYear + 1;
  return { label: `FY${fiscalYear}Q${quarter}`, from: iso(from), to: iso(to) };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
