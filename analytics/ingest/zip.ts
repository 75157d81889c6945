import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A ZIP reader that believes nothing it has not checked. Entries come from the central
 * directory (ZIP64 included); a name that appears twice, told apart by case, `\` or `./`
 * only, is refused (which one would be read?). An entry is inflated by zlib, which stops
 * one byte past the size the directory declares, so a declared size bounds the memory an
 * entry takes; the bytes must then be exactly that size and match the directory's CRC-32,
 * so a damaged, truncated or altered entry is refused instead of read in part.
 */
export interface ZipEntry {
  name: string;
  /** inflated size, as declared */
  size: number;
  compressedSize: number;
  crc: number;
  method: number;
  flags: number;
  /** where the entry's local header starts */
  offset: number;
}

/** Why a ZIP cannot be read; the caller names the file. */
export class ZipError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ZipError';
  }
}

const EOCD = 0x06054b50, EOCD64 = 0x06064b50, LOCATOR64 = 0x07064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

/** The path a name is compared by: `/` for `\`, no `.` or empty segments, case and Unicode form folded. */
export const normalizedName = (name: string) =>
  name.replace(/\\/g, '/').split('/').filter((s) => s && s !== '.').join('/').normalize('NFC').toLowerCase();

/** The entries of the central directory, in its order; nothing is inflated. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));
  try {
    let end = bytes.length - 22;
    const stop = Math.max(0, end - 0xffff);
    while (end >= stop && u32(end) !== EOCD) end--;
    if (end < stop) throw new ZipError('no end of central directory (not a ZIP, or truncated)');
    let count = u16(end + 10);
    let at = u32(end + 16);
    if ((count === 0xffff || at === MAX32) && end >= 20 && u32(end - 20) === LOCATOR64) {
      const zip64 = u64(end - 12);
      if (u32(zip64) !== EOCD64) throw new ZipError('damaged ZIP64 end of central directory');
      count = u64(zip64 + 32);
      at = u64(zip64 + 48);
    }
    const entries: ZipEntry[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      if (u32(at) !== CENTRAL) throw new ZipError('damaged central directory');
      const flags = u16(at + 8);
      const nameLength = u16(at + 28);
      const extraLength = u16(at + 30);
      const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(bytes.subarray(at + 46, at + 46 + nameLength));
      const entry: ZipEntry = { name, flags, method: u16(at + 10), crc: u32(at + 16), compressedSize: u32(at + 20), size: u32(at + 24), offset: u32(at + 42) };
      readZip64Extra(entry, view, at + 46 + nameLength, extraLength);
      const key = normalizedName(name);
      if (seen.has(key)) throw new ZipError(`${JSON.stringify(name)} appears twice`);
      seen.add(key);
      entries.push(entry);
      at += 46 + nameLength + extraLength + u16(at + 32);
    }
    return entries;
  } catch (err) {
    if (err instanceof RangeError) throw new ZipError('truncated or damaged central directory');
    throw err;
  }
}

/** Sizes and offset too large for 32 bits are in the ZIP64 extra field (id 1), in this order, when their field holds 0xFFFFFFFF. */
function readZip64Extra(entry: ZipEntry, view: DataView, start: number, length: number): void {
  for (let at = start; at + 4 <= start + length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 1) continue;
    let field = at + 4;
    for (const key of ['size', 'compressedSize', 'offset'] as const) {
      if (entry[key] !== MAX32) continue;
      entry[key] = Number(view.getBigUint64(field, true));
      field += 8;
    }
    return;
  }
}

/** An entry's bytes, exactly its declared size and CRC-32, or a ZipError saying what is wrong. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.flags & 1) throw new ZipError(`${entry.name} is encrypted`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) throw new ZipError(`${entry.name}: damaged local header`);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipError(`${entry.name} is truncated`);
  const data = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = data;
  } else if (entry.method === 8) {
    try {
      // one byte more than declared is enough to know the declaration is wrong
      const inflated = inflateRawSync(data, { maxOutputLength: entry.size + 1, chunkSize: Math.min(Math.max(entry.size + 1, 64), 1 << 20) });
      out = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError(`${entry.name} inflates to more than its declared ${entry.size} bytes`);
      throw new ZipError(`${entry.name}: ${(err as Error).message}`);
    }
  } else {
    throw new ZipError(`${entry.name}: unsupported compression method ${entry.method}`);
  }
  if (out.length !== entry.size) throw new ZipError(`${entry.name} inflates to ${out.length} bytes, not its declared ${entry.size}`);
  if (crc32(out) >>> 0 !== entry.crc) throw new ZipError(`${entry.name} fails its CRC-32 check (damaged or altered)`);
  return out;
}
