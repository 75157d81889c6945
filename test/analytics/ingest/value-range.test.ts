/**
 * Values no CRM produces (a close date in year 10000, an amount of 2·10^16, NaN, Infinity,
 * 1e309) are refused at ingest for every adapter, with the file, line, column and reason,
 * and nothing is written; values at the edges of the ranges (analytics/value-range.ts) load.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { BadParameterError, RejectedFileError, type Problem } from '../../../analytics/errors';
import { ingest, type IngestOptions } from '../../../analytics/ingest/ingest';
import { parseMapping } from '../../../analytics/ingest/adapters/mapped/format';
import { deleteSnapshot } from '../../../analytics/storage/snapshots';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { isCalendarDate, parseInstant } from '../../../analytics/value-range';
import { csvFile, dumpTables, memoryDb } from '../../helpers';

const RANGE = {
  date: 'out of range, not a date from 1900-01-01 to 2199-12-31',
  timestamp: 'out of range, not a date/time from 1900-01-01 to 2199-12-31',
  number: 'out of range, not a finite number from -10^15 to 10^15'
};

/** A one-row CSV from column → value pairs; `bad` replaces one column's value. */
function oneRow(name: string, row: Record<string, string>, bad: Record<string, string> = {}) {
  const cells = { ...row, ...bad };
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return csvFile(name, Object.keys(cells).map(quote).join(','), [Object.values(cells).map(quote).join(',')]);
}

const SALESFORCE = {
  Id: 'O1', StageName: 'Prospecting', Amount: '5000', Probability: '10', CloseDate: '2026-12-15',
  CreatedDate: '2026-10-01 10:00:00', LastModifiedDate: '2026-11-01 10:00:00'
};
const HUBSPOT = {
  'Record ID': '1', 'Deal Name': 'Acme', 'Deal Stage': 'Qualified to buy', Pipeline: 'Sales Pipeline', Amount: '5000',
  'Close Date': '2026-12-15', 'Create Date': '2026-10-01 10:00:00', 'Deal probability': '0.4', 'Last Modified Date': '2026-11-01 10:00:00',
  'Date entered "Qualified to buy (Sales Pipeline)"': '2026-10-02 10:00:00'
};
const PIPEDRIVE = {
  'Deal - ID': '1', 'Deal - Title': 'Acme', 'Deal - Stage': 'Qualified', 'Deal - Status': 'won', 'Deal - Value': '5000',
  'Deal - Expected close date': '2026-12-15', 'Deal - Won time': '2026-11-02 10:00:00', 'Deal - Update time': '2026-11-03 10:00:00'
};
const MAPPED = { 'Deal ID': 'D1', Stage: 'Won', Value: '5000', Close: '2026-12-15', Chance: '40', Modified: '2026-11-01 10:00:00' };
const MAPPING = parseMapping({
  name: 'sheet',
  deals: {
    columns: { deal_id: 'Deal ID', stage: 'Stage', amount: 'Value', close_date: 'Close', probability: 'Chance', last_modified: 'Modified' },
    outcome: { won: { column: 'Stage', equals: 'Won' } }
  }
});

/** A workbook of one sheet whose cells are inline strings, or numbers where given as numbers. */
function workbook(rows: (string | number)[][]): Uint8Array {
  const enc = (s: string) => new TextEncoder().encode(s);
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const col = (i: number) => String.fromCharCode(65 + i);
  const cell = (v: string | number, ref: string) =>
    typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  const sheet = rows.map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(v, `${col(j)}${i + 1}`)).join('')}</row>`).join('');
  return zipSync({
    '[Content_Types].xml': enc('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': enc(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': enc(`<workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': enc(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    'xl/worksheets/sheet1.xml': enc(`<worksheet ${ns}><sheetData>${sheet}</sheetData></worksheet>`)
  });
}

describe('value ranges at ingest', () => {
  let db: Database;
  let empty: string;
  beforeAll(async () => {
    db = await memoryDb();
    empty = await dumpTables(db);
  });
  afterAll(() => db.close());

  async function problemsOf(files: { name: string; bytes: Uint8Array }[], opts: IngestOptions = {}): Promise<Problem[]> {
    try {
      await ingest(db, files, { settings: DEFAULT_SETTINGS, asOf: '2026-11-20', ...opts });
    } catch (err) {
      expect(err).toBeInstanceOf(RejectedFileError);
      expect(await dumpTables(db)).toBe(empty);
      return (err as RejectedFileError).problems;
    }
    throw new Error('the upload was loaded');
  }

  async function loads(files: { name: string; bytes: Uint8Array }[], opts: IngestOptions = {}) {
    const { snapshot } = await ingest(db, files, { settings: DEFAULT_SETTINGS, asOf: '2026-11-20', ...opts });
    await deleteSnapshot(db, snapshot.snapshot_id);
    return snapshot;
  }

  it.each([
    ['CloseDate', '10000-01-01', RANGE.date],
    ['CloseDate', '1899-12-31', RANGE.date],
    ['CreatedDate', '2200-01-01 00:00:00', RANGE.timestamp],
    ['LastModifiedDate', '1066-10-14T09:00:00Z', RANGE.timestamp],
    ['Amount', '20000000000000000', RANGE.number],
    ['Amount', '-1000000000000001', RANGE.number],
    ['Amount', 'NaN', RANGE.number],
    ['Amount', 'Infinity', RANGE.number],
    ['Amount', '-inf', RANGE.number],
    ['Amount', '1e309', RANGE.number],
    ['Probability', 'NaN', RANGE.number]
  ])('Salesforce: refuses %s %s', async (column, value, reason) => {
    const problems = await problemsOf([oneRow('Opportunity.csv', SALESFORCE, { [column]: value })]);
    expect(problems).toEqual([{ file: 'Opportunity.csv', line: 2, column, reason: `${reason}: ${JSON.stringify(value)}` }]);
  });

  it('Salesforce: refuses a stage history row dated in year 10000, and a conversion rate of 0', async () => {
    const history = oneRow('OpportunityHistory.csv', { OpportunityId: 'O1', StageName: 'Prospecting', CreatedDate: '10000-01-01 00:00:00' });
    expect(await problemsOf([oneRow('Opportunity.csv', SALESFORCE), history])).toEqual([
      { file: 'OpportunityHistory.csv', line: 2, column: 'CreatedDate', reason: `${RANGE.timestamp}: "10000-01-01 00:00:00"` }
    ]);
    const rates = csvFile('CurrencyType.csv', 'IsoCode,ConversionRate,IsCorporate', ['USD,1,true', 'EUR,0,false']);
    expect(await problemsOf([oneRow('Opportunity.csv', SALESFORCE, { CurrencyIsoCode: 'EUR' }), rates])).toEqual([
      { file: 'CurrencyType.csv', line: 3, column: 'ConversionRate', reason: 'not a conversion rate of at least 0.000000001: 0' }
    ]);
  });

  it('HubSpot: refuses a stage entered in 2300 and an infinite amount', async () => {
    const stage = 'Date entered "Qualified to buy (Sales Pipeline)"';
    expect(await problemsOf([oneRow('deals.csv', HUBSPOT, { [stage]: '2300-01-01 00:00:00', Amount: 'Infinity' })])).toEqual([
      { file: 'deals.csv', line: 2, column: 'Amount', reason: `${RANGE.number}: "Infinity"` },
      { file: 'deals.csv', line: 2, column: stage, reason: `${RANGE.timestamp}: "2300-01-01 00:00:00"` }
    ]);
  });

  it('Pipedrive: refuses a deal won in year 10000 and a value of 1e309', async () => {
    expect(await problemsOf([oneRow('deals.csv', PIPEDRIVE, { 'Deal - Won time': '10000-01-01 00:00:00', 'Deal - Value': '1e309' })])).toEqual([
      { file: 'deals.csv', line: 2, column: 'Deal - Value', reason: `${RANGE.number}: "1e309"` },
      { file: 'deals.csv', line: 2, column: 'Deal - Won time', reason: `${RANGE.timestamp}: "10000-01-01 00:00:00"` }
    ]);
  });

  it('a mapped CSV: refuses a close date in 2200, a NaN amount and an infinite probability', async () => {
    expect(await problemsOf([oneRow('deals.csv', MAPPED, { Close: '2200-01-01', Value: 'NaN', Chance: 'Infinity' })], { mapping: MAPPING, format: 'mapped' })).toEqual([
      { file: 'deals.csv', line: 2, column: 'Value', reason: `${RANGE.number}: "NaN"` },
      { file: 'deals.csv', line: 2, column: 'Close', reason: `${RANGE.date}: "2200-01-01"` },
      { file: 'deals.csv', line: 2, column: 'Chance', reason: `${RANGE.number}: "Infinity"` }
    ]);
  });

  it('a mapped XLSX: refuses a number cell of 2·10^16', async () => {
    const header = Object.keys(MAPPED);
    const row = Object.values(MAPPED).map((v, i) => (header[i] === 'Value' ? 2e16 : v));
    const problems = await problemsOf([{ name: 'deals.xlsx', bytes: workbook([header, row]) }], { mapping: MAPPING, format: 'mapped' });
    // the workbook is read as the CSV of its first sheet, and named so
    expect(problems).toEqual([{ file: 'deals.csv', line: 2, column: 'Value', reason: `${RANGE.number}: "20000000000000000"` }]);
  });

  it('loads the extreme values a CRM can write: 1900-01-01, 2199-12-31, ±10^15, 0', async () => {
    const edge = { CloseDate: '2199-12-31', CreatedDate: '1900-01-01 00:00:00', LastModifiedDate: '2199-12-31 23:59:59', Amount: '-1000000000000000', Probability: '0' };
    expect((await loads([oneRow('Opportunity.csv', SALESFORCE, edge)])).counts.deals).toBe(1);
    expect((await loads([oneRow('deals.csv', HUBSPOT, { Amount: '1000000000000000', 'Close Date': '1900-01-01' })])).counts.deals).toBe(1);
    expect((await loads([oneRow('deals.csv', PIPEDRIVE, { 'Deal - Value': '1e15', 'Deal - Won time': '2199-12-31 23:59:59' })])).counts.deals).toBe(1);
    expect((await loads([oneRow('deals.csv', MAPPED, { Value: '-1e15', Close: '1900-01-01' })], { mapping: MAPPING, format: 'mapped' })).counts.deals).toBe(1);
  });
});

describe('the snapshot date asked for', () => {
  it.each(['2026-02-30', '0001-01-01', '2200-01-01', '1899-12-31T23:59:59Z', '2026-11-20T24:00:00Z', '2026-13-01', 'yesterday', '20261120'])(
    'refuses as_of=%s',
    async (asOf) => {
      const db = await memoryDb();
      const err = await ingest(db, [oneRow('Opportunity.csv', SALESFORCE)], { settings: DEFAULT_SETTINGS, asOf }).catch((e) => e);
      expect(err).toBeInstanceOf(BadParameterError);
      expect(err.parameter).toBe('as_of');
      db.close();
    }
  );

  it('reads ISO dates and times, without an offset as UTC', () => {
    expect(parseInstant('2026-11-20')?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(parseInstant('2026-11-20 08:30')?.toISOString()).toBe('2026-11-20T08:30:00.000Z');
    expect(parseInstant('2026-11-20T08:30:15.250Z')?.toISOString()).toBe('2026-11-20T08:30:15.250Z');
    expect(parseInstant('2026-11-20T08:30:00+02:00')?.toISOString()).toBe('2026-11-20T06:30:00.000Z');
    expect(parseInstant('2024-02-29T00:00:00-0130')?.toISOString()).toBe('2024-02-29T01:30:00.000Z');
    expect(parseInstant('1900-01-01')?.toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(parseInstant('2199-12-31T23:59:59Z')?.toISOString()).toBe('2199-12-31T23:59:59.000Z');
    expect(parseInstant('1900-01-01T00:30:00+01:00')).toBeNull();
  });

  it('tells calendar dates from impossible ones', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'].map(isCalendarDate)).toEqual([true, true, true, true]);
    expect(['2024-02-31', '2100-02-29', '2026-04-31', '2026-00-10', '2026-1-1', '2026-01-01T00:00'].map(isCalendarDate)).toEqual([false, false, false, false, false, false]);
  });
});
