/**
 * Human formatting for every figure the pages show. Each formatter takes the locale
 * (from the request's Accept-Language, so the server and the browser print the same
 * text) and turns null into "–". Dates are calendar dates of the data (UTC), never
 * shifted by the viewer's time zone.
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

/** An amount: `USD 1.2M` when the currency is known, `1.2M` otherwise; the full value as title. */
export function formatAmount(value: Num, currency: string | null | undefined, locale = DEFAULT_LOCALE): Formatted {
  if (!isNumber(value)) return { text: NONE, title: '' };
  if (currency) {
    const compact = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'code',
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: 1
    });
    const full = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 0, maximumFractionDigits: 2 });
    return { text: compact.format(value), title: full.format(value) };
  }
  return { text: formatCompact(value, locale), title: formatNumber(value, locale) };
}

/** A plain compact number: 2.1M, 15K, 950. */
export function formatCompact(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A full number with grouping: 2,115,000 (at most two decimals). */
export function formatNumber(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** A ratio 0..1 as a whole percentage: 0.345 → 35%. */
export function formatPercent(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

/** A ratio as a percentage with one decimal: 0.0552 → 5.5% (an error rate such as WAPE). */
export function formatPrecisePercent(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** A relative error with its sign and one decimal: 0.0552 → +5.5%, −0.1 → −10%, 0 → 0%. */
export function formatSignedPercent(value: Num, locale = DEFAULT_LOCALE): string {
  if (!isNumber(value)) return NONE;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
}

/** A day without the year, for axes across snapshots: Oct 28. */
export function formatDay(value: string | Date | null | undefined, locale = DEFAULT_LOCALE): string {
  const date = toDate(value);
  if (!date) return NONE;
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "1 deal", "13 deals". */
export function formatCount(value: Num, noun: string, locale = DEFAULT_LOCALE, plural = `${noun}s`): string {
  if (!isNumber(value)) return NONE;
  return `${formatNumber(value, locale)} ${value === 1 ? noun : plural}`;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A calendar date: Oct 28, 2023. */
export function formatDate(value: string | Date | null | undefined, locale = DEFAULT_LOCALE): string {
  const date = toDate(value);
  if (!date) return NONE;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A timestamp, in UTC and saying so: Oct 28, 2023, 8:54 PM UTC. */
export function formatDateTime(value: string | Date | null | undefined, locale = DEFAULT_LOCALE): string {
  const date = toDate(value);
  if (!date) return NONE;
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}

/** A compact timestamp in UTC, for dense tables: 11/22/26, 4:52 PM. */
export function formatShortDateTime(value: string | Date | null | undefined, locale = DEFAULT_LOCALE): string {
  const date = toDate(value);
  if (!date) return NONE;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' }).format(date);
}

/** An inclusive date range: Oct 1 – Dec 31, 2023. */
export function formatDateRange(from: string | null | undefined, to: string | null | undefined, locale = DEFAULT_LOCALE): string {
  const a = toDate(from);
  const b = toDate(to);
  if (!a || !b) return NONE;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(a, b);
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
