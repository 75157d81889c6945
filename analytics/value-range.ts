/**
 * The values Pipelens accepts, from an export or a request: what a CRM can produce. Dates
 * and times lie within 1900-01-01..2199-12-31, so every fiscal quarter, day count and page
 * format works on them; numbers are finite and within ±10^15, so sums of amounts stay
 * far from DOUBLE's limits and exact to the cent in DECIMAL(38, 2). Ingest refuses a value
 * beyond them, naming it; a request parameter beyond them is a bad parameter.
 */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2199-12-31';
export const MAX_NUMBER = 1e15;

/** What a value of a kind must be, for the reason of a refusal. */
export const RANGE_REASON = {
  date: `a date from ${FIRST_DATE} to ${LAST_DATE}`,
  timestamp: `a date/time from ${FIRST_DATE} to ${LAST_DATE}`,
  number: 'a finite number from -10^15 to 10^15'
} as const;

export type RangedKind = keyof typeof RANGE_REASON;

export function isRanged(kind: string): kind is RangedKind {
  return Object.hasOwn(RANGE_REASON, kind);
}

/** SQL that is true when the typed (non-NULL) value `col` of `kind` lies outside its range. */
export function outOfRangeSql(kind: RangedKind, col: string): string {
  return kind === 'number'
    ? `(NOT isfinite(${col}) OR abs(${col}) > ${MAX_NUMBER})`
    : `(${col}::TIMESTAMP NOT BETWEEN TIMESTAMP '${FIRST_DATE} 00:00:00' AND TIMESTAMP '${LAST_DATE} 23:59:59.999999')`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function dayExists(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]);
}

/** Whether `text` is a date YYYY-MM-DD that the calendar has (2024-02-31 is not one). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return !!m && dayExists(Number(m[1]), Number(m[2]), Number(m[3]));
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date or date-time (`2026-11-20`, `2026-11-20T08:00:00Z`, `… 08:00+02:00`; no
 * offset: UTC) as the instant it names; null when it is not one the calendar and the clock
 * have, or lies outside FIRST_DATE..LAST_DATE.
 */
export function parseInstant(text: string): Date | null {
  const m = INSTANT.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  // (Date.UTC reads years below 100 as 19xx: those are out of range anyway)
  if (y < 1899 || y > 2200 || !dayExists(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const ms = Number(`0.${m[7] ?? '0'}`) * 1000;
  const offset = m[8] && m[8].toUpperCase() !== 'Z' ? m[8] : null;
  const offsetMinutes = offset ? (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2))) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(ms) - offsetMinutes * 60_000);
  const first = Date.UTC(Number(FIRST_DATE.slice(0, 4)), 0, 1);
  const last = Date.UTC(Number(LAST_DATE.slice(0, 4)), 11, 31, 23, 59, 59, 999);
  return date.getTime() >= first && date.getTime() <= last ? date : null;
}
