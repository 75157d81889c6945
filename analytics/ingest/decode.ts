import { isUtf8 } from 'node:buffer';

/**
 * Encoding without being told: a BOM decides; else the bytes are UTF-8 when they are
 * valid UTF-8, else Windows-1252 (what Salesforce's Data Export writes when an admin
 * picks ISO-8859-1, and what Excel saves as "CSV"). `utf8` is the file as UTF-8 bytes
 * without BOM, ready for DuckDB: the input itself when it already is.
 */
export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedFile {
  utf8: Uint8Array;
  encoding: Encoding;
}

const encoder = new TextEncoder();
// Windows-1252 is one byte a character, so it can be converted in slices of any size.
const SLICE = 16 * 1024 * 1024;

export function toUtf8(bytes: Uint8Array): DecodedFile {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const rest = bytes.subarray(3);
    return isUtf8(rest) ? { utf8: rest, encoding: 'utf-8-bom' } : { utf8: fromWindows1252(rest), encoding: 'windows-1252' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { utf8: encoder.encode(new TextDecoder('utf-16le').decode(bytes.subarray(2))), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { utf8: encoder.encode(new TextDecoder('utf-16be').decode(bytes.subarray(2))), encoding: 'utf-16be' };
  if (isUtf8(bytes)) return { utf8: bytes, encoding: 'utf-8' };
  return { utf8: fromWindows1252(bytes), encoding: 'windows-1252' };
}

function fromWindows1252(bytes: Uint8Array): Uint8Array {
  const decoder = new TextDecoder('windows-1252');
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += SLICE) parts.push(encoder.encode(decoder.decode(bytes.subarray(i, i + SLICE))));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** A file with NUL bytes in its first kilobytes is binary (a spreadsheet, an image, a PDF), not text. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return !utf16 && head.includes(0);
}
