import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatCompact,
  formatCount,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatShortDateTime,
  formatNumber,
  formatDay,
  formatPercent,
  formatPrecisePercent,
  formatSignedPercent,
  formatQuarter,
  localeFromAcceptLanguage
} from '../../app/lib/format';

const NBSP = '\u00a0';

describe('formatAmount', () => {
  it('prints a compact amount with the currency code and the full value as title', () => {
    expect(formatAmount(2115000, 'USD', 'en-US')).toEqual({ text: `USD${NBSP}2.1M`, title: `USD${NBSP}2,115,000` });
    expect(formatAmount(15000, 'USD', 'en-US')).toEqual({ text: `USD${NBSP}15K`, title: `USD${NBSP}15,000` });
    expect(formatAmount(950, 'EUR', 'en-US')).toEqual({ text: `EUR${NBSP}950`, title: `EUR${NBSP}950` });
    expect(formatAmount(1234.5, 'USD', 'en-US').title).toBe(`USD${NBSP}1,234.5`);
    expect(formatAmount(0, 'USD', 'en-US').text).toBe(`USD${NBSP}0`);
  });

  it('prints a plain compact number when the currency is unknown', () => {
    expect(formatAmount(2115000, null, 'en-US')).toEqual({ text: '2.1M', title: '2,115,000' });
    expect(formatAmount(1250000000, undefined, 'en-US')).toEqual({ text: '1.3B', title: '1,250,000,000' });
  });

  it('prints – for null', () => {
    expect(formatAmount(null, 'USD', 'en-US')).toEqual({ text: '–', title: '' });
    expect(formatAmount(Number.NaN, null, 'en-US').text).toBe('–');
  });

  it('follows the locale', () => {
    expect(formatAmount(2115000, 'EUR', 'de-DE').text).toBe(`2,1${NBSP}Mio.${NBSP}EUR`);
  });
});

describe('numbers', () => {
  it('formats compact and full numbers', () => {
    expect(formatCompact(2115000, 'en-US')).toBe('2.1M');
    expect(formatCompact(null, 'en-US')).toBe('–');
    expect(formatNumber(2115000, 'en-US')).toBe('2,115,000');
    expect(formatNumber(undefined, 'en-US')).toBe('–');
  });

  it('formats percentages as whole numbers', () => {
    expect(formatPercent(0.34, 'en-US')).toBe('34%');
    expect(formatPercent(0.345, 'en-US')).toBe('35%');
    expect(formatPercent(1, 'en-US')).toBe('100%');
    expect(formatPercent(0, 'en-US')).toBe('0%');
    expect(formatPercent(null, 'en-US')).toBe('–');
  });

  it('formats counts with the noun in singular or plural', () => {
    expect(formatCount(1, 'deal', 'en-US')).toBe('1 deal');
    expect(formatCount(0, 'deal', 'en-US')).toBe('0 deals');
    expect(formatCount(1234, 'open deal', 'en-US')).toBe('1,234 open deals');
    expect(formatCount(null, 'deal', 'en-US')).toBe('–');
  });
});

describe('dates', () => {
  it('formats calendar dates in UTC whatever the time zone', () => {
    expect(formatDate('2023-10-01', 'en-US')).toBe('Oct 1, 2023');
    expect(formatDate('2023-10-28T23:54:20Z', 'en-US')).toBe('Oct 28, 2023');
    expect(formatDate('2023-10-01', 'en-GB')).toBe('1 Oct 2023');
    expect(formatDate(null, 'en-US')).toBe('–');
    expect(formatDate('not a date', 'en-US')).toBe('–');
  });

  it('formats timestamps with UTC named', () => {
    // ICU 78 (Node 20.20) prints a plain space before PM; older ICU a narrow one.
    expect(formatDateTime('2023-10-28T20:54:20Z', 'en-US').replace('\u202f', ' ')).toBe('Oct 28, 2023, 8:54 PM UTC');
  });

  it('formats compact timestamps for dense tables', () => {
    expect(formatShortDateTime('2023-10-28T20:54:20Z', 'en-US').replace('\u202f', ' ')).toBe('10/28/23, 8:54 PM');
    expect(formatShortDateTime('2023-10-28T20:54:20Z', 'en-GB')).toBe('28/10/2023, 20:54');
    expect(formatShortDateTime(undefined, 'en-US')).toBe('–');
  });

  it('formats inclusive ranges', () => {
    const THIN = '\u2009';
    expect(formatDateRange('2023-10-01', '2023-12-31', 'en-US')).toBe(`Oct 1${THIN}–${THIN}Dec 31, 2023`);
    expect(formatDateRange('2022-10-01', '2023-09-30', 'en-US')).toBe(`Oct 1, 2022${THIN}–${THIN}Sep 30, 2023`);
    expect(formatDateRange(null, '2023-09-30', 'en-US')).toBe('–');
  });

  it('spaces fiscal quarter labels', () => {
    expect(formatQuarter('FY2026Q4')).toBe('FY2026 Q4');
    expect(formatQuarter(null)).toBe('–');
  });
});

describe('localeFromAcceptLanguage', () => {
  it('takes the first supported language', () => {
    expect(localeFromAcceptLanguage('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(localeFromAcceptLanguage('*')).toBe('en-US');
    expect(localeFromAcceptLanguage('')).toBe('en-US');
    expect(localeFromAcceptLanguage(null)).toBe('en-US');
    expect(localeFromAcceptLanguage('%%%, fr-CH')).toBe('fr-CH');
  });
});

describe('formatSignedPercent and formatPrecisePercent', () => {
  it('prints an error with its sign and one decimal, a WAPE without a sign', () => {
    expect(formatSignedPercent(0.055176, 'en-US')).toBe('+5.5%');
    expect(formatSignedPercent(-0.1, 'en-US')).toBe('-10%');
    expect(formatSignedPercent(0, 'en-US')).toBe('0%');
    expect(formatSignedPercent(null, 'en-US')).toBe('–');
    expect(formatPrecisePercent(0.2549, 'en-US')).toBe('25.5%');
  });
});

describe('formatDay', () => {
  it('prints the UTC day without the year', () => {
    expect(formatDay('2026-09-28T23:30:00Z', 'en-US')).toBe('Sep 28');
  });
});

describe('values a database may hold, whatever ingest allows now', () => {
  it('writes a currency code Intl does not take as it is, before the number', () => {
    expect(formatAmount(1500, 'EURO', 'en-US')).toEqual({ text: 'EURO 1.5K', title: 'EURO 1,500' });
    expect(formatAmount(1500, '$', 'en-US')).toEqual({ text: '$ 1.5K', title: '$ 1,500' });
  });

  it('writes numbers from 10^18 in scientific notation, and keeps infinities and NaN as –', () => {
    expect(formatAmount(1e300, 'USD', 'en-US')).toEqual({ text: `USD${NBSP}1E300`, title: `USD${NBSP}1E300` });
    expect(formatAmount(-2e20, null, 'en-US')).toEqual({ text: '-2E20', title: '-2E20' });
    expect(formatNumber(1e15, 'en-US')).toBe('1,000,000,000,000,000');
    expect(formatPercent(1e18, 'en-US')).toBe('1E20%');
    expect([Infinity, -Infinity, NaN].map((v) => formatNumber(v, 'en-US'))).toEqual(['–', '–', '–']);
    expect(formatAmount(Infinity, 'USD', 'en-US')).toEqual({ text: '–', title: '' });
  });

  it('shows a date JavaScript cannot hold as written, and one it can in any year', () => {
    expect(formatDate('300000-01-01', 'en-US')).toBe('300000-01-01');
    expect(formatDateTime('300000-01-01T00:00:00Z', 'en-US')).toBe('300000-01-01T00:00:00Z');
    expect(formatDateRange('2026-01-01', '300000-01-01', 'en-US')).toBe('Jan 1, 2026 – 300000-01-01');
    expect(formatDate('10000-01-01', 'en-US')).toBe('Jan 1, 10000');
    expect(formatDate(new Date(Number.NaN), 'en-US')).toBe('–');
  });

  it('falls back to the default locale for one Intl does not take', () => {
    expect(formatNumber(1234.5, 'xx-INVALID-!!')).toBe('1,234.5');
    expect(formatDate('2026-10-28', 'xx-INVALID-!!')).toBe('Oct 28, 2026');
  });
});
