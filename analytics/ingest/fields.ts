/**
 * How a raw CSV value becomes a typed value, as SQL over a VARCHAR column. A value
 * that is present but does not parse becomes NULL, and the ingest reports it.
 */
export type FieldKind = 'text' | 'id' | 'timestamp' | 'date' | 'number' | 'bool';

export interface FieldSpec {
  /** Canonical (Salesforce API) name; also the staged column name. */
  name: string;
  kind: FieldKind;
  /** Other header spellings, e.g. report labels. Matching ignores case, spaces and underscores. */
  aliases?: string[];
  required?: boolean;
}

export interface ObjectSpec {
  object: string;
  /** Headers that identify this object in a file whose name does not. */
  signature: string[];
  fields: FieldSpec[];
}

// Salesforce writes this id for "no record" in lookup fields of a Data Export.
const NULL_ID = '000000000000000AAA';

// %y before %Y: strptime's %Y would read "24" as the year 24.
const TIMESTAMP_FORMATS = [
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%d %H:%M:%S.%g',
  '%Y-%m-%dT%H:%M:%S.%gZ',
  '%Y-%m-%dT%H:%M:%SZ',
  '%Y-%m-%dT%H:%M:%S',
  '%Y-%m-%d',
  '%m/%d/%y %I:%M %p',
  '%m/%d/%Y %I:%M %p',
  '%m/%d/%y %H:%M',
  '%m/%d/%Y %H:%M',
  '%m/%d/%y',
  '%m/%d/%Y'
];
const FORMAT_LIST = `[${TIMESTAMP_FORMATS.map((f) => `'${f}'`).join(', ')}]`;

/** SQL turning the VARCHAR expression `col` (already trimmed, empty as NULL) into the field's type. */
export function parseExpression(kind: FieldKind, col: string): string {
  switch (kind) {
    case 'text':
      return col;
    case 'id':
      return `nullif(${col}, '${NULL_ID}')`;
    case 'timestamp':
      // ISO values without a UTC offset (most exports) take DuckDB's fast cast; US dates and
      // offsets never reach it, as it would misread the first and drop the second
      return `coalesce(CASE WHEN substr(${col}, 5, 1) = '-' AND (length(${col}) <= 19 OR right(${col}, 1) = 'Z') THEN try_cast(${col} AS TIMESTAMP) END,
                       try_strptime(${col}, ${FORMAT_LIST}), timezone('UTC', try_cast(${col} AS TIMESTAMPTZ)))`;
    case 'date':
      return `(${parseExpression('timestamp', col)})::DATE`;
    case 'number':
      // Report exports may write "USD 1,500.00" or "$1,500".
      return `coalesce(try_cast(${col} AS DOUBLE), try_cast(regexp_replace(${col}, '^[A-Z]{3} |[$,]', '', 'g') AS DOUBLE))`;
    case 'bool':
      return `CASE lower(${col}) WHEN '1' THEN true WHEN 'true' THEN true WHEN 'yes' THEN true WHEN '0' THEN false WHEN 'false' THEN false WHEN 'no' THEN false END`;
  }
}

export const KIND_LABEL: Record<FieldKind, string> = {
  text: 'text',
  id: 'id',
  timestamp: 'date/time',
  date: 'date',
  number: 'number',
  bool: 'TRUE/FALSE or 1/0'
};

export function normalizeHeader(h: string): string {
  return h.toLowerCase().replace(/[\s_]+/g, '');
}

/** Column index of each field in `header`, or -1. */
export function mapHeader(header: string[], spec: ObjectSpec): Map<string, number> {
  const positions = new Map<string, number>();
  const normalized = header.map(normalizeHeader);
  for (const field of spec.fields) {
    const names = [field.name, ...(field.aliases ?? [])].map(normalizeHeader);
    positions.set(field.name, normalized.findIndex((h) => names.includes(h)));
  }
  return positions;
}
