import { describe, expect, it } from 'vitest';
import { scanCsv as scanBytes } from '../../../analytics/ingest/csv-scan';

const scanCsv = (text: string) => scanBytes(new TextEncoder().encode(text));

describe('scanCsv', () => {
  it('reads the header and the line each record starts on, across quoted newlines', () => {
    const scan = scanCsv('Id,Name\r\n1,"two\nlines"\n\n2,plain\n');
    expect(scan.header).toEqual(['Id', 'Name']);
    expect(scan.records).toBe(2);
    expect([...scan.recordLines]).toEqual([2, 5]);
    expect(scan.problems).toEqual([]);
  });

  it('accepts doubled quotes inside quoted fields and a last line without newline', () => {
    const scan = scanCsv('a,b\n"say ""hi""",x');
    expect(scan.records).toBe(1);
    expect(scan.problems).toEqual([]);
  });

  it('reports a row with too few fields by its line', () => {
    const scan = scanCsv('a,b,c\n1,2,3\n4,5\n');
    expect(scan.problems).toEqual([{ line: 3, column: null, reason: 'expected 3 fields, found 2 (row cut short?)' }]);
  });

  it('lets a record leave out the header\'s trailing unnamed columns, and only those', () => {
    const scan = scanCsv('a,b,,\n1,2,,\n3,4,\n5,6\n7\n');
    expect(scan.header).toEqual(['a', 'b', '', '']);
    expect([scan.records, scan.shortRecords]).toEqual([4, 2]);
    expect(scan.problems).toEqual([{ line: 5, column: null, reason: 'expected 4 fields, found 1 (row cut short?)' }]);
    // an unnamed column before a named one is no tail
    expect(scanCsv('a,,b\n1,2\n').problems).toEqual([{ line: 2, column: null, reason: 'expected 3 fields, found 2 (row cut short?)' }]);
  });

  it('reports a file truncated inside a quoted field', () => {
    const scan = scanCsv('a,b\n1,"unfinished\nmore');
    expect(scan.problems).toEqual([{ line: 2, column: 'b', reason: 'unterminated quoted field (file truncated?)' }]);
  });

  it('unescapes doubled quotes in header names', () => {
    expect(scanCsv('"a ""b"" c",d\n1,2\n').header).toEqual(['a "b" c', 'd']);
  });

  it('reports text after a closing quote', () => {
    const scan = scanCsv('a,b\n"x"y,2\n');
    expect(scan.problems[0]).toEqual({ line: 2, column: 'a', reason: 'unexpected character after closing quote' });
  });

  it('reports a record longer than DuckDB reads', () => {
    // ten values within the 1 MB a value may hold, 9.5 MB together
    const scan = scanCsv(`a,b,c,d,e,f,g,h,i,j\n${Array(10).fill('x'.repeat(950_000)).join(',')}\n${'1,'.repeat(9)}1\n`);
    expect(scan.problems).toEqual([{ line: 2, column: null, reason: 'record longer than 8 MB' }]);
    expect(scan.limit).toBeNull();
  });
});
