import { SaxesParser } from 'saxes';
import type { Problem } from '../errors';
import { MAX_CELL_BYTES, MAX_SHARED_STRINGS } from './limits';
import { inflateEntry, listZip as listEntries, ZipError, type ZipEntry } from './zip';

/**
 * XLSX → CSV, so that a workbook goes through the same CSV ingest as any export.
 *
 * An XLSX is a ZIP of XML parts (ECMA-376 / ISO 29500). Only the parts needed are
 * inflated (zip.ts: sizes and CRC-32 checked), each bounded by the limits below, and read
 * with saxes, a strict streaming XML parser that expands no DTD entities. The CSV is the
 * chosen sheet's cells as Excel shows them, minus locale formatting:
 * - header = the first row with a value; data rows are padded to the header's width
 *   (a row with values beyond it keeps them, so the CSV scanner reports it by line);
 * - rows without values after the header become blank lines (both CSV readers skip them),
 *   so that with the header in row 1, CSV line n is sheet row n unless a text has a line break;
 * - numbers: integers exactly, other values at Excel's 15 significant digits, written as the
 *   shortest decimal that reads back as that value, never in exponent form for |exp| ≤ 30;
 * - date-formatted numbers: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` (format shows a time), or
 *   `HH:MM:SS` (format shows only a time); 1900 system with its phantom 1900-02-29 (serial 60),
 *   or the 1904 system when the workbook says so; a serial outside 0001..9999 stays a number;
 * - booleans TRUE/FALSE, error cells as their text (`#N/A`), formulas as their cached value;
 * - UTF-8, `\n` line ends, a field quoted when it holds `"`, `,`, CR or LF.
 */

export type XlsxErrorKind = 'not-xlsx' | 'encrypted' | 'legacy-xls' | 'corrupt' | 'empty' | 'no-sheet' | 'too-large';

/** A workbook that cannot be turned into CSV; `problem(file)` is what the ingest reports. */
export class XlsxError extends Error {
  constructor(
    readonly kind: XlsxErrorKind,
    readonly reason: string
  ) {
    super(reason);
    this.name = 'XlsxError';
  }
  /** Unsupported: no readable XLSX at all (another format, encrypted); rejected: the rest. */
  get rejection(): 'unsupported' | 'rejected' {
    return this.kind === 'not-xlsx' || this.kind === 'encrypted' || this.kind === 'legacy-xls' ? 'unsupported' : 'rejected';
  }
  problem(file: string): Problem {
    return { file, line: null, column: null, reason: this.reason };
  }
}

export interface XlsxOptions {
  /** Sheet name (exact, else case-insensitive); default the workbook's first sheet. */
  sheet?: string;
  /** The most the parts read may inflate to together (ZIP bombs). */
  maxUnzippedBytes?: number;
  /** The most the sheet's XML, and the shared strings' XML, may inflate to each. */
  maxSheetBytes?: number;
  /** The most CSV written (a few cells repeating a long shared string expand a lot). */
  maxCsvBytes?: number;
  /** The longest shared string or cell text, in characters. */
  maxCellChars?: number;
  /** The most strings in the shared-string table. */
  maxSharedStrings?: number;
}

export const XLSX_LIMITS = {
  maxUnzippedBytes: 2 * 1024 ** 3,
  maxSheetBytes: 1024 ** 3,
  maxCsvBytes: 2 * 1024 ** 3,
  maxCellChars: MAX_CELL_BYTES,
  maxSharedStrings: MAX_SHARED_STRINGS,
  /** workbook, relationships, styles: small in any real file */
  maxOtherPartBytes: 64 * 1024 ** 2
};

const MAX_COLUMNS = 16384; // XFD
const MAX_ROWS = 1048576;

const XLSX_NAME = /\.xls[xm]$/i;
// a local file header, or the end record of an empty archive
const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 0x03 && b[3] === 0x04) || (b[2] === 0x05 && b[3] === 0x06));
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const isCfb = (b: Uint8Array) => CFB_MAGIC.every((v, i) => b[i] === v);

/**
 * Whether an upload is meant as an XLSX workbook: any file named .xlsx/.xlsm (so that one
 * that is not a workbook gets xlsxToCsv's reason), a ZIP holding `[Content_Types].xml`
 * and `xl/` parts, or an OLE container holding an `EncryptionInfo` stream (what Excel
 * writes for a password-protected workbook). Reads the ZIP directory only.
 */
export function isXlsx(name: string, bytes: Uint8Array): boolean {
  if (XLSX_NAME.test(name)) return true;
  if (isCfb(bytes)) return hasEncryptionInfo(bytes);
  if (!isZip(bytes)) return false;
  try {
    const names = [...listZip(bytes).keys()];
    return names.includes('[content_types].xml') && names.some((n) => n.startsWith('xl/'));
  } catch {
    return false;
  }
}

/** The CSV (UTF-8 bytes) of the workbook's first sheet, or of `opts.sheet`. */
export function xlsxToCsv(bytes: Uint8Array, opts: XlsxOptions = {}): Uint8Array {
  const limits = { ...XLSX_LIMITS, ...opts };
  if (isCfb(bytes)) {
    throw hasEncryptionInfo(bytes)
      ? new XlsxError('encrypted', 'password-protected (encrypted) workbook; remove the password in Excel and upload again')
      : new XlsxError('legacy-xls', 'Excel 97-2003 (.xls) or other OLE file, not XLSX; save it as XLSX or CSV');
  }
  if (!isZip(bytes)) throw new XlsxError('not-xlsx', 'not an XLSX workbook (not a ZIP archive)');

  let entries: Map<string, ZipEntry>;
  try {
    entries = listZip(bytes);
  } catch (err) {
    throw new XlsxError('corrupt', `unreadable XLSX (${(err as Error).message})`);
  }
  const zip = new PartReader(bytes, entries, limits);

  const rootRels = zip.has('_rels/.rels') ? parseRels(zip.read('_rels/.rels'), '') : [];
  const workbookPath = rootRels.find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  if (!zip.has(workbookPath)) {
    if (zip.has('xl/workbook.bin')) throw new XlsxError('not-xlsx', 'binary workbook (XLSB) is not supported; save it as XLSX or CSV');
    throw new XlsxError('not-xlsx', 'not an XLSX workbook (a ZIP archive without a workbook)');
  }
  const workbook = parseWorkbook(zip.read(workbookPath));
  const relsPath = `${dirname(workbookPath)}_rels/${basename(workbookPath)}.rels`;
  const rels = zip.has(relsPath) ? parseRels(zip.read(relsPath), dirname(workbookPath)) : [];

  if (!workbook.sheets.length) throw new XlsxError('empty', 'workbook has no sheets');
  const sheet = pickSheet(workbook.sheets, opts.sheet);
  const sheetPath = rels.find((r) => r.id === sheet.rid)?.target;
  if (!sheetPath || !zip.has(sheetPath)) throw new XlsxError('corrupt', `unreadable XLSX (sheet "${sheet.name}" has no worksheet part)`);

  const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target;
  const stringsPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const dateKinds = stylesPath && zip.has(stylesPath) ? parseStyles(zip.read(stylesPath)) : [];
  const strings = stringsPath && zip.has(stringsPath) ? parseSharedStrings(zip.read(stringsPath, limits.maxSheetBytes), limits) : [];

  const csv = sheetToCsv(zip.read(sheetPath, limits.maxSheetBytes), {
    strings,
    dateKinds,
    date1904: workbook.date1904,
    maxCsvBytes: limits.maxCsvBytes,
    maxCellChars: limits.maxCellChars
  });
  if (!csv) throw new XlsxError('empty', `sheet "${sheet.name}" is empty`);
  return csv;
}

// ---------------------------------------------------------------- ZIP parts

/** Entries by lower-cased name (OPC part names are case-insensitive; listZip refuses a name twice); nothing is inflated. */
function listZip(bytes: Uint8Array): Map<string, ZipEntry> {
  return new Map(listEntries(bytes).map((e) => [e.name.toLowerCase(), e]));
}

class PartReader {
  private inflated = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
    private readonly limits: typeof XLSX_LIMITS
  ) {}

  has(path: string): boolean {
    return this.entries.has(path.toLowerCase());
  }

  /** Inflates one part; inflateEntry stops past the declared size, which is checked first. */
  read(path: string, max = this.limits.maxOtherPartBytes): Uint8Array {
    const entry = this.entries.get(path.toLowerCase())!;
    if (entry.size > max) throw new XlsxError('too-large', `${entry.name} inflates to ${entry.size} bytes, more than the ${max} allowed`);
    this.inflated += entry.size;
    if (this.inflated > this.limits.maxUnzippedBytes) {
      throw new XlsxError('too-large', `workbook inflates to more than the ${this.limits.maxUnzippedBytes} bytes allowed`);
    }
    try {
      return inflateEntry(this.bytes, entry);
    } catch (err) {
      if (err instanceof ZipError) throw new XlsxError('corrupt', `unreadable XLSX (${err.message})`);
      throw err;
    }
  }
}

/** An OLE/CFB container holding an "EncryptionInfo" stream (its directory names are UTF-16LE). */
function hasEncryptionInfo(bytes: Uint8Array): boolean {
  const needle = Buffer.from('EncryptionInfo', 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) >= 0;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A relationship target as a ZIP path: absolute ("/xl/…") or relative to the source part's folder. */
function resolveTarget(base: string, target: string): string {
  const parts: string[] = [];
  for (const seg of (target.startsWith('/') ? target.slice(1) : base + target).split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

// ---------------------------------------------------------------- XML

type Attrs = Record<string, string>;

interface XmlHandlers {
  open(name: string, attrs: Attrs): void;
  close(name: string): void;
  text?(text: string): void;
}

const CHUNK = 1024 * 1024;

/**
 * Streams a part through saxes in slices (no string as large as the part); names lose their prefix.
 * saxes gathers a text whole before handing it over, so a run of bytes without "<" longer
 * than a text of `maxTextChars` could be is refused before it is gathered.
 */
function parseXml(bytes: Uint8Array, part: string, h: XmlHandlers, maxTextChars = Infinity): void {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  const decoder = new TextDecoder(encoding);
  const parser = new SaxesParser({ position: false });
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('doctype', () => {
    throw new Error('DOCTYPE not allowed');
  });
  parser.on('opentag', (tag) => h.open(local(tag.name), tag.attributes as Attrs));
  parser.on('closetag', (tag) => h.close(local(tag.name)));
  if (h.text) {
    parser.on('text', h.text);
    parser.on('cdata', h.text);
  }
  try {
    let run = 0;
    for (let i = 0; i < bytes.length; i += CHUNK) {
      const chunk = bytes.subarray(i, i + CHUNK);
      const lt = chunk.lastIndexOf(0x3c);
      run = lt < 0 ? run + chunk.length : chunk.length - 1 - lt;
      // 8 bytes a character is more than any encoding or entity takes
      if (run > 8 * maxTextChars) throw new XlsxError('too-large', `${part}: a text longer than ${cellLimit(maxTextChars)}`);
      parser.write(decoder.decode(chunk, { stream: true }));
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (err) {
    if (err instanceof XlsxError) throw err;
    throw new XlsxError('corrupt', `unreadable XLSX (${part}: ${(err as Error).message.split('\n')[0]})`);
  }
}

function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** An attribute by local name (`r:id` and `x:id` alike). */
function attr(attrs: Attrs, name: string): string | undefined {
  if (name in attrs) return attrs[name];
  for (const key in attrs) if (local(key) === name && key !== name && !key.startsWith('xmlns')) return attrs[key];
  return undefined;
}

/** OOXML escapes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
function unescapeOoxml(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
}

// ---------------------------------------------------------------- workbook parts

interface Rel {
  id: string;
  type: string;
  target: string;
}

function parseRels(bytes: Uint8Array, base: string): Rel[] {
  const rels: Rel[] = [];
  parseXml(bytes, 'relationships', {
    open(name, a) {
      if (name === 'Relationship' && a.TargetMode !== 'External') {
        rels.push({ id: a.Id ?? '', type: a.Type ?? '', target: resolveTarget(base, a.Target ?? '') });
      }
    },
    close() {}
  });
  return rels;
}

interface SheetRef {
  name: string;
  rid: string;
}

function parseWorkbook(bytes: Uint8Array): { sheets: SheetRef[]; date1904: boolean } {
  const sheets: SheetRef[] = [];
  let date1904 = false;
  parseXml(bytes, 'workbook', {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      else if (name === 'sheet') sheets.push({ name: a.name ?? '', rid: attr(a, 'id') ?? '' });
    },
    close() {}
  });
  return { sheets, date1904 };
}

function pickSheet(sheets: SheetRef[], wanted: string | undefined): SheetRef {
  if (wanted == null) return sheets[0];
  const found = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
  if (!found) throw new XlsxError('no-sheet', `no sheet named "${wanted}" (sheets: ${sheets.map((s) => `"${s.name}"`).join(', ')})`);
  return found;
}

/**
 * Strings of `<si>`: its `<t>` texts, rich-text runs joined, phonetic guides (`<rPh>`) left out.
 * A string is at most `maxCellChars` long and the table at most `maxSharedStrings` long: a
 * small workbook may hold one string of hundreds of megabytes, or millions of empty ones.
 */
function parseSharedStrings(bytes: Uint8Array, limits: { maxCellChars: number; maxSharedStrings: number }): string[] {
  const strings: string[] = [];
  let current = '';
  let inT = false;
  let rph = 0;
  parseXml(bytes, 'sharedStrings', {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') rph++;
      else if (name === 't') inT = rph === 0;
    },
    close(name) {
      if (name === 'si') {
        if (strings.length >= limits.maxSharedStrings) throw new XlsxError('too-large', `more than ${limits.maxSharedStrings} shared strings (the most a workbook may hold)`);
        strings.push(unescapeOoxml(current));
      } else if (name === 'rPh') rph--;
      else if (name === 't') inT = false;
    },
    text(t) {
      if (!inT) return;
      current += t;
      if (current.length > limits.maxCellChars) throw new XlsxError('too-large', `shared string ${strings.length} is longer than ${cellLimit(limits.maxCellChars)}`);
    }
  }, limits.maxCellChars);
  return strings;
}

type DateKind = 'date' | 'datetime' | 'time' | null;

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30; 27–36 and 50–58 are East Asian). */
const BUILTIN_DATE_KINDS: Record<number, DateKind> = {
  14: 'date', 15: 'date', 16: 'date', 17: 'date', 18: 'time', 19: 'time', 20: 'time', 21: 'time', 22: 'datetime',
  27: 'date', 28: 'date', 29: 'date', 30: 'date', 31: 'date', 32: 'time', 33: 'time', 34: 'time', 35: 'time', 36: 'date',
  45: 'time', 47: 'time', 50: 'date', 51: 'date', 52: 'date', 53: 'date', 54: 'date', 55: 'date', 56: 'date', 57: 'date', 58: 'date'
};

/** What each cell style (`s`, the index into `<cellXfs>`) shows a number as. */
function parseStyles(bytes: Uint8Array): DateKind[] {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  parseXml(bytes, 'styles', {
    open(name, a) {
      if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    }
  });
  return xfFormats.map((id) => (custom.has(id) ? dateKindOf(custom.get(id)!) : (BUILTIN_DATE_KINDS[id] ?? null)));
}

/** Whether a format code shows a date, a date and time, a time of day, or no date at all (elapsed [h]:mm counts as no date). */
export function dateKindOf(code: string): DateKind {
  let section = '';
  for (let i = 0, quoted = false; i < code.length; i++) {
    const c = code[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === ';') break;
    else if (c === '\\' || c === '_' || c === '*') i++;
    else section += c;
  }
  const bracketed = section.match(/\[[^\]]*\]/g) ?? [];
  if (bracketed.some((b) => /^\[(h+|m+|s+)\]$/i.test(b))) return null;
  const s = section.replace(/\[[^\]]*\]/g, '').toLowerCase().replace(/general|am\/pm|a\/p/g, (m) => (m === 'general' ? '' : 'h'));
  const hasTime = /[hs]/.test(s);
  const hasDate = /[yd]/.test(s) || (/m/.test(s) && !hasTime);
  return hasDate ? (hasTime ? 'datetime' : 'date') : hasTime ? 'time' : null;
}

// ---------------------------------------------------------------- values

/** Integers exactly; other numbers at 15 significant digits, in the shortest decimal that reads back. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const s = String(Number.isInteger(x) ? x : Number(x.toPrecision(15)));
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', e] = m;
  const exp = Number(e);
  if (Math.abs(exp) > 30) return s;
  const digits = lead + frac;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + (digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : digits.padEnd(exp + 1, '0'));
}

const DAY_MS = 86400000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A date serial as ISO text (null when it is no date Excel would show: negative, past year 9999). */
export function formatSerial(serial: number, kind: Exclude<DateKind, null>, date1904: boolean): string | null {
  let days = Math.floor(serial);
  let secs = Math.round((serial - days) * 86400);
  if (secs === 86400) {
    days++;
    secs = 0;
  }
  const time = `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  if (kind === 'time') return serial < 0 ? null : time;
  if (days < 0) return null;
  let date: string;
  if (!date1904 && days === 60) {
    date = '1900-02-29'; // Lotus 1-2-3's leap-year bug, kept by Excel: serial 60 is a day that never was
  } else {
    // 1900 system: serial 1 = 1900-01-01; from serial 61 (1900-03-01) on, one day less than counted
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
    const d = new Date(epoch + days * DAY_MS);
    if (d.getUTCFullYear() > 9999) return null;
    date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  return kind === 'date' ? date : `${date} ${time}`;
}

/** `t="d"` cells: ISO 8601 text in the file, rewritten the same way as serials. */
function formatIsoDate(v: string, kind: DateKind): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?/.exec(v);
  if (!m) return v;
  const time = m[2] ? `${m[2]}${m[3] ?? ':00'}` : '00:00:00';
  if (kind === 'time') return time;
  return kind === 'date' || (!m[2] && kind !== 'datetime') ? m[1] : `${m[1]} ${time}`;
}

const cellLimit = (chars: number) => `${chars} characters (the most a cell may hold)`;

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// ---------------------------------------------------------------- sheet

/** Collects UTF-8 output in slices, refusing more than `max` bytes. */
class CsvWriter {
  private readonly encoder = new TextEncoder();
  private readonly parts: Uint8Array[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private total = 0;
  constructor(private readonly max: number) {}

  write(s: string): void {
    this.pending.push(s);
    this.pendingChars += s.length;
    if (this.pendingChars >= CHUNK) this.flush();
  }

  private flush(): void {
    const bytes = this.encoder.encode(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
    this.total += bytes.length;
    if (this.total > this.max) throw new XlsxError('too-large', `sheet converts to more than the ${this.max} bytes of CSV allowed`);
    this.parts.push(bytes);
  }

  bytes(): Uint8Array {
    this.flush();
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
  }
}

/** Column index (0-based) of a cell reference like "AB12". */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  if (i === 0 || col > MAX_COLUMNS) throw new XlsxError('corrupt', `unreadable XLSX (bad cell reference "${ref}")`);
  return col - 1;
}

interface SheetContext {
  strings: string[];
  dateKinds: DateKind[];
  date1904: boolean;
  maxCsvBytes: number;
  maxCellChars: number;
}

/** The sheet's CSV, or null when it has no value at all. */
function sheetToCsv(bytes: Uint8Array, ctx: SheetContext): Uint8Array | null {
  const out = new CsvWriter(ctx.maxCsvBytes);
  let width = -1; // header width; -1 until the header is written
  let lastRow = 0; // sheet row number of the last row written
  let rowNum = 0;
  let row: string[] = [];
  let nextCol = 0;

  // the cell being read
  let col = 0;
  let type = 'n';
  let style = 0;
  let value = '';
  let inline = '';
  let capture: 'v' | 'is' | null = null;
  let inIs = false;
  let rph = 0;

  const cellText = (): string => {
    switch (type) {
      case 's': {
        if (value === '') return '';
        const s = ctx.strings[Number(value)];
        if (s === undefined) throw new XlsxError('corrupt', `unreadable XLSX (shared string ${value} does not exist)`);
        return s;
      }
      case 'inlineStr':
        return unescapeOoxml(inline);
      case 'str':
        return unescapeOoxml(value);
      case 'b':
        return value === '' ? '' : value === '1' || value === 'true' ? 'TRUE' : 'FALSE';
      case 'e':
        return value;
      case 'd':
        return formatIsoDate(value, ctx.dateKinds[style] ?? null);
      default: {
        if (value.trim() === '') return '';
        const x = Number(value);
        if (!Number.isFinite(x)) throw new XlsxError('corrupt', `unreadable XLSX (number "${value}")`);
        const kind = ctx.dateKinds[style];
        return (kind && formatSerial(x, kind, ctx.date1904)) ?? formatNumber(x);
      }
    }
  };

  const endRow = () => {
    let last = row.length - 1;
    while (last >= 0 && !row[last]) last--;
    if (last < 0) return; // no values: a gap
    if (width < 0) width = last + 1;
    else out.write('\n'.repeat(rowNum > lastRow ? rowNum - lastRow : 1));
    lastRow = rowNum;
    const n = Math.max(width, last + 1);
    const fields = new Array<string>(n);
    for (let i = 0; i < n; i++) fields[i] = row[i] ? csvField(row[i]) : '';
    out.write(fields.join(','));
  };

  let inSheetData = false;
  parseXml(bytes, 'worksheet', {
    open(name, a) {
      if (!inSheetData) {
        if (name === 'sheetData') inSheetData = true;
        return;
      }
      switch (name) {
        case 'row': {
          const r = a.r !== undefined ? Number(a.r) : rowNum + 1;
          if (!Number.isInteger(r) || r < 1 || r > MAX_ROWS) throw new XlsxError('corrupt', `unreadable XLSX (bad row number "${a.r}")`);
          rowNum = r;
          row = [];
          nextCol = 0;
          break;
        }
        case 'c':
          col = a.r !== undefined ? columnOf(a.r) : nextCol;
          if (col >= MAX_COLUMNS) throw new XlsxError('corrupt', 'unreadable XLSX (more than 16384 columns)');
          type = a.t ?? 'n';
          style = a.s !== undefined ? Number(a.s) : 0;
          value = '';
          inline = '';
          break;
        case 'v':
          capture = 'v';
          break;
        case 'is':
          inIs = true;
          break;
        case 'rPh':
          rph++;
          break;
        case 't':
          if (inIs && rph === 0) capture = 'is';
          break;
      }
    },
    close(name) {
      if (!inSheetData) return;
      switch (name) {
        case 'sheetData':
          inSheetData = false;
          break;
        case 'row':
          endRow();
          break;
        case 'c':
          row[col] = cellText();
          nextCol = col + 1;
          break;
        case 'v':
        case 't':
          capture = null;
          break;
        case 'is':
          inIs = false;
          break;
        case 'rPh':
          rph--;
          break;
      }
    },
    text(t) {
      if (capture === 'v') value += t;
      else if (capture === 'is') inline += t;
      else return;
      if (value.length + inline.length > ctx.maxCellChars) throw new XlsxError('too-large', `row ${rowNum}, column ${col + 1}: a cell longer than ${cellLimit(ctx.maxCellChars)}`);
    }
  }, ctx.maxCellChars);
  if (width < 0) return null;
  out.write('\n');
  return out.bytes();
}
