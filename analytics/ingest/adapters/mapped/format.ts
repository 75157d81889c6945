import { RejectedFileError, type Problem } from '../../../errors';
import { FORECAST_CATEGORIES } from '../../../stages';

/**
 * The column mapping file (JSON) that lets any CSV be read as deals or leads: which
 * header holds which field, how its values are written, and outcome rules. Rules are
 * data (column / equals / in / empty, combined with all / any / not), never code.
 */
export const DEAL_FIELDS = [
  'deal_id', 'name', 'account', 'stage', 'amount', 'currency', 'close_date', 'created_date', 'owner', 'owner_id',
  'lead_source', 'type', 'pipeline', 'probability', 'forecast_category', 'last_activity_date', 'last_modified'
] as const;
export const LEAD_FIELDS = [
  'lead_id', 'status', 'lead_source', 'owner', 'owner_id', 'company', 'created_date', 'converted', 'converted_date',
  'converted_deal_id', 'last_modified'
] as const;
export type DealField = (typeof DEAL_FIELDS)[number];
export type LeadField = (typeof LEAD_FIELDS)[number];

export type Condition =
  | { column: string; equals: string }
  | { column: string; in: string[] }
  | { column: string; empty: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Formats {
  /** strptime patterns (tried in order), and `iso`: ISO 8601 with or without time and offset, tried after them. */
  date: string[];
  decimal: '.' | ',';
  thousands: '' | ',' | '.' | ' ' | "'";
  /** Drops currency symbols and ISO codes ("€ 1.200", "1,200 USD") before reading a number. */
  strip_currency: boolean;
  /** The currency of every amount when the file has no currency column. */
  currency: string | null;
  /** How probabilities are written: 0–100 (`percent`, "40" or "40%") or 0–1 (`fraction`). */
  probability: 'percent' | 'fraction';
}

export interface StageEntry {
  stage: string;
  probability?: number;
  forecast_category?: string;
  closed?: boolean;
  won?: boolean;
}

export interface DealMapping {
  /** Headers a file must have to be read as deals with this mapping (default: every header it names). */
  detect: { headers: string[] };
  columns: Partial<Record<DealField, string>>;
  outcome: { won?: Condition; lost?: Condition; closed?: Condition };
  /** Stage order (list order) and defaults. */
  stages: StageEntry[];
}

export interface LeadMapping {
  detect: { headers: string[] };
  columns: Partial<Record<LeadField, string>>;
  /** Converted when this holds; else the `converted` column (TRUE/1/yes); else a converted date. */
  converted_when?: Condition;
}

export interface Mapping {
  name: string | null;
  formats: Formats;
  deals: DealMapping | null;
  leads: LeadMapping | null;
}

export const DEFAULT_FORMATS: Formats = { date: ['iso'], decimal: '.', thousands: '', strip_currency: false, currency: null, probability: 'percent' };

const REQUIRED = { deals: ['deal_id', 'stage'], leads: ['lead_id', 'status'] } as const;

// DuckDB's strptime specifiers; time zones (%z, %Z) are left out: times are read as UTC.
const SPECIFIER = /%(-?[aAwudbBmyYHIpMSgfnjUWcxX]|%)/g;

/** The mapping in `json` (text or parsed), checked whole: every problem is listed, then a RejectedFileError. */
export function parseMapping(json: unknown, file = 'mapping'): Mapping {
  const problems: Problem[] = [];
  const bad = (path: string, reason: string) => problems.push({ file, line: null, column: path, reason });
  let raw = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (err) {
      throw new RejectedFileError([{ file, line: null, column: null, reason: `not JSON: ${(err as Error).message}` }]);
    }
  }
  if (!isObject(raw)) throw new RejectedFileError([{ file, line: null, column: null, reason: 'not a JSON object' }]);

  unknownKeys(raw, ['name', 'formats', 'deals', 'leads'], '', bad);
  const formats = readFormats(raw.formats, bad);
  const deals = raw.deals == null ? null : readDeals(raw.deals, bad);
  const leads = raw.leads == null ? null : readLeads(raw.leads, bad);
  if (raw.deals == null && raw.leads == null) bad('deals', 'a mapping needs a deals or a leads section');
  if (raw.name != null && typeof raw.name !== 'string') bad('name', 'a string');
  if (problems.length) throw new RejectedFileError(problems);
  return { name: (raw.name as string | undefined) ?? null, formats, deals, leads };
}

type Bad = (path: string, reason: string) => void;

function readFormats(value: unknown, bad: Bad): Formats {
  if (value === undefined) return DEFAULT_FORMATS;
  if (!isObject(value)) return bad('formats', 'an object'), DEFAULT_FORMATS;
  unknownKeys(value, Object.keys(DEFAULT_FORMATS), 'formats.', bad);
  const f = { ...DEFAULT_FORMATS, ...value } as Record<string, unknown>;
  const date = typeof f.date === 'string' ? [f.date] : f.date;
  if (!Array.isArray(date) || !date.length || !date.every((d) => typeof d === 'string')) bad('formats.date', 'a date pattern or a list of them');
  else date.forEach((d, i) => checkDatePattern(d, `formats.date${Array.isArray(f.date) ? `[${i}]` : ''}`, bad));
  oneOf(f.decimal, ['.', ','], 'formats.decimal', bad);
  oneOf(f.thousands, ['', ',', '.', ' ', "'"], 'formats.thousands', bad);
  if (f.thousands !== '' && f.thousands === f.decimal) bad('formats.thousands', 'the same as the decimal separator');
  if (typeof f.strip_currency !== 'boolean') bad('formats.strip_currency', 'true or false');
  if (f.currency !== null && (typeof f.currency !== 'string' || !/^[A-Za-z]{3}$/.test(f.currency))) bad('formats.currency', 'a three-letter currency code');
  oneOf(f.probability, ['percent', 'fraction'], 'formats.probability', bad);
  return { ...(f as unknown as Formats), date: Array.isArray(date) ? date : ['iso'], currency: typeof f.currency === 'string' ? f.currency.toUpperCase() : null };
}

export function checkDatePattern(pattern: string, path: string, bad: Bad): void {
  if (pattern === 'iso') return;
  const rest = pattern.replace(SPECIFIER, '');
  if (rest.includes('%')) return bad(path, `unknown specifier in ${JSON.stringify(pattern)} (time zones %z, %Z are not read)`);
  const has = (re: RegExp) => re.test(pattern);
  if (!has(/%-?[yY]/) || !(has(/%-?[mbB]/) && has(/%-?d/)) && !has(/%-?j/)) {
    bad(path, `${JSON.stringify(pattern)} needs a year (%Y or %y), a month (%m, %b) and a day (%d)`);
  }
}

function readDeals(value: unknown, bad: Bad): DealMapping | null {
  if (!isObject(value)) return bad('deals', 'an object'), null;
  unknownKeys(value, ['detect', 'columns', 'outcome', 'stages'], 'deals.', bad);
  const columns = readColumns(value.columns, DEAL_FIELDS, 'deals', bad);
  const outcome: DealMapping['outcome'] = {};
  if (value.outcome !== undefined) {
    if (!isObject(value.outcome)) bad('deals.outcome', 'an object with won, lost or closed rules');
    else {
      unknownKeys(value.outcome, ['won', 'lost', 'closed'], 'deals.outcome.', bad);
      for (const k of ['won', 'lost', 'closed'] as const) {
        if (value.outcome[k] !== undefined) outcome[k] = readCondition(value.outcome[k], `deals.outcome.${k}`, bad);
      }
    }
  }
  const stages = value.stages === undefined ? [] : readStages(value.stages, bad);
  return { detect: readDetect(value.detect, columns, 'deals', bad), columns, outcome, stages };
}

function readLeads(value: unknown, bad: Bad): LeadMapping | null {
  if (!isObject(value)) return bad('leads', 'an object'), null;
  unknownKeys(value, ['detect', 'columns', 'converted_when'], 'leads.', bad);
  const columns = readColumns(value.columns, LEAD_FIELDS, 'leads', bad);
  const converted = value.converted_when === undefined ? undefined : readCondition(value.converted_when, 'leads.converted_when', bad);
  return { detect: readDetect(value.detect, columns, 'leads', bad), columns, ...(converted ? { converted_when: converted } : {}) };
}

function readColumns<F extends string>(value: unknown, fields: readonly F[], section: 'deals' | 'leads', bad: Bad): Partial<Record<F, string>> {
  if (!isObject(value)) return bad(`${section}.columns`, 'an object of field: header'), {};
  const out: Partial<Record<F, string>> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!fields.includes(k as F)) bad(`${section}.columns.${k}`, `unknown field; fields: ${fields.join(', ')}`);
    else if (v === null) continue;
    else if (typeof v !== 'string' || !v.trim()) bad(`${section}.columns.${k}`, 'a header name');
    else out[k as F] = v;
  }
  for (const f of REQUIRED[section]) if (!(f in out)) bad(`${section}.columns.${f}`, 'required');
  return out;
}

function readDetect(value: unknown, columns: Record<string, string | undefined>, section: string, bad: Bad): { headers: string[] } {
  if (value === undefined) return { headers: [...new Set(Object.values(columns).filter((c): c is string => !!c))] };
  if (!isObject(value) || !Array.isArray(value.headers) || !value.headers.length || !value.headers.every((h) => typeof h === 'string')) {
    bad(`${section}.detect`, 'an object { "headers": [header names] }');
    return { headers: [] };
  }
  unknownKeys(value, ['headers'], `${section}.detect.`, bad);
  return { headers: value.headers as string[] };
}

/** How deep all / any / not may nest: far beyond any real rule, and short of what SQL and the stack take. */
export const MAX_RULE_DEPTH = 20;

function readCondition(value: unknown, path: string, bad: Bad, depth = 1): Condition {
  const fail = (reason: string) => (bad(path, reason), { all: [] } as Condition);
  if (depth > MAX_RULE_DEPTH) return fail(`rules nest at most ${MAX_RULE_DEPTH} levels deep (all, any and not inside one another)`);
  if (!isObject(value)) return fail('a rule object');
  if ('all' in value || 'any' in value) {
    const k = 'all' in value ? 'all' : 'any';
    unknownKeys(value, [k], `${path}.`, bad);
    const list = value[k];
    if (!Array.isArray(list) || !list.length) return fail(`${k}: a non-empty list of rules`);
    return { [k]: list.map((c, i) => readCondition(c, `${path}.${k}[${i}]`, bad, depth + 1)) } as Condition;
  }
  if ('not' in value) {
    unknownKeys(value, ['not'], `${path}.`, bad);
    return { not: readCondition(value.not, `${path}.not`, bad, depth + 1) };
  }
  unknownKeys(value, ['column', 'equals', 'in', 'empty'], `${path}.`, bad);
  if (typeof value.column !== 'string' || !value.column) return fail('a rule needs a column (or all / any / not)');
  const tests = ['equals', 'in', 'empty'].filter((k) => k in value);
  if (tests.length !== 1) return fail('a rule has one test: equals, in or empty');
  if ('equals' in value && typeof value.equals !== 'string') return fail('equals: a string');
  if ('in' in value && (!Array.isArray(value.in) || !value.in.length || !value.in.every((v) => typeof v === 'string'))) return fail('in: a non-empty list of strings');
  if ('empty' in value && typeof value.empty !== 'boolean') return fail('empty: true or false');
  return value as unknown as Condition;
}

function readStages(value: unknown, bad: Bad): StageEntry[] {
  if (!Array.isArray(value)) return bad('deals.stages', 'a list of stages in order'), [];
  return value.flatMap((s, i) => {
    const path = `deals.stages[${i}]`;
    const entry: unknown = typeof s === 'string' ? { stage: s } : s;
    if (!isObject(entry) || typeof entry.stage !== 'string' || !entry.stage) return bad(path, 'a stage name or { "stage": name, … }'), [];
    unknownKeys(entry, ['stage', 'probability', 'forecast_category', 'closed', 'won'], `${path}.`, bad);
    const p = entry.probability;
    if (p !== undefined && (typeof p !== 'number' || p < 0 || p > 100)) bad(`${path}.probability`, 'a number from 0 to 100');
    if (entry.forecast_category !== undefined && !FORECAST_CATEGORIES.includes(entry.forecast_category as never)) {
      bad(`${path}.forecast_category`, `one of ${FORECAST_CATEGORIES.join(', ')}`);
    }
    for (const k of ['closed', 'won']) if (entry[k] !== undefined && typeof entry[k] !== 'boolean') bad(`${path}.${k}`, 'true or false');
    return [entry as unknown as StageEntry];
  });
}

/** Every header a section's columns and rules name. */
export function namedColumns(section: DealMapping | LeadMapping): { path: string; header: string }[] {
  const out = Object.entries(section.columns).map(([field, header]) => ({ path: `columns.${field}`, header: header as string }));
  const walk = (c: Condition | undefined, path: string) => {
    if (!c) return;
    if ('all' in c) c.all.forEach((x, i) => walk(x, `${path}.all[${i}]`));
    else if ('any' in c) c.any.forEach((x, i) => walk(x, `${path}.any[${i}]`));
    else if ('not' in c) walk(c.not, `${path}.not`);
    else out.push({ path, header: c.column });
  };
  if ('outcome' in section) for (const [k, c] of Object.entries(section.outcome)) walk(c, `outcome.${k}`);
  if ('converted_when' in section) walk(section.converted_when, 'converted_when');
  return out;
}

function unknownKeys(obj: Record<string, unknown>, allowed: string[], prefix: string, bad: Bad): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) bad(`${prefix}${k}`, `unknown key; expected ${allowed.join(', ')}`);
}

function oneOf(value: unknown, allowed: unknown[], path: string, bad: Bad): void {
  if (!allowed.includes(value)) bad(path, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
