/**
 * Human formatting for every figure the pages show. Each formatter takes the locale
 * (from the request's Accept-Language, so the server and the browser print the same
 * text) and turns null into "–". Dates are calendar dates of the data (UTC), never
 * shifted by the viewer's time zone. No formatter throws, whatever a database holds: a
 * date JavaScript cannot represent is shown as written, a number from 10^18 in
 * scientific notation, a currency code Intl does not take ("EURO") as written before
 * the number.
 */

export const NONE = '–';
export const DEFAULT_LOCALE = 'en-US';

export interface Formatted {
  /** What the page prints. */
  text: string;
  /** The exact value, for a title attribute. */
  title: string;
}

type Num = number | null | undefined;

function isNumber(value: Num): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Beyond this, numbers are written in scientific notation (1.2E20) rather than as 21 digits or more. */
const HUGE = 1e18;

/** `value` as `options` say, in `locale` (else the default locale, when Intl does not take it). */
function formatWith(value: number, locale: string, options: Intl.NumberFormatOptions): string {
  const opts: Intl.NumberFormatOptions = Math.abs(value) >= HUGE ? { ...options, notation: 'scientific', maximumFractionDigits: 2 } : options;
  try {
    return new Intl.NumberFormat(locale, opts).format(value);
  } catch {
    return new Intl.NumberFormat(DEFAULT_LOCALE, opts).format(value);
  }
}

/** An amount: `USD 1.2M` when the currency is known, `1.2M` otherwise; the full value as title. */
export function formatAmount(value: Num, currency: string | null | undefined, locale = DEFAULT_LOCALE): Formatted {
  if (!isNumber(value)) return { text: NONE, title: '' };
  if (currency && /^[A-Za-z]{3}$/.test(currency)) {
    const money = { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 0 } as const;
    return {
      text: formatWith(value, locale, { ...money, notation: 'compact', maximumFractionDigits: 1 }),
      title: formatWith(value, locale, { ...money, maximumFractionDigits: 2 })
    };
  }
  // a currency Intl does not take (an export's "EURO", "$") is shown as written
  const prefix = currency ? `${currency} ` : '';
  return { text: prefix + formatCompact(value, locale), title: prefix + formatNumber(value, locale) };
}

/** A plain compact number: 2.1M, 15K, 950. */
export function formatCompact(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return formatWith(value, locale, { notation: 'compact', maximumFractionDigits: 1 });
}

/** A full number with grouping: 2,115,000 (at most two decimals). */
export function formatNumber(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return formatWith(value, locale, { maximumFractionDigits: 2 });
}

/** A ratio 0..1 as a whole percentage: 0.345 → 35%. */
export function formatPercent(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return formatWith(value, locale, { style: 'percent', maximumFractionDigits: 0 });
}

/** A ratio as a percentage with one decimal: 0.0552 → 5.5% (an error rate such as WAPE). */
export function formatPrecisePercent(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return formatWith(value, locale, { style: 'percent', maximumFractionDigits: 1 });
}

/** A relative error with its sign and one decimal: 0.0552 → +5.5%, −0.1 → −10%, 0 → 0%. */
export function formatSignedPercent(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return formatWith(value, locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
}

/** A day without the year, for axes across snapshots: Oct 28. */
export function formatDay(value: string | Date | null | undefined, locale = DEFAULT_LOCALE): string {
  return formatDateWith(value, locale, { month: 'short', day: 'numeric' });
}

/** "1 deal", "13 deals". */
export function formatCount(value: Num, noun: string, locale = DEFAULT_LOCALE, plural = `${noun}s`): string {
  if (!isNumber(value)) return NONE;
  return `${formatNumber(value, locale)} ${value === 1 ? noun : plural}`;
}

type DateLike = string | Date | null | undefined;

function toDate(value: DateLike): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What a date that JavaScript cannot represent (year 300000) shows: the value as written when it is one, else "–". */
const asWritten = (value: DateLike) => (typeof value === 'string' && /^[+-]?\d{4,}-\d{2}-\d{2}/.test(value) ? value : NONE);

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
  } catch {
    return new Intl.DateTimeFormat(DEFAULT_LOCALE, { ...options, timeZone: 'UTC' });
  }
}

function formatDateWith(value: DateLike, locale: string, options: Intl.DateTimeFormatOptions): string {
  const date = toDate(value);
  return date ? dateFormat(locale, options).format(date) : asWritten(value);
}

/** A calendar date: Oct 28, 2023. */
export function formatDate(value: DateLike, locale = DEFAULT_LOCALE): string {
  return formatDateWith(value, locale, { dateStyle: 'medium' });
}

/** A timestamp, in UTC and saying so: Oct 28, 2023, 8:54 PM UTC. */
export function formatDateTime(value: DateLike, locale = DEFAULT_LOCALE): string {
  const date = toDate(value);
  return date ? `${dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date)} UTC` : asWritten(value);
}

/** A compact timestamp in UTC, for dense tables: 11/22/26, 4:52 PM. */
export function formatShortDateTime(value: DateLike, locale = DEFAULT_LOCALE): string {
  return formatDateWith(value, locale, { dateStyle: 'short', timeStyle: 'short' });
}

/** An inclusive date range: Oct 1 – Dec 31, 2023. */
export function formatDateRange(from: string | null | undefined, to: string | null | undefined, locale = DEFAULT_LOCALE): string {
  const a = toDate(from);
  const b = toDate(to);
  if (!from || !to) return NONE;
  return a && b ? dateFormat(locale, { dateStyle: 'medium' }).formatRange(a, b) : `${a ? formatDate(a, locale) : asWritten(from)} – ${b ? formatDate(b, locale) : asWritten(to)}`;
}

/** A fiscal quarter label as the engine writes it (FY2026Q4) with a space: FY2026 Q4. */
export function formatQuarter(label: string | null | undefined): string {
  if (!label) return NONE;
  return label.replace(/^(FY\d{4})(Q[1-4])$/, '$1 $2');
}

/** The first language of an Accept-Language header that Intl supports, else en-US. */
export function localeFromAcceptLanguage(header: string | null | undefined): string {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0].trim();
    if (!tag || tag === '*') continue;
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // malformed tag: try the next one
    }
  }
  return DEFAULT_LOCALE;
}
