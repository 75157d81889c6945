import { unzipSync } from 'fflate';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RejectedFileError, UploadTooLargeError } from '../errors';
import { looksBinary } from './decode';

export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** The most a ZIP may expand to, whatever its compressed size (ZIP bombs). */
export const MAX_UNZIPPED_BYTES = 2 * 1024 ** 3;

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Flattens uploads into CSV files: ZIPs are opened (entries keep only their base name,
 * so no path in a ZIP can point anywhere), anything that is neither a ZIP nor text is
 * refused as an unsupported type.
 */
export function expandInputs(files: InputFile[], maxUnzipped = MAX_UNZIPPED_BYTES): InputFile[] {
  const out: InputFile[] = [];
  for (const file of files) {
    if (isZip(file.bytes)) {
      out.push(...unzip(file, maxUnzipped));
    } else if (looksBinary(file.bytes)) {
      throw new RejectedFileError([{ file: file.name, line: null, column: null, reason: 'not a CSV or ZIP file' }], 415);
    } else {
      out.push(file);
    }
  }
  return out;
}

function unzip(zip: InputFile, maxUnzipped: number): InputFile[] {
  let declared = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip.bytes, {
      filter: (f) => {
        if (/^([a-z]:)?[\\/]|(^|[\\/])\.\.([\\/]|$)/i.test(f.name)) throw new UnsafeEntryError(f.name);
        if (f.name.endsWith('/') || /(^|\/)(__MACOSX\/|\.)/.test(f.name)) return false;
        declared += f.originalSize;
        if (declared > maxUnzipped) throw new UploadTooLargeError(maxUnzipped);
        return true;
      }
    });
  } catch (err) {
    if (err instanceof UploadTooLargeError) throw err;
    if (err instanceof UnsafeEntryError) {
      throw new RejectedFileError([{ file: zip.name, line: null, column: null, reason: `unsafe path in ZIP: ${JSON.stringify(err.entry)}` }]);
    }
    throw new RejectedFileError([{ file: zip.name, line: null, column: null, reason: `unreadable ZIP (${(err as Error).message})` }]);
  }
  const names = Object.keys(entries);
  if (names.some((n) => /\.xlsx$/i.test(n)) || names.includes('[Content_Types].xml')) {
    throw new RejectedFileError([{ file: zip.name, line: null, column: null, reason: 'spreadsheet (XLSX) files are not supported; export as CSV' }], 415);
  }
  return names.map((name) => {
    const bytes = entries[name];
    if (looksBinary(bytes)) {
      throw new RejectedFileError([{ file: `${zip.name}/${name}`, line: null, column: null, reason: 'not a CSV file' }], 415);
    }
    return { name: basename(name), bytes };
  });
}

class UnsafeEntryError extends Error {
  constructor(readonly entry: string) {
    super(entry);
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
