import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksBinary, toUtf8 } from '../../../analytics/ingest/decode';

const decodeText = (bytes: Uint8Array) => {
  const { utf8, encoding } = toUtf8(bytes);
  return { text: new TextDecoder().decode(utf8), encoding };
};
import { FIXTURES } from '../../helpers';

describe('decodeText', () => {
  it('detects Windows-1252 from bytes that are not valid UTF-8', () => {
    const bytes = readFileSync(join(FIXTURES, 'windows-1252/Opportunity.csv'));
    expect(bytes.includes(0xf1)).toBe(true); // ñ as one byte
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('windows-1252');
    expect(text).toContain('Diseño Propuesta');
    expect(text).toContain('Gestión directa');
  });

  it('strips a UTF-8 BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Id,Stage\n1,Diseño')]);
    expect(decodeText(bytes)).toEqual({ text: 'Id,Stage\n1,Diseño', encoding: 'utf-8-bom' });
  });

  it('reads plain UTF-8 as UTF-8, handing back the same bytes', () => {
    const bytes = new TextEncoder().encode('Gestión directa');
    expect(toUtf8(bytes)).toEqual({ utf8: bytes, encoding: 'utf-8' });
  });

  it('converts Windows-1252 larger than one conversion slice', () => {
    const bytes = new Uint8Array(17 * 1024 * 1024).fill(0xf1); // ñ
    const { utf8, encoding } = toUtf8(bytes);
    expect(encoding).toBe('windows-1252');
    expect(utf8.length).toBe(bytes.length * 2);
    expect(new TextDecoder().decode(utf8.subarray(0, 4))).toBe('ññ');
  });

  it('reads UTF-16 with a BOM', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x49, 0, 0x64, 0, 0xf1, 0]);
    expect(decodeText(bytes)).toEqual({ text: 'Idñ', encoding: 'utf-16le' });
  });

  it('calls a file with NUL bytes binary', () => {
    expect(looksBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toBe(true);
    expect(looksBinary(new TextEncoder().encode('a,b\n1,2\n'))).toBe(false);
  });
});
