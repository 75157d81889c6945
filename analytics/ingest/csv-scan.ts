import { formatBytes, MAX_CELL_BYTES, MAX_COLUMNS } from './limits';

/**
 * One pass over a CSV file's bytes (RFC 4180: comma, double quotes, "" inside quotes)
 * that checks its structure and records the physical line each record starts on, so
 * that problems found later, in SQL, can be reported by line even when quoted fields
 * span several lines. It works on bytes, so files larger than a JavaScript string can
 * hold are fine; the delimiters are ASCII in every encoding it is given (UTF-8,
 * Windows-1252). DuckDB then reads the same bytes; both skip blank lines.
 *
 * A header that ends with unnamed columns ("Id,Stage," as spreadsheets write it) lets a
 * record leave those columns out: such records are counted in `shortRecords`, and the
 * reader pads them (loadRawCsv).
 *
 * A file past a limit (columns, value length, rows) stops the scan at once: `limit` says
 * where and which, and the file is refused whole.
 */
export interface CsvScan {
  header: string[];
  /** 1-based physical line of data record i (0-based), header excluded. */
  recordLines: Int32Array;
  records: number;
  /** Records that leave out the header's trailing unnamed columns. */
  shortRecords: number;
  problems: { line: number; column: string | null; reason: string }[];
  /** The limit the file goes past, where the scan stopped; null when it is within them all. */
  limit: { line: number; column: string | null; reason: string } | null;
}

export interface CsvLimits {
  columns: number;
  /** bytes of one value */
  cellBytes: number;
  /** data records */
  rows: number;
}

const NO_MORE_THAN: CsvLimits = { columns: MAX_COLUMNS, cellBytes: MAX_CELL_BYTES, rows: Infinity };

const QUOTE = 34, COMMA = 44, LF = 10, CR = 13;

/** The longest record DuckDB is asked to read (its read buffer holds 16 of them). */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** The header alone, within the limits on columns and value length. */
export function scanHeader(bytes: Uint8Array, limits: Partial<CsvLimits> = {}): CsvScan {
  return scanCsv(bytes, undefined, 1, limits, true);
}

export function scanCsv(
  bytes: Uint8Array,
  decode: (b: Uint8Array) => string = (b) => new TextDecoder().decode(b),
  maxProblems = 100,
  limits: Partial<CsvLimits> = {},
  headerOnly = false
): CsvScan {
  const { columns, cellBytes, rows } = { ...NO_MORE_THAN, ...limits };
  const problems: CsvScan['problems'] = [];
  let limit: CsvScan['limit'] = null;
  let lines = new Int32Array(1024);
  let records = -1; // the header is record -1
  let header: string[] = [];
  let expected = 0;
  let unnamedTail = 0;
  let shortRecords = 0;

  let i = 0;
  let line = 1;
  const n = bytes.length;
  while (i < n && problems.length < maxProblems) {
    const first = bytes[i];
    if (first === LF || first === CR) {
      i += first === CR && bytes[i + 1] === LF ? 2 : 1;
      line++;
      continue; // blank line
    }
    const recordLine = line;
    const recordStart = i;
    const fields: string[] | null = records === -1 ? [] : null;
    let count = 0;
    let endOfRecord = false;
    while (!endOfRecord) {
      const fieldLine = line;
      let start = i;
      let end = i;
      let quoted = false;
      if (bytes[i] === QUOTE) {
        quoted = true;
        start = ++i;
        const quoteLine = line;
        let closed = false;
        while (i < n) {
          const c = bytes[i];
          if (c === QUOTE) {
            if (bytes[i + 1] === QUOTE) {
              i += 2;
              continue;
            }
            closed = true;
            break;
          }
          if (c === LF) line++;
          i++;
        }
        if (!closed) {
          problems.push({ line: quoteLine, column: columnName(header, count), reason: 'unterminated quoted field (file truncated?)' });
          return finish();
        }
        end = i;
        i++; // closing quote
        const next = bytes[i];
        if (i < n && next !== COMMA && next !== LF && next !== CR) {
          problems.push({ line, column: columnName(header, count), reason: 'unexpected character after closing quote' });
          while (i < n && bytes[i] !== COMMA && bytes[i] !== LF) i++;
        }
      } else {
        while (i < n) {
          const c = bytes[i];
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
        end = i;
      }
      if (end - start > cellBytes) {
        limit = { line: fieldLine, column: columnName(header, count), reason: `a value longer than ${formatBytes(cellBytes)} (the most a cell may hold)` };
        return finish();
      }
      if (fields) {
        const text = decode(bytes.subarray(start, end));
        fields.push(quoted ? text.replaceAll('""', '"') : text);
      }
      count++;
      if (fields && count > columns) {
        limit = { line: recordLine, column: null, reason: `more than ${columns} columns (the most a file may have)` };
        return finish();
      }
      const c = bytes[i];
      if (c === COMMA) {
        i++;
      } else {
        if (c === CR) i++;
        if (bytes[i] === LF) i++;
        line++;
        endOfRecord = true;
      }
    }
    if (i - recordStart > MAX_RECORD_BYTES) {
      problems.push({ line: recordLine, column: null, reason: `record longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB` });
    }
    if (fields) {
      header = fields.map((f) => f.trim());
      expected = header.length;
      while (unnamedTail < header.length - 1 && header[header.length - 1 - unnamedTail] === '') unnamedTail++;
      records = 0;
      if (headerOnly) return finish();
      continue;
    }
    if (count < expected && count >= expected - unnamedTail) {
      shortRecords++;
    } else if (count !== expected) {
      problems.push({
        line: recordLine,
        column: null,
        reason: `expected ${expected} fields, found ${count}${count < expected ? ' (row cut short?)' : ''}`
      });
    }
    if (records >= rows) {
      limit = { line: recordLine, column: null, reason: `more than ${rows} rows (setting max_rows: the most a file may hold)` };
      return finish();
    }
    if (records >= lines.length) {
      const grown = new Int32Array(lines.length * 2);
      grown.set(lines);
      lines = grown;
    }
    lines[records++] = recordLine;
  }
  return finish();

  function finish(): CsvScan {
    const count = Math.max(records, 0);
    return { header, recordLines: lines.subarray(0, count), records: count, shortRecords, problems, limit };
  }
}

function columnName(header: string[], index: number): string {
  return header[index] ?? `#${index + 1}`;
}
