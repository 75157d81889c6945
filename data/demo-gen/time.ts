// All times are UTC epoch milliseconds; nothing here reads the local time zone.
import { between, type Rng } from './random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Region = 'NA' | 'EMEA';

/** Working hours in UTC: Americas reps 14:00–23:00, European reps 07:00–16:00. */
const WORKDAY_START_HOUR: Record<Region, number> = { NA: 14, EMEA: 7 };
const WORKDAY_HOURS = 9;

export function parseDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`expected a date as YYYY-MM-DD, got "${text}"`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatDate(ms) !== text) throw new Error(`not a calendar date: "${text}"`);
  return ms;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Data Export style: `YYYY-MM-DD HH:MM:SS`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatIso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export function startOfQuarter(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
}

export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}

export function endOfMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
}

/** Fiscal year and quarter of a date, for a fiscal year starting in January. */
export function fiscalPeriod(ms: number): { year: number; quarter: number } {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), quarter: Math.floor(d.getUTCMonth() / 3) + 1 };
}

function isWeekend(dayMs: number): boolean {
  const weekday = new Date(dayMs).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Weekend days become a random workday of the same (Monday-first) week, so no weekday piles up. */
function workdayOfWeek(rng: Rng, dayMs: number): number {
  if (!isWeekend(dayMs)) return dayMs;
  const monday = dayMs - ((new Date(dayMs).getUTCDay() + 6) % 7) * DAY;
  return monday + Math.floor(rng() * 5) * DAY;
}

function atWorkingHour(rng: Rng, dayMs: number, region: Region): number {
  const offset = between(rng, WORKDAY_START_HOUR[region], WORKDAY_START_HOUR[region] + WORKDAY_HOURS) * HOUR;
  return dayMs + Math.floor(offset / 1000) * 1000;
}

/** A moment within the region's working hours on `dayMs`, or on a workday of its week. */
export function workingTimeOn(rng: Rng, dayMs: number, region: Region): number {
  return atWorkingHour(rng, workdayOfWeek(rng, startOfDay(dayMs)), region);
}

/**
 * When something that takes `days` (calendar days, on average) after `from` gets recorded:
 * the equivalent number of workdays later, in working hours, and always strictly after
 * `from` so a record's events stay in order.
 */
export function workingTimeAfter(rng: Rng, from: number, days: number, region: Region): number {
  let workdaysLeft = Math.floor((days * 5) / 7 + rng());
  let day = startOfDay(from);
  while (workdaysLeft > 0 || isWeekend(day)) {
    day += DAY;
    if (!isWeekend(day)) workdaysLeft--;
  }
  const at = atWorkingHour(rng, day, region);
  if (at > from) return at;
  return from + Math.floor(between(rng, 5, 90)) * MINUTE;
}

/**
 * A moment in [start, end) drawn so that later moments are more likely: the company grows,
 * so the last month has about 1 + `growth` times the activity of the first.
 */
function growingMomentIn(rng: Rng, start: number, end: number, growth = 0.5): number {
  const u = rng();
  const fraction = (-1 + Math.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth;
  return start + fraction * (end - start);
}

/** A working moment in [start, end], later ones more likely (see `growingMomentIn`). */
export function workingMomentInGrowingWindow(rng: Rng, start: number, end: number, region: Region): number {
  for (;;) {
    const at = workingTimeOn(rng, growingMomentIn(rng, start, end), region);
    if (at >= start && at <= end) return at;
  }
}
