import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RejectedFileError, UploadTooLargeError } from '../errors';
import { looksBinary } from './decode';
import { isXlsx, XlsxError, xlsxToCsv } from './xlsx';
import { inflateEntry, listZip, ZipError, type ZipEntry } from './zip';

export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** The most a ZIP may expand to, whatever its compressed size (ZIP bombs). */
export const MAX_UNZIPPED_BYTES = 2 * 1024 ** 3;

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Flattens uploads into CSV files: spreadsheets become the CSV of their first sheet
 * (name.xlsx → name.csv), ZIPs are opened (entries keep only their base name, so no path
 * in a ZIP can point anywhere). Other files pass as they are, for the ingest to list as not
 * read (a LICENSE, an image beside the exports), but a binary file named .csv or .txt, or an
 * upload with nothing but binary files, is refused as an unsupported type.
 */
export function expandInputs(files: InputFile[], maxUnzipped = MAX_UNZIPPED_BYTES): InputFile[] {
  const out: InputFile[] = [];
  const binary = new Set<InputFile>();
  for (const file of files) {
    if (isXlsx(file.name, file.bytes)) {
      out.push(spreadsheetAsCsv(file, maxUnzipped));
    } else if (isZip(file.bytes)) {
      out.push(...unzip(file, maxUnzipped, binary));
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

/** The entries of a ZIP, each checked against the central directory (zip.ts): size, CRC-32, a name given once. */
function unzip(zip: InputFile, maxUnzipped: number, binary: Set<InputFile>): InputFile[] {
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
  if (entries.reduce((sum, e) => sum + e.size, 0) > maxUnzipped) throw new UploadTooLargeError(maxUnzipped);
  return entries.map((entry) => {
    let bytes: Uint8Array;
    try {
      bytes = inflateEntry(zip.bytes, entry);
    } catch (err) {
      if (err instanceof ZipError) throw refuse(`damaged ZIP entry: ${err.message}`);
      throw err;
    }
    const name = entry.name;
    if (isXlsx(name, bytes)) return spreadsheetAsCsv({ name: `${zip.name}/${basename(name)}`, bytes }, maxUnzipped, basename(name));
    if (looksBinary(bytes)) {
      if (CSV_NAME.test(name)) throw new RejectedFileError([{ file: `${zip.name}/${name}`, line: null, column: null, reason: 'not a CSV file' }], 'unsupported');
      const file = { name: basename(name), bytes };
      binary.add(file);
      return file;
    }
    return { name: basename(name), bytes };
  });
}

function spreadsheetAsCsv(file: InputFile, maxUnzipped: number, name = file.name): InputFile {
  try {
    return { name: name.replace(/\.xls[xm]$/i, '') + '.csv', bytes: xlsxToCsv(file.bytes, { maxUnzippedBytes: maxUnzipped }) };
  } catch (err) {
    if (err instanceof XlsxError) throw new RejectedFileError([err.problem(file.name)], err.rejection);
    throw err;
  }
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
