import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RejectedFileError, UploadTooLargeError } from '../errors';
import { looksBinary } from './decode';
import { formatBytes, uploadLimits, type UploadLimits } from './limits';
import { isXlsx, XlsxError, xlsxToCsv } from './xlsx';
import { inflateEntry, listZip, ZipError, type ZipEntry } from './zip';

export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

type ExpandLimits = Pick<UploadLimits, 'inflatedBytes' | 'cellBytes' | 'sharedStrings'>;

/**
 * Flattens uploads into CSV files: spreadsheets become the CSV of their first sheet
 * (name.xlsx → name.csv), ZIPs are opened (entries keep only their base name, so no path
 * in a ZIP can point anywhere). Other files pass as they are, for the ingest to list as not
 * read (a LICENSE, an image beside the exports), but a binary file named .csv or .txt, or an
 * upload with nothing but binary files, is refused as an unsupported type.
 *
 * What ZIPs and workbooks inflate to counts against one budget for the whole upload
 * (`limits.inflatedBytes`): a ZIP is refused on its declared sizes before anything is
 * inflated, a workbook's parts are read within what is left.
 */
export function expandInputs(files: InputFile[], limits: ExpandLimits = uploadLimits()): InputFile[] {
  const budget = new InflateBudget(limits.inflatedBytes);
  const out: InputFile[] = [];
  const binary = new Set<InputFile>();
  for (const file of files) {
    if (isXlsx(file.name, file.bytes)) {
      out.push(spreadsheetAsCsv(file, limits, budget));
    } else if (isZip(file.bytes)) {
      out.push(...unzip(file, limits, budget, binary));
    } else if (looksBinary(file.bytes)) {
      if (CSV_NAME.test(file.name)) throw new RejectedFileError([{ file: file.name, line: null, column: null, reason: 'not a CSV or ZIP file' }], 'unsupported');
      binary.add(file);
      out.push(file);
    } else {
      out.push(file);
    }
  }
  const [first] = binary;
  if (first && out.every((f) => binary.has(f))) {
    throw new RejectedFileError([{ file: first.name, line: null, column: null, reason: 'not a CSV or ZIP file' }], 'unsupported');
  }
  return out;
}

const CSV_NAME = /\.(csv|txt)$/i;
const UNSAFE_PATH = /^([a-z]:)?[\\/]|(^|[\\/])\.\.([\\/]|$)/i;
const SKIPPED = /(^|\/)(__MACOSX\/|\.)/;

/** The bytes left of an upload's inflation budget. */
class InflateBudget {
  private left: number;
  constructor(readonly limit: number) {
    this.left = limit;
  }
  get remaining(): number {
    return this.left;
  }
  take(bytes: number, file: string): void {
    this.left -= bytes;
    if (this.left < 0) {
      throw new UploadTooLargeError(this.limit, `${file}: the upload inflates to more than ${formatBytes(this.limit)} (setting max_inflated_bytes)`);
    }
  }
}

function unzip(zip: InputFile, limits: ExpandLimits, budget: InflateBudget, binary: Set<InputFile>): InputFile[] {
  const refuse = (reason: string) => new RejectedFileError([{ file: zip.name, line: null, column: null, reason }]);
  let entries: ZipEntry[];
  try {
    entries = listZip(zip.bytes).filter((e) => {
      if (UNSAFE_PATH.test(e.name)) throw refuse(`unsafe path in ZIP: ${JSON.stringify(e.name)}`);
      return !e.name.endsWith('/') && !SKIPPED.test(e.name);
    });
  } catch (err) {
    if (err instanceof ZipError) throw refuse(`unreadable ZIP (${err.message})`);
    throw err;
  }
  // the declared sizes bound what inflating takes (inflateEntry stops past them)
  budget.take(entries.reduce((sum, e) => sum + e.size, 0), zip.name);
  return entries.map((entry) => {
    let bytes: Uint8Array;
    try {
      bytes = inflateEntry(zip.bytes, entry);
    } catch (err) {
      if (err instanceof ZipError) throw refuse(`damaged ZIP entry: ${err.message}`);
      throw err;
    }
    const name = entry.name;
    if (isXlsx(name, bytes)) return spreadsheetAsCsv({ name: `${zip.name}/${basename(name)}`, bytes }, limits, budget, basename(name));
    if (looksBinary(bytes)) {
      if (CSV_NAME.test(name)) throw new RejectedFileError([{ file: `${zip.name}/${name}`, line: null, column: null, reason: 'not a CSV file' }], 'unsupported');
      const file = { name: basename(name), bytes };
      binary.add(file);
      return file;
    }
    return { name: basename(name), bytes };
  });
}

function spreadsheetAsCsv(file: InputFile, limits: ExpandLimits, budget: InflateBudget, name = file.name): InputFile {
  let csv: Uint8Array;
  try {
    csv = xlsxToCsv(file.bytes, {
      maxUnzippedBytes: budget.remaining,
      maxCsvBytes: budget.remaining,
      maxCellChars: limits.cellBytes,
      maxSharedStrings: limits.sharedStrings
    });
  } catch (err) {
    if (err instanceof XlsxError) throw new RejectedFileError([err.problem(file.name)], err.rejection);
    throw err;
  }
  budget.take(csv.length, file.name);
  return { name: name.replace(/\.xls[xm]$/i, '') + '.csv', bytes: csv };
}

/** Reads files, folders (their files, recursively) and ZIPs from disk. */
export function readInputPaths(paths: string[]): InputFile[] {
  const files: InputFile[] = [];
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) visit(join(path, entry));
    } else {
      files.push({ name: basename(path), bytes: readFileSync(path) });
    }
  };
  paths.forEach(visit);
  return files;
}
