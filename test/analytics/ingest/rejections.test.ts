/**
 * Bad input is rejected with file, line, column and reason, and the database (on disk)
 * is exactly as it was: every table's rows and the id sequence compared before and after.
 */
import { zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { RejectedFileError, UploadTooLargeError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import { expandInputs, type InputFile } from '../../../analytics/ingest/inputs';
import { uploadLimits } from '../../../analytics/ingest/limits';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, SHARED_DATA, diskDb, dumpTables, ingestPaths } from '../../helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const HEADER = '"Id","StageName","Amount","CloseDate","CreatedDate","IsClosed","IsWon"';
const GOOD_ROW = '"X1","Prospecting","1000","2024-05-01","2024-01-01 10:00:00","0","0"';

async function rejection(db: Database, files: InputFile[]): Promise<RejectedFileError> {
  const error = await ingest(db, files, { settings: DEFAULT_SETTINGS }).then(
    () => null,
    (e) => e
  );
  expect(error).toBeInstanceOf(RejectedFileError);
  return error as RejectedFileError;
}

describe('rejected uploads', () => {
  let db: Database;
  let cleanup: () => void;
  let before: string;
  beforeAll(async () => {
    ({ db, cleanup } = await diskDb());
    await ingestPaths(db, [join(SHARED_DATA, 'salesforce-data-export')]);
    before = await dumpTables(db);
  });
  afterAll(() => cleanup());

  const cases: [string, InputFile[], number, { file: string; line: number | null; column: string | null; reason: RegExp }][] = [
    [
      'an unparseable date',
      [{ name: 'Opportunity.csv', bytes: enc(`${HEADER}\n${GOOD_ROW}\n"X2","Prospecting","5","31/31/2024","2024-01-01 10:00:00","0","0"\n`) }],
      422,
      { file: 'Opportunity.csv', line: 3, column: 'CloseDate', reason: /^not a date: "31\/31\/2024"$/ }
    ],
    [
      'an unparseable amount',
      [{ name: 'Opportunity.csv', bytes: enc(`${HEADER}\n"X2","Prospecting","12k","2024-05-01","2024-01-01 10:00:00","0","0"\n`) }],
      422,
      { file: 'Opportunity.csv', line: 2, column: 'Amount', reason: /^not a number: "12k"$/ }
    ],
    [
      'a missing required column',
      [{ name: 'Opportunity.csv', bytes: enc(`"Id","StageName","Amount"\n"X1","Prospecting","5"\n`) }],
      422,
      { file: 'Opportunity.csv', line: 1, column: 'CloseDate', reason: /^missing required column$/ }
    ],
    [
      'a file truncated mid-row',
      [{ name: 'Opportunity.csv', bytes: enc(`${HEADER}\n${GOOD_ROW}\n"X2","Prospec`) }],
      422,
      { file: 'Opportunity.csv', line: 3, column: 'StageName', reason: /unterminated quoted field/ }
    ],
    [
      'a row cut short',
      [{ name: 'Opportunity.csv', bytes: enc(`${HEADER}\n${GOOD_ROW}\n"X2","Prospecting","5"\n`) }],
      422,
      { file: 'Opportunity.csv', line: 3, column: null, reason: /^expected 7 fields, found 3/ }
    ],
    [
      'a CSV that is not a Salesforce export',
      [{ name: 'contacts.csv', bytes: enc('Email,Phone\na@b.c,123\n') }],
      422,
      { file: 'contacts.csv', line: null, column: null, reason: /^not a Salesforce export/ }
    ],
    [
      'a file that is neither ZIP nor CSV',
      [{ name: 'logo.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) }],
      415,
      { file: 'logo.png', line: null, column: null, reason: /^not a CSV or ZIP file$/ }
    ],
    [
      'an empty required value',
      [{ name: 'Opportunity.csv', bytes: enc(`${HEADER}\n"","Prospecting","5","2024-05-01","2024-01-01 10:00:00","0","0"\n`) }],
      422,
      { file: 'Opportunity.csv', line: 2, column: 'Id', reason: /^empty value in a required column$/ }
    ],
    [
      'a currency without a rate',
      [
        { name: 'Opportunity.csv', bytes: enc(`"Id","StageName","Amount","CurrencyIsoCode","CloseDate"\n"X1","Prospecting","5","USD","2024-05-01"\n"X2","Prospecting","5","GBP","2024-05-01"\n`) },
        { name: 'CurrencyType.csv', bytes: enc(`"IsoCode","ConversionRate","IsCorporate"\n"USD","1","1"\n`) }
      ],
      422,
      { file: 'Opportunity.csv', line: 3, column: 'CurrencyIsoCode', reason: /^no conversion rate for GBP/ }
    ]
  ];

  it.each(cases)('rejects %s with file, line, column and reason, and writes nothing', async (_, files, status, expected) => {
    const error = await rejection(db, files);
    expect(error.kind).toBe(status === 415 ? 'unsupported' : 'rejected');
    expect(error.problems[0]).toMatchObject({ file: expected.file, line: expected.line, column: expected.column });
    expect(error.problems[0].reason).toMatch(expected.reason);
    expect(await dumpTables(db)).toBe(before);
  });

  it('rejects every bad value of a large file but lists at most 100', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `"X${i}","Prospecting","bad","2024-05-01","2024-01-01 10:00:00","0","0"`);
    const error = await rejection(db, [{ name: 'Opportunity.csv', bytes: enc(`${HEADER}\n${rows.join('\n')}\n`) }]);
    expect(error.problems).toHaveLength(100);
    expect(error.problems[99]).toMatchObject({ line: 101, column: 'Amount' });
    expect(await dumpTables(db)).toBe(before);
  });

  it('refuses a ZIP that would expand past the limit before inflating it', () => {
    const zip = zipSync({ 'Opportunity.csv': enc(`${HEADER}\n${GOOD_ROW.repeat(1)}\n${'x'.repeat(5000)}`) });
    expect(() => expandInputs([{ name: 'export.zip', bytes: zip }], uploadLimits(undefined, { inflatedBytes: 1000 }))).toThrow(UploadTooLargeError);
  });

  it('reads a ZIP as downloaded: entries by base name, folders and hidden files skipped', () => {
    const zip = zipSync({ 'WE_00D/Opportunity.csv': enc(`${HEADER}\n${GOOD_ROW}\n`), 'Lead.csv': enc('Id,Status\n'), 'Attachments/': new Uint8Array(), '__MACOSX/._Lead.csv': enc('x') });
    const files = expandInputs([{ name: 'export.zip', bytes: zip }]);
    expect(files.map((f) => f.name).sort()).toEqual(['Lead.csv', 'Opportunity.csv']);
  });

  it.each(['../evil/Lead.csv', '/etc/Lead.csv', 'a/../../Lead.csv'])('refuses a ZIP entry with the path %s', async (entry) => {
    const zip = zipSync({ 'Opportunity.csv': enc(`${HEADER}\n${GOOD_ROW}\n`), [entry]: enc('Id,Status\n') });
    const error = await rejection(db, [{ name: 'export.zip', bytes: zip }]);
    expect(error.problems[0]).toEqual({ file: 'export.zip', line: null, column: null, reason: `unsafe path in ZIP: ${JSON.stringify(entry)}` });
    expect(await dumpTables(db)).toBe(before);
  });

  it('reads a spreadsheet, alone or in a ZIP, as the CSV of its first sheet', () => {
    const workbook = new Uint8Array(readFileSync(join(FIXTURES, 'xlsx', 'hubspot-deals.xlsx')));
    const [alone] = expandInputs([{ name: 'deals.xlsx', bytes: workbook }]);
    const [zipped] = expandInputs([{ name: 'export.zip', bytes: zipSync({ 'views/deals.xlsx': workbook }) }]);
    expect(alone.name).toBe('deals.csv');
    expect(zipped.name).toBe('deals.csv');
    expect(new TextDecoder().decode(alone.bytes).split('\n')[0]).toBe(
      'Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,"Date entered ""Qualified to buy (Sales Pipeline)"""'
    );
    expect(zipped.bytes).toEqual(alone.bytes);
  });

  it('rejects an encrypted spreadsheet with its name and a reason, and keeps the database as it was', async () => {
    const encrypted = new Uint8Array(readFileSync(join(FIXTURES, 'xlsx', 'encrypted.xlsx')));
    const error = await rejection(db, [{ name: 'deals.xlsx', bytes: encrypted }]);
    expect(error.kind).toBe('unsupported');
    expect(error.problems[0]).toMatchObject({ file: 'deals.xlsx', line: null, column: null });
    expect(error.problems[0].reason).toMatch(/encrypt|password/i);
    expect(await dumpTables(db)).toBe(before);
  });
});
