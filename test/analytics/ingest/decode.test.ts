import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, looksBinary } from '../../../analytics/ingest/decode';
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

  it('reads plain UTF-8 as UTF-8', () => {
    expect(decodeText(new TextEncoder().encode('Gestión directa')).encoding).toBe('utf-8');
  });

  it('calls a file with NUL bytes binary', () => {
    expect(looksBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toBe(true);
    expect(looksBinary(new TextEncoder().encode('a,b\n1,2\n'))).toBe(false);
  });
});
