/**
 * The upload page's mapping step as plain data: a column mapping (analytics/ingest/
 * adapters/mapped/format.ts) turned into the form a person edits (one header per deal field,
 * date patterns as text, "won when COLUMN equals VALUE", the stage order) and back. Whatever
 * the form does not show (other fields, stage probabilities, leads, outcome rules more complex
 * than one equality) is carried over from the mapping it started from, unchanged.
 */
import type { Condition, DealField, Mapping, UploadInspection } from '../../analytics';
import type { UploadProblem } from './upload';

export type Inspection = UploadInspection;

export const FORM_FIELDS: { field: DealField; label: string; required?: boolean }[] = [
  { field: 'deal_id', label: 'Deal id', required: true },
  { field: 'name', label: 'Name' },
  { field: 'stage', label: 'Stage', required: true },
  { field: 'amount', label: 'Amount' },
  { field: 'currency', label: 'Currency' },
  { field: 'close_date', label: 'Close date' },
  { field: 'created_date', label: 'Created date' },
  { field: 'owner', label: 'Owner' },
  { field: 'lead_source', label: 'Lead source' },
  { field: 'type', label: 'Type' },
  { field: 'pipeline', label: 'Pipeline' },
  { field: 'probability', label: 'Probability' },
  { field: 'last_activity_date', label: 'Last activity date' }
];
export type FormField = (typeof FORM_FIELDS)[number]['field'];

export const DECIMALS = [
  { value: '.', label: 'point (1234.5)' },
  { value: ',', label: 'comma (1234,5)' }
] as const;
export const THOUSANDS = [
  { value: '', label: 'none' },
  { value: ',', label: 'comma (1,234)' },
  { value: '.', label: 'point (1.234)' },
  { value: ' ', label: 'space (1 234)' },
  { value: "'", label: "apostrophe (1'234)" }
] as const;

/** A "won / lost when COLUMN equals VALUE" line; `kept` holds a proposed rule of another shape, left as it is. */
export interface RuleForm {
  column: string;
  value: string;
  kept: Condition | null;
}

export interface MappingForm {
  name: string;
  /** field → header; '' for none */
  columns: Record<string, string>;
  /** date patterns, separated by ";" */
  dates: string;
  decimal: '.' | ',';
  thousands: '' | ',' | '.' | ' ' | "'";
  strip_currency: boolean;
  /** fixed currency code, '' for none */
  currency: string;
  won: RuleForm;
  lost: RuleForm;
  /** the stage order (the mapping's `deals.stages`, by name) */
  stages: string[];
}

/** A mapping name from a file name: lower case letters, digits, . _ - (the API's rule), at most 64. */
export function slugify(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|txt|zip)$/i, '');
  const slug = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64)
    .replace(/[-.]+$/g, '');
  return slug || 'mapping';
}

export const VALID_NAME = /^[\w.-]{1,64}$/;

/** The header of `headers` a mapping names (exactly, else ignoring case and outer spaces, as the engine matches), or ''. */
function headerFor(name: string | undefined, headers: string[]): string {
  if (!name) return '';
  if (headers.includes(name)) return name;
  const key = name.trim().toLowerCase();
  return headers.find((h) => h.trim().toLowerCase() === key) ?? '';
}

function ruleForm(rule: Condition | undefined, headers: string[]): RuleForm {
  if (!rule) return { column: '', value: '', kept: null };
  if ('column' in rule && 'equals' in rule && headerFor(rule.column, headers)) return { column: headerFor(rule.column, headers), value: rule.equals, kept: null };
  return { column: '', value: '', kept: rule };
}

export function mappingToForm(mapping: Mapping, fileName: string, headers: string[]): MappingForm {
  const deals = mapping.deals;
  return {
    name: slugify(fileName),
    columns: Object.fromEntries(FORM_FIELDS.map(({ field }) => [field, headerFor(deals?.columns[field], headers)])),
    dates: mapping.formats.date.join('; '),
    decimal: mapping.formats.decimal,
    thousands: mapping.formats.thousands,
    strip_currency: mapping.formats.strip_currency,
    currency: mapping.formats.currency ?? '',
    won: ruleForm(deals?.outcome.won, headers),
    lost: ruleForm(deals?.outcome.lost, headers),
    stages: (deals?.stages ?? []).map((s) => s.stage)
  };
}

/**
 * Moves `stage` one place up (-1) or down (+1) among the stages that may move (the open ones:
 * closed stages follow them wherever they are listed); the others keep their places.
 */
export function moveStage(stages: string[], stage: string, delta: -1 | 1, movable: (stage: string) => boolean = () => true): string[] {
  const places = stages.flatMap((s, i) => (movable(s) ? [i] : []));
  const at = places.findIndex((i) => stages[i] === stage);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= places.length) return stages;
  const out = [...stages];
  [out[places[at]], out[places[to]]] = [out[places[to]], out[places[at]]];
  return out;
}

function ruleOf(rule: RuleForm): Condition | undefined {
  if (rule.column) return { column: rule.column, equals: rule.value.trim() };
  return rule.kept ?? undefined;
}

/** Every column a rule reads. */
export function ruleColumns(rule: Condition): string[] {
  if ('all' in rule) return rule.all.flatMap(ruleColumns);
  if ('any' in rule) return rule.any.flatMap(ruleColumns);
  if ('not' in rule) return ruleColumns(rule.not);
  return [rule.column];
}

/**
 * The mapping the form describes, on top of `base` (the one it was made from): the
 * fields, formats and simple rules of the form; the rest of `base` as it was. The
 * detect headers are the mapped columns and the rule columns, so a file of this shape
 * is recognised next time.
 */
export function formToMapping(form: MappingForm, base: Mapping): Mapping {
  const columns: Partial<Record<DealField, string>> = { ...base.deals?.columns };
  for (const { field } of FORM_FIELDS) {
    if (form.columns[field]) columns[field] = form.columns[field];
    else delete columns[field];
  }
  const outcome: { won?: Condition; lost?: Condition; closed?: Condition } = {};
  const won = ruleOf(form.won);
  const lost = ruleOf(form.lost);
  if (won) outcome.won = won;
  if (lost) outcome.lost = lost;
  if (base.deals?.outcome.closed) outcome.closed = base.deals.outcome.closed;
  const detect = [...new Set([...Object.values(columns), ...Object.values(outcome).flatMap(ruleColumns)])];
  const dates = form.dates
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
  return {
    name: form.name,
    formats: {
      ...base.formats,
      date: dates.length ? dates : ['iso'],
      decimal: form.decimal,
      thousands: form.thousands,
      strip_currency: form.strip_currency,
      currency: form.currency.trim() ? form.currency.trim().toUpperCase() : null
    },
    deals: { detect: { headers: detect }, columns, outcome, stages: form.stages.map((stage) => base.deals?.stages.find((s) => s.stage === stage) ?? { stage }) },
    leads: base.leads
  };
}

/** What the form lacks before it can be previewed or saved, as problems of the mapping (empty when none). */
export function formProblems(form: MappingForm): UploadProblem[] {
  const out: UploadProblem[] = [];
  const bad = (column: string, reason: string) => out.push({ file: 'mapping', line: null, column, reason });
  for (const { field, label, required } of FORM_FIELDS) if (required && !form.columns[field]) bad(label, 'choose the column that holds it');
  for (const [key, label] of [['won', 'Won when'], ['lost', 'Lost when']] as const) {
    if (form[key].column && !form[key].value.trim()) bad(label, `type the value of ${form[key].column} that means ${key}`);
  }
  if (!VALID_NAME.test(form.name)) bad('Mapping name', 'letters, digits, . _ - (at most 64)');
  if (form.currency.trim() && !/^[A-Za-z]{3}$/.test(form.currency.trim())) bad('Fixed currency', 'a three-letter currency code, such as EUR');
  return out;
}

/** A rule in words: `Result equals "Won"`, `any of (…)`. */
export function describeRule(rule: Condition): string {
  if ('all' in rule) return `all of (${rule.all.map(describeRule).join('; ')})`;
  if ('any' in rule) return `any of (${rule.any.map(describeRule).join('; ')})`;
  if ('not' in rule) return `not (${describeRule(rule.not)})`;
  if ('equals' in rule) return `${rule.column} equals "${rule.equals}"`;
  if ('in' in rule) return `${rule.column} is one of ${rule.in.map((v) => `"${v}"`).join(', ')}`;
  return `${rule.column} is ${rule.empty ? '' : 'not '}empty`;
}

/** A JSON answer of the API as what the page shows: the value, or an error with problems. */
export async function readAnswer<T>(res: Response): Promise<{ ok: true; value: T } | { ok: false; error: string; problems: UploadProblem[] }> {
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && json) return { ok: true, value: json as T };
  const error = typeof json?.error === 'string' ? json.error : `The server answered ${res.status}.`;
  const problems = Array.isArray(json?.problems) ? (json.problems as UploadProblem[]) : [];
  return { ok: false, error, problems };
}

export { unknownFormat } from './upload';
