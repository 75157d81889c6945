/**
 * ZIP integrity: archives written byte by byte (helpers.ts zipBytes) whose headers lie about
 * an entry's CRC-32 or size, or name an entry twice, are refused with the file and the reason,
 * and nothing is written; the same archive with honest headers loads.
 */
import { zipSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { RejectedFileError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import { inflateEntry, listZip } from '../../../analytics/ingest/zip';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { dumpTables, memoryDb, zipBytes } from '../../helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const HEADER = 'Id,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon';
const rows = (amount: number) => [1, 2, 3, 4, 5].map((i) => `X${i},Prospecting,${i === 1 ? amount : 1000},2024-05-01,2024-01-01 10:00:00,0,0`);
const opportunities = (amount = 5000) => enc([HEADER, ...rows(amount)].join('\n') + '\n');

async function refusal(db: Database, zip: Uint8Array): Promise<RejectedFileError> {
  const err = await ingest(db, [{ name: 'export.zip', bytes: zip }], { settings: DEFAULT_SETTINGS, asOf: '2024-06-01' }).catch((e) => e);
  expect(err).toBeInstanceOf(RejectedFileError);
  expect(err.kind).toBe('rejected'); // 422
  return err;
}

describe('ZIP integrity', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());

  it('loads an archive written byte by byte, deflated or stored, when its headers tell the truth', async () => {
    for (const stored of [false, true]) {
      const zip = zipBytes([{ name: 'Opportunity.csv', data: opportunities(), stored }]);
      const { snapshot } = await ingest(db, [{ name: 'export.zip', bytes: zip }], { settings: DEFAULT_SETTINGS, asOf: `2024-06-0${stored ? 2 : 1}` });
      expect(snapshot.counts.deals).toBe(5);
    }
    expect(await db.query(`SELECT amount FROM deals WHERE deal_id = 'X1'`)).toEqual([{ amount: 5000 }, { amount: 5000 }]);
  });

  describe('refuses, writing nothing', () => {
    let before: string;
    beforeAll(async () => {
      before = await dumpTables(db);
    });

    it('an entry whose bytes do not match its CRC-32 (an amount changed from 5000 to 9000)', async () => {
      for (const stored of [false, true]) {
        const zip = zipBytes([{ name: 'Opportunity.csv', data: opportunities(9000), crc: crc32(opportunities(5000)), stored }]);
        const err = await refusal(db, zip);
        expect(err.problems).toEqual([
          { file: 'export.zip', line: null, column: null, reason: 'damaged ZIP entry: Opportunity.csv fails its CRC-32 check (damaged or altered)' }
        ]);
      }
      expect(await dumpTables(db)).toBe(before);
    });

    it.each([
      ['Opportunity.csv', 'Opportunity.csv'],
      ['export/Opportunity.csv', 'export\\Opportunity.csv'],
      ['export/Opportunity.csv', './export//opportunity.CSV']
    ])('two entries named %s and %s (the second would have won)', async (first, second) => {
      const zip = zipBytes([
        { name: first, data: opportunities(5000) },
        { name: second, data: opportunities(9000) }
      ]);
      const err = await refusal(db, zip);
      expect(err.problems).toEqual([{ file: 'export.zip', line: null, column: null, reason: `unreadable ZIP (${JSON.stringify(second)} appears twice)` }]);
      expect(await dumpTables(db)).toBe(before);
    });

    it('an entry declaring a smaller size than it inflates to (3 of its 5 rows would load)', async () => {
      const data = opportunities();
      const threeRows = enc([HEADER, ...rows(5000).slice(0, 3)].join('\n') + '\n').length;
      for (const stored of [false, true]) {
        const err = await refusal(db, zipBytes([{ name: 'Opportunity.csv', data, size: threeRows, stored }]));
        expect(err.problems[0].reason).toBe(
          stored
            ? `damaged ZIP entry: Opportunity.csv inflates to ${data.length} bytes, not its declared ${threeRows}`
            : `damaged ZIP entry: Opportunity.csv inflates to more than its declared ${threeRows} bytes`
        );
      }
      expect(await dumpTables(db)).toBe(before);
    });

    it('an entry declaring a larger size than it inflates to', async () => {
      const data = opportunities();
      const err = await refusal(db, zipBytes([{ name: 'Opportunity.csv', data, size: data.length + 100 }]));
      expect(err.problems[0]).toEqual({
        file: 'export.zip',
        line: null,
        column: null,
        reason: `damaged ZIP entry: Opportunity.csv inflates to ${data.length} bytes, not its declared ${data.length + 100}`
      });
      expect(await dumpTables(db)).toBe(before);
    });

    it('an archive cut short', async () => {
      const zip = zipBytes([{ name: 'Opportunity.csv', data: opportunities() }]);
      const err = await refusal(db, zip.subarray(0, zip.length - 30));
      expect(err.problems[0].reason).toMatch(/^unreadable ZIP \(/);
      expect(await dumpTables(db)).toBe(before);
    });
  });

  it('lists names, declared sizes and CRC-32s from the central directory, and inflates what fflate writes', () => {
    const data = opportunities();
    const entries = listZip(zipBytes([{ name: 'dir/', data: new Uint8Array(), stored: true }, { name: 'dir/Opportunity.csv', data }]));
    expect(entries.map((e) => [e.name, e.size, e.crc >>> 0])).toEqual([
      ['dir/', 0, 0],
      ['dir/Opportunity.csv', data.length, crc32(data) >>> 0]
    ]);
    const written = zipSync({ 'dir/Opportunity.csv': data, 'Lead.csv': enc('Id,Status\n') });
    const [opportunity, lead] = listZip(written);
    expect(inflateEntry(written, opportunity)).toEqual(data);
    expect(inflateEntry(written, lead)).toEqual(enc('Id,Status\n'));
  });
});
