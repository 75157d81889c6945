/**
 * XLSX → CSV on workbooks written by hand (test/fixtures/xlsx/make.ts, see the fixtures'
 * README): the CSV is compared with text written out here, then read by the ingest's own
 * CSV scanner and by DuckDB with the ingest's read_csv options.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { zipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCsv } from '../../../analytics/ingest/csv-scan';
import { XlsxError, dateKindOf, formatNumber, formatSerial, isXlsx, xlsxToCsv, type XlsxOptions } from '../../../analytics/ingest/xlsx';
import { FIXTURES, tempDir } from '../../helpers';

const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, 'xlsx', name)));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const enc = (s: string) => new TextEncoder().encode(s);

function xlsxError(bytes: Uint8Array, opts?: XlsxOptions): XlsxError {
  try {
    xlsxToCsv(bytes, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(XlsxError);
    return err as XlsxError;
  }
  throw new Error('expected an XlsxError');
}

/** A minimal workbook of one sheet, from the parts given (others as Excel writes them). */
function book(sheetData: string, parts: Record<string, string> = {}, sheetXml?: string): Uint8Array {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files: Record<string, string> = {
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': sheetXml ?? `<worksheet ${ns}><sheetData>${sheetData}</sheetData></worksheet>`,
    ...parts
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, enc(v)])));
}

const DEALS_CSV = [
  'Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,"Date entered ""Qualified to buy (Sales Pipeline)"""',
  '10001,"Acme, Inc. – Renewal",Qualified to buy,Sales Pipeline,12500,2024-06-30,2024-01-15 12:34:56,2024-01-19 09:00:00',
  '10002,"Big ""Enterprise"" deal",Closed won,Sales Pipeline,1234.56,2024-07-27,2024-01-01 00:00:00,',
  '10003,"Multi-line\nname",Appointment scheduled,Sales Pipeline,,2024-12-31,2024-11-04 12:00:00,2024-11-05 23:59:59',
  '10004,  Tiny deal ,Closed lost,Sales Pipeline,0.3,2024-05-01,2024-04-01 00:00:01,2024-04-02 23:59:59',
  '',
  '10005,Gap row,,,,2025-01-01,,',
  ''
].join('\n');

const TYPES_CSV = [
  'Note,Value',
  'boolean true,TRUE',
  'boolean false,FALSE',
  'error,#N/A',
  'rich text,Bold and plain',
  'escaped CR,"line one\r\nline two"',
  'tiny,0.0000001',
  'big integer,12345678901234',
  'negative,-0.5',
  'percent,0.25',
  'time of day,18:00:00',
  'elapsed,1.5',
  'quoted Q format,3',
  'ISO date cell,2024-03-05 14:30:00',
  'no reference,42',
  ''
].join('\n');

describe('xlsxToCsv on a HubSpot-like deals export', () => {
  const deals = fixture('hubspot-deals.xlsx');

  it('writes the first sheet as exactly the expected CSV', () => {
    expect(text(xlsxToCsv(deals))).toBe(DEALS_CSV);
  });

  it('writes a sheet named by the caller, case aside', () => {
    expect(text(xlsxToCsv(deals, { sheet: 'Cell types' }))).toBe(TYPES_CSV);
    expect(text(xlsxToCsv(deals, { sheet: 'cell TYPES' }))).toBe(TYPES_CSV);
    expect(text(xlsxToCsv(deals, { sheet: 'Deals' }))).toBe(DEALS_CSV);
  });

  it('is read unchanged by the CSV scanner: header, records, and lines as in the sheet', () => {
    const scan = scanCsv(xlsxToCsv(deals));
    expect(scan.problems).toEqual([]);
    expect(scan.header).toEqual([
      'Record ID', 'Deal Name', 'Deal Stage', 'Pipeline', 'Amount', 'Close Date', 'Create Date',
      'Date entered "Qualified to buy (Sales Pipeline)"'
    ]);
    // sheet rows 2, 3, 4 (two lines), 5, blank row 6, 7 → lines 2, 3, 4, 6, 8
    expect([...scan.recordLines]).toEqual([2, 3, 4, 6, 8]);
  });

  it('is read by DuckDB with the ingest options into typed values', async () => {
    const { dir, cleanup } = tempDir();
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const path = join(dir, 'deals.csv');
      writeFileSync(path, xlsxToCsv(deals));
      const columns = Array.from({ length: 8 }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
      const reader = await conn.runAndReadAll(
        `SELECT c0::BIGINT AS id, c1, c4::DOUBLE AS amount, c5::DATE::VARCHAR AS close, c6::TIMESTAMP::VARCHAR AS created
         FROM read_csv($path, header = true, auto_detect = false, columns = {${columns}},
                       delim = ',', quote = '"', escape = '"', strict_mode = false)`,
        { path }
      );
      expect(reader.getRowObjectsJS()).toEqual([
        { id: 10001n, c1: 'Acme, Inc. – Renewal', amount: 12500, close: '2024-06-30', created: '2024-01-15 12:34:56' },
        { id: 10002n, c1: 'Big "Enterprise" deal', amount: 1234.56, close: '2024-07-27', created: '2024-01-01 00:00:00' },
        { id: 10003n, c1: 'Multi-line\nname', amount: null, close: '2024-12-31', created: '2024-11-04 12:00:00' },
        { id: 10004n, c1: '  Tiny deal ', amount: 0.3, close: '2024-05-01', created: '2024-04-01 00:00:01' },
        { id: 10005n, c1: 'Gap row', amount: null, close: '2025-01-01', created: null }
      ]);
    } finally {
      conn.closeSync();
      instance.closeSync();
      cleanup();
    }
  });

  it('reads 1904-system dates, inline strings without a shared-strings part, a header below row 1', () => {
    expect(text(xlsxToCsv(fixture('dates-1904.xlsx')))).toBe(
      'Close Date,Create Date\n1904-01-01,1904-01-01 12:00:00\n2024-01-15,2024-01-15 18:00:00\n'
    );
  });

  it('pads short rows to the header and keeps values past it for the scanner to report', () => {
    const csv = text(
      xlsxToCsv(
        book(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>' +
            '<row r="2"><c r="A2"><v>1</v></c></row>' +
            '<row r="3"><c r="A3"><v>1</v></c><c r="C3"><v>3</v></c></row>'
        )
      )
    );
    expect(csv).toBe('a,b\n1,\n1,,3\n');
    expect(scanCsv(enc(csv)).problems).toHaveLength(1);
  });
});

describe('values', () => {
  it('dates in the 1900 system, its phantom 1900-02-29 included', () => {
    expect(formatSerial(1, 'date', false)).toBe('1900-01-01');
    expect(formatSerial(59, 'date', false)).toBe('1900-02-28');
    expect(formatSerial(60, 'date', false)).toBe('1900-02-29');
    expect(formatSerial(61, 'date', false)).toBe('1900-03-01');
    expect(formatSerial(45292, 'date', false)).toBe('2024-01-01');
    expect(formatSerial(2958465, 'date', false)).toBe('9999-12-31');
    expect(formatSerial(2958466, 'date', false)).toBeNull();
    expect(formatSerial(-1, 'date', false)).toBeNull();
  });

  it('dates in the 1904 system', () => {
    expect(formatSerial(0, 'date', true)).toBe('1904-01-01');
    expect(formatSerial(45292 - 1462, 'datetime', true)).toBe('2024-01-01 00:00:00');
  });

  it('every second of a day comes back as written, from the 17 digits Excel stores', () => {
    const wrong: string[] = [];
    for (let s = 0; s < 86400; s++) {
      const stored = Number((45306 + s / 86400).toPrecision(17));
      const want = `2024-01-15 ${[Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':')}`;
      const got = formatSerial(stored, 'datetime', false);
      if (got !== want) wrong.push(`${s}: ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(formatSerial(45306.9999999, 'datetime', false)).toBe('2024-01-16 00:00:00');
  });

  it('numbers: shortest round trip, Excel’s 15 digits for fractions, integers exact, no exponent', () => {
    expect(formatNumber(1234.5599999999999)).toBe('1234.56');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(2 ** 53)).toBe('9007199254740992');
    expect(formatNumber(123456789.12345679)).toBe('123456789.123457');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(-1.5e-7)).toBe('-0.00000015');
    expect(formatNumber(1e-40)).toBe('1e-40');
  });

  it('tells date, date-time, time and non-date format codes apart', () => {
    expect(dateKindOf('yyyy-mm-dd')).toBe('date');
    expect(dateKindOf('mmm yy')).toBe('date');
    expect(dateKindOf('[$-409]m/d/yy h:mm AM/PM;@')).toBe('datetime');
    expect(dateKindOf('dd/mm/yyyy\\ hh:mm')).toBe('datetime');
    expect(dateKindOf('h:mm')).toBe('time');
    expect(dateKindOf('mm:ss')).toBe('time');
    expect(dateKindOf('[h]:mm:ss')).toBeNull();
    expect(dateKindOf('#,##0.00 "days"')).toBeNull();
    expect(dateKindOf('[Red]0.00;[Blue]-0.00')).toBeNull();
    expect(dateKindOf('General')).toBeNull();
    expect(dateKindOf('0.00E+00')).toBeNull();
  });
});

describe('isXlsx', () => {
  it('by name, or by what is inside', () => {
    expect(isXlsx('deals.xlsx', fixture('hubspot-deals.xlsx'))).toBe(true);
    expect(isXlsx('upload', fixture('hubspot-deals.xlsx'))).toBe(true);
    expect(isXlsx('Deals.XLSM', enc('anything'))).toBe(true);
    expect(isXlsx('upload', fixture('encrypted.xlsx'))).toBe(true);
    expect(isXlsx('export.zip', zipSync({ 'Opportunity.csv': enc('Id\n1\n') }))).toBe(false);
    expect(isXlsx('Opportunity.csv', enc('Id\n1\n'))).toBe(false);
    expect(isXlsx('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe(false);
  });
});

describe('errors, each a reason for { file, line: null, column: null }', () => {
  it('a file that is not a workbook', () => {
    const err = xlsxError(fixture('not-a-workbook.xlsx'));
    expect(err.kind).toBe('not-xlsx');
    expect(err.rejection).toBe('unsupported');
    expect(err.problem('deals.xlsx')).toEqual({ file: 'deals.xlsx', line: null, column: null, reason: 'not an XLSX workbook (not a ZIP archive)' });
    expect(xlsxError(zipSync({ 'Opportunity.csv': enc('Id\n1\n') })).reason).toBe('not an XLSX workbook (a ZIP archive without a workbook)');
  });

  it('a password-protected workbook (an encrypted OLE container)', () => {
    const err = xlsxError(fixture('encrypted.xlsx'));
    expect(err.kind).toBe('encrypted');
    expect(err.rejection).toBe('unsupported');
    expect(err.reason).toMatch(/password-protected/);
  });

  it('an Excel 97-2003 file', () => {
    const xls = new Uint8Array(1536);
    xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(xlsxError(xls).kind).toBe('legacy-xls');
  });

  it('a truncated or damaged workbook', () => {
    const deals = fixture('hubspot-deals.xlsx');
    expect(xlsxError(deals.subarray(0, deals.length >> 1)).kind).toBe('corrupt');
    const damaged = book('<row r="1"><c r="A1"><v>1</v></c>'); // row never closed
    const err = xlsxError(damaged);
    expect(err.kind).toBe('corrupt');
    expect(err.reason).toMatch(/^unreadable XLSX \(worksheet: /);
    expect(xlsxError(book('<row r="1"><c r="A1" t="s"><v>7</v></c></row>')).reason).toBe('unreadable XLSX (shared string 7 does not exist)');
  });

  it('an empty sheet, and a workbook without sheets', () => {
    const err = xlsxError(fixture('empty-sheet.xlsx'));
    expect(err.kind).toBe('empty');
    expect(err.reason).toBe('sheet "Sheet1" is empty');
    const noSheets = book('', { 'xl/workbook.xml': '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>' });
    expect(xlsxError(noSheets).reason).toBe('workbook has no sheets');
  });

  it('a sheet that does not exist', () => {
    expect(xlsxError(fixture('hubspot-deals.xlsx'), { sheet: 'Contacts' }).reason).toBe('no sheet named "Contacts" (sheets: "Deals", "Cell types")');
  });

  it('a DTD (entity expansion) is refused', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    const sheetXml = `${laughs}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>`;
    const err = xlsxError(book('', {}, sheetXml));
    expect(err.kind).toBe('corrupt');
    expect(err.reason).toMatch(/DOCTYPE/);
  });

  it('a sheet inflating past the limit (a ZIP bomb) is refused before it is inflated', () => {
    const padding = ' '.repeat(8 * 1024 * 1024); // 8 MiB of XML white space, a few KiB zipped
    const bomb = book('', {}, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${padding}<sheetData/></worksheet>`);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const err = xlsxError(bomb, { maxSheetBytes: 1024 * 1024 });
    expect(err.kind).toBe('too-large');
    expect(err.rejection).toBe('rejected');
    expect(err.reason).toMatch(/^xl\/worksheets\/sheet1\.xml inflates to \d+ bytes, more than the 1048576 allowed$/);
    expect(xlsxError(bomb, { maxUnzippedBytes: 4 * 1024 * 1024 }).reason).toMatch(/^workbook inflates to more than/);
  });

  it('a shared string or a cell longer than a cell may hold, or too many shared strings, is refused', () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const cell = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>';
    const long = book(cell, { 'xl/sharedStrings.xml': `<sst ${ns}><si><t>${'x'.repeat(2000)}</t></si></sst>` });
    expect(xlsxError(long, { maxCellChars: 1000 }).reason).toBe('shared string 0 is longer than 1000 characters (the most a cell may hold)');
    // a text far past the limit is refused before saxes gathers it whole (a 206 KB workbook once held one of 200 MB)
    const huge = book(cell, { 'xl/sharedStrings.xml': `<sst ${ns}><si><t>${'x'.repeat(3 * 1024 * 1024)}</t></si></sst>` });
    expect(xlsxError(huge, { maxCellChars: 100_000 }).reason).toBe('sharedStrings: a text longer than 100000 characters (the most a cell may hold)');
    const inline = book(`<row r="3"><c r="B3" t="inlineStr"><is><t>${'y'.repeat(2000)}</t></is></c></row>`);
    expect(xlsxError(inline, { maxCellChars: 1000 }).reason).toBe('row 3, column 2: a cell longer than 1000 characters (the most a cell may hold)');
    const many = book(cell, { 'xl/sharedStrings.xml': `<sst ${ns}>${'<si><t>a</t></si>'.repeat(11)}</sst>` });
    const err = xlsxError(many, { maxSharedStrings: 10 });
    expect([err.kind, err.reason]).toEqual(['too-large', 'more than 10 shared strings (the most a workbook may hold)']);
    expect(text(xlsxToCsv(many, { maxSharedStrings: 11 }))).toBe('a\n');
  });

  it('a part whose bytes fail its CRC-32 is refused as damaged', () => {
    const workbook = book('<row r="1"><c r="A1" t="inlineStr"><is><t>Amount 5000</t></is></c></row>');
    const altered = new Uint8Array(workbook);
    // fflate stores nothing it cannot shrink: find the sheet's deflated bytes by its local header and flip one
    const sheet = Buffer.from(altered).indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    altered[sheet + 10] ^= 0x01;
    expect(xlsxError(altered).reason).toMatch(/^unreadable XLSX \(xl\/worksheets\/sheet1\.xml/);
  });

  it('a sheet whose CSV would pass the limit (one long shared string in many cells)', () => {
    const long = 'x'.repeat(64 * 1024);
    const cells = Array.from({ length: 64 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>0</v></c></row>`).join('');
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${long}</t></si></sst>`;
    const err = xlsxError(book(cells, { 'xl/sharedStrings.xml': sst }), { maxCsvBytes: 1024 * 1024 });
    expect(err.kind).toBe('too-large');
    expect(err.reason).toBe('sheet converts to more than the 1048576 bytes of CSV allowed');
  });
});

