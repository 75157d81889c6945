/**
 * Fiscal quarters (METRICS.md "Periods"). A fiscal year is named after the calendar
 * year in which it ends: with an April start, FY2024 runs 2023-04-01..2024-03-31;
 * with the default January start, FY2024 is the calendar year 2024. Computed on year
 * and month numbers, not JavaScript dates, so any year a database holds has its quarter.
 */
export interface FiscalQuarter {
  label: string; // FY2024Q3
  from: string; // inclusive, YYYY-MM-DD
  to: string; // inclusive, YYYY-MM-DD
}

export function fiscalQuarterOf(date: string | Date, startMonth = 1): FiscalQuarter {
  const [year, month] = typeof date === 'string' ? yearMonthOf(date) : [date.getUTCFullYear(), date.getUTCMonth() + 1];
  const monthsIntoYear = (month - startMonth + 12) % 12;
  const quarter = Math.floor(monthsIntoYear / 3) + 1;
  const startYear = year - (month < startMonth ? 1 : 0);
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
  const [year, month] = yearMonthOf(q.from);
  const months = year * 12 + (month - 1) + 3 * offset;
  return fiscalQuarterOf(`${pad(Math.floor(months / 12), 4)}-${pad(mod12(months) + 1, 2)}-01`, startMonth);
}

/** Year and month (1–12) of `YYYY-MM-DD…`, the year of any length or sign (as DuckDB writes years beyond 9999). */
function yearMonthOf(date: string): [number, number] {
  const m = /^(-?\d+)-(\d{2})/.exec(date);
  if (!m) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return [Number(m[1]), Number(m[2])];
}

function quarterFrom(startYear: number, startMonth: number, quarter: number): FiscalQuarter {
  const first = startYear * 12 + (startMonth - 1) + (quarter - 1) * 3; // months since year 0
  const last = first + 2;
  const [fromYear, fromMonth] = [Math.floor(first / 12), mod12(first) + 1];
  const [toYear, toMonth] = [Math.floor(last / 12), mod12(last) + 1];
  const fiscalYear = startMonth === 1 ? startYear : startYear + 1;
  return {
    label: `FY${fiscalYear}Q${quarter}`,
    from: `${pad(fromYear, 4)}-${pad(fromMonth, 2)}-01`,
    to: `${pad(toYear, 4)}-${pad(toMonth, 2)}-${pad(daysIn(toYear, toMonth), 2)}`
  };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const mod12 = (n: number) => ((n % 12) + 12) % 12;
const pad = (n: number, width: number) => (n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0'));
