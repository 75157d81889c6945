import { DEAL_FIELDS, DEFAULT_FORMATS, type Condition, type DealField, type Formats, type Mapping } from './format';

/**
 * A first mapping for a deals file from its headers and a few rows, for a person to
 * check: fields by header names (exact names first, then names that contain one), kept
 * only when the sample values look right; date patterns and number separators from the
 * values; won / lost rules from values such as "Won" or "Closed Lost".
 */
export interface Proposal {
  mapping: Mapping;
  /** What a person should check: guesses the samples could not settle. */
  notes: string[];
}

// Per field, header spellings (lower case, letters and digits only), most telling first.
const NAMES: [DealField, string[]][] = [
  ['deal_id', ['dealid', 'opportunityid', 'recordid', 'id', 'dealnumber']],
  ['close_date', ['closedate', 'close', 'expectedclosedate', 'closingdate', 'dateclosed', 'closedon', 'wontime', 'closetime']],
  ['created_date', ['createddate', 'createdate', 'created', 'createdon', 'dealcreated', 'createdat', 'engagedate', 'opendate', 'startdate']],
  ['last_activity_date', ['lastactivitydate', 'lastactivity', 'lastcontacted', 'lastactivityat']],
  ['last_modified', ['lastmodifieddate', 'lastmodified', 'updatetime', 'updatedat', 'modifieddate']],
  ['stage', ['stage', 'stagename', 'dealstage', 'pipelinestage', 'salesstage', 'status', 'dealstatus']],
  ['amount', ['amount', 'value', 'dealvalue', 'dealamount', 'closevalue', 'revenue', 'price', 'total']],
  ['currency', ['currency', 'currencyisocode', 'currencycode']],
  ['probability', ['probability', 'winprobability', 'dealprobability']],
  ['forecast_category', ['forecastcategory', 'forecastcategoryname']],
  ['owner_id', ['ownerid', 'userid']],
  ['owner', ['owner', 'dealowner', 'opportunityowner', 'ownername', 'salesagent', 'salesrep', 'rep', 'assignedto', 'accountexecutive']],
  ['lead_source', ['leadsource', 'source', 'channel', 'originalsource']],
  ['type', ['type', 'dealtype', 'opportunitytype']],
  ['pipeline', ['pipeline', 'pipelinename']],
  ['account', ['account', 'accountname', 'company', 'organization', 'organisation', 'customer', 'client']],
  ['name', ['name', 'dealname', 'opportunityname', 'title', 'dealtitle', 'subject']]
];
const DATE_FIELDS = new Set<DealField>(['close_date', 'created_date', 'last_activity_date', 'last_modified']);
const NUMBER_FIELDS = new Set<DealField>(['amount', 'probability']);
const SYMBOLS: Record<string, string> = { '€': 'EUR', '£': 'GBP', '¥': 'JPY', $: 'USD' };

const ISO_DATE = /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?: (\d{1,2}:\d{2})(:\d{2})?( ?[AaPp][Mm])?)?$/;
const WON = /^(closed[\s_-]*)?won$/i;
const LOST = /^(closed[\s_-]*)?lost$/i;

const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export function proposeMapping(headers: string[], sampleRows: string[][]): Proposal {
  const notes: string[] = [];
  const values = (h: string) => {
    const i = headers.indexOf(h);
    return sampleRows.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
  };
  const columns = pickColumns(headers, (field, h) => {
    const vs = values(h);
    if (DATE_FIELDS.has(field)) return vs.every((v) => ISO_DATE.test(v) || NUMERIC_DATE.test(v));
    if (NUMBER_FIELDS.has(field)) return vs.every((v) => /\d/.test(v) && /^[-+]?[\d.,'\s\u00a0%]+$/.test(stripCurrency(v)));
    return true;
  });

  const dateValues = DEAL_FIELDS.filter((f) => DATE_FIELDS.has(f) && columns[f]).flatMap((f) => values(columns[f]!));
  const numberValues = columns.amount ? values(columns.amount) : [];
  const formats: Formats = {
    ...DEFAULT_FORMATS,
    date: datePatterns(dateValues, notes),
    ...numberFormat(numberValues, !columns.currency, notes),
    probability: columns.probability && values(columns.probability).every((v) => Number(v.replace(',', '.')) <= 1) ? 'fraction' : 'percent'
  };

  const outcome = proposeOutcome(headers, columns, values, notes);
  const detect = [...new Set([...Object.values(columns), ...Object.values(outcome).map((c) => (c as { column: string }).column)])] as string[];
  if (!columns.deal_id) notes.push('no deal id column found');
  if (!columns.stage) notes.push('no stage column found');
  return { mapping: { name: null, formats, deals: { detect: { headers: detect }, columns, outcome, stages: [] }, leads: null }, notes };
}

function pickColumns(headers: string[], fits: (field: DealField, header: string) => boolean): Partial<Record<DealField, string>> {
  const taken = new Set<string>();
  const found = new Map<DealField, string>();
  const pass = (match: (n: string, name: string) => boolean) => {
    for (const [field, names] of NAMES) {
      if (found.has(field)) continue;
      for (const name of names) {
        const h = headers.find((h) => !taken.has(h) && match(norm(h), name) && fits(field, h));
        if (h) {
          found.set(field, h);
          taken.add(h);
          break;
        }
      }
    }
  };
  pass((n, name) => n === name);
  // short names (id, rep, type…) only match whole headers
  pass((n, name) => name.length >= 5 && n.includes(name));
  return Object.fromEntries(DEAL_FIELDS.filter((f) => found.has(f)).map((f) => [f, found.get(f)!]));
}

function datePatterns(values: string[], notes: string[]): string[] {
  const numeric = values.map((v) => NUMERIC_DATE.exec(v)).filter((m): m is RegExpExecArray => m != null);
  const iso = values.some((v) => ISO_DATE.test(v));
  if (!numeric.length) return ['iso'];
  const dayFirst = numeric.some((m) => Number(m[1]) > 12);
  const monthFirst = numeric.some((m) => Number(m[3]) > 12);
  const sep = numeric[0][2];
  let order: 'dmy' | 'mdy';
  if (dayFirst && monthFirst) {
    order = 'dmy';
    notes.push('dates disagree: some have a day first, some a month first');
  } else if (dayFirst || monthFirst) {
    order = dayFirst ? 'dmy' : 'mdy';
  } else {
    order = sep === '/' ? 'mdy' : 'dmy';
    notes.push(`no day above 12 in the samples: dates read as ${order === 'mdy' ? 'month/day' : 'day.month'}; check`);
  }
  const patterns = new Set<string>();
  for (const m of numeric) {
    const [d1, d2] = order === 'dmy' ? ['%d', '%m'] : ['%m', '%d'];
    const year = m[4].length === 4 ? '%Y' : '%y';
    const time = m[5] ? (m[7] ? ' %I:%M' : ' %H:%M') + (m[6] ? ':%S' : '') + (m[7] ? (m[7].startsWith(' ') ? ' %p' : '%p') : '') : '';
    patterns.add(`${d1}${m[2]}${d2}${m[2]}${year}${time}`);
  }
  return [...patterns, ...(iso ? ['iso'] : [])];
}

function numberFormat(values: string[], fixCurrency: boolean, notes: string[]): Pick<Formats, 'decimal' | 'thousands' | 'strip_currency' | 'currency'> {
  const stripped = values.map(stripCurrency);
  const decimalComma = stripped.some((v) => /,\d{1,2}$/.test(v) || /\.\d{3},\d*$/.test(v));
  const has = (re: RegExp) => stripped.some((v) => re.test(v));
  const thousands = decimalComma
    ? has(/\d\.\d{3}/) ? '.' : has(/\d[\s\u00a0]\d{3}/) ? ' ' : ''
    : has(/\d,\d{3}/) ? ',' : has(/\d[\s\u00a0]\d{3}/) ? ' ' : has(/\d'\d{3}/) ? "'" : '';
  const marks = new Set(values.flatMap((v) => v.match(/[$€£¥]|[A-Z]{3}/g) ?? []));
  const codes = new Set([...marks].map((m) => SYMBOLS[m] ?? m));
  const currency = fixCurrency && codes.size === 1 ? [...codes][0] : null;
  if (currency && marks.has('$')) notes.push('"$" read as USD; change formats.currency if it is another dollar');
  return { decimal: decimalComma ? ',' : '.', thousands, strip_currency: marks.size > 0, currency };
}

function stripCurrency(v: string): string {
  return v.replace(/[A-Z]{3}|[$€£¥]/g, '').trim();
}

function proposeOutcome(
  headers: string[],
  columns: Partial<Record<DealField, string>>,
  values: (h: string) => string[],
  notes: string[]
): { won?: Condition; lost?: Condition } {
  const mapped = new Set(Object.values(columns));
  const candidates = [...(columns.stage ? [columns.stage] : []), ...headers.filter((h) => !mapped.has(h))];
  for (const column of candidates) {
    const vs = [...new Set(values(column))];
    const won = vs.find((v) => WON.test(v));
    const lost = vs.find((v) => LOST.test(v));
    if (!won && !lost) continue;
    if (!won || !lost) notes.push(`only a ${won ? 'won' : 'lost'} value in the samples of ${column}`);
    return { ...(won ? { won: { column, equals: won } } : {}), ...(lost ? { lost: { column, equals: lost } } : {}) };
  }
  notes.push('no won / lost values found: add outcome rules');
  return {};
}
