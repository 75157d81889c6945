/**
 * Decompression and parsing amplification: small hostile uploads (many columns, a huge
 * value, many rows, ZIPs inflating past the upload's budget, an ingest past its time) are
 * refused early with the limit, the file and, where it applies, the line and column; and
 * nothing is written. Limits are lowered through the options where the real ones would
 * make the test slow.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { IngestStoppedError, RejectedFileError, UploadTooLargeError } from '../../../analytics/errors';
import { ingest, type IngestOptions } from '../../../analytics/ingest/ingest';
import { expandInputs, type InputFile } from '../../../analytics/ingest/inputs';
import { MAX_CELL_BYTES, uploadLimits } from '../../../analytics/ingest/limits';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { dumpTables, memoryDb, syntheticOpportunities, zipBytes } from '../../helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const HEADER = 'Id,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon';
const ROW = 'X1,Prospecting,1000,2024-05-01,2024-01-01 10:00:00,0,0';
const csv = (name: string, lines: string[]): InputFile => ({ name, bytes: enc(lines.join('\n') + '\n') });
/** `columns` columns: the Salesforce ones, then x8, x9… */
const wide = (name: string, columns: number) => {
  const extra = Array.from({ length: columns - 7 }, (_, i) => `x${i + 8}`);
  return csv(name, [[HEADER, ...extra].join(','), [ROW, ...extra.map(() => '')].join(',')]);
};

async function failure(db: Database, files: InputFile[], opts: IngestOptions = {}): Promise<Error> {
  return ingest(db, files, { settings: DEFAULT_SETTINGS, asOf: '2024-06-01', ...opts }).then(
    () => {
      throw new Error('expected the upload to be refused');
    },
    (e: Error) => e
  );
}

describe('upload limits', () => {
  let db: Database;
  let before: string;
  beforeAll(async () => {
    db = await memoryDb();
    before = await dumpTables(db);
  });
  afterAll(() => db.close());

  it('refuses a CSV of 1,001 columns on its header, read or not, and loads one of 1,000', async () => {
    for (const files of [[wide('Opportunity.csv', 1001)], [csv('Opportunity.csv', [HEADER, ROW]), wide('notes.csv', 1001)]]) {
      const err = (await failure(db, files)) as RejectedFileError;
      expect(err).toBeInstanceOf(RejectedFileError);
      expect(err.problems).toEqual([{ file: files.at(-1)!.name, line: 1, column: null, reason: 'more than 1000 columns (the most a file may have)' }]);
    }
    expect(await dumpTables(db)).toBe(before);
    const other = await memoryDb();
    const { snapshot } = await ingest(other, [wide('Opportunity.csv', 1000)], { settings: DEFAULT_SETTINGS, asOf: '2024-06-01' });
    expect(snapshot.counts.deals).toBe(1);
    other.close();
  });

  it('refuses a value longer than 1 MB with its line and column', async () => {
    const long = `X2,Prospecting,${'9'.repeat(MAX_CELL_BYTES + 1)},2024-05-01,2024-01-01 10:00:00,0,0`;
    const err = (await failure(db, [csv('Opportunity.csv', [HEADER, ROW, long])])) as RejectedFileError;
    expect(err.problems).toEqual([{ file: 'Opportunity.csv', line: 3, column: 'Amount', reason: 'a value longer than 1 MB (the most a cell may hold)' }]);
    expect(await dumpTables(db)).toBe(before);
  });

  it('refuses a file of more rows than max_rows at the first row past it', async () => {
    const err = (await failure(db, [csv('Opportunity.csv', [HEADER, ROW, ROW.replace('X1', 'X2'), ROW.replace('X1', 'X3'), ROW.replace('X1', 'X4')])], { limits: { rows: 3 } })) as RejectedFileError;
    expect(err.problems).toEqual([{ file: 'Opportunity.csv', line: 5, column: null, reason: 'more than 3 rows (setting max_rows: the most a file may hold)' }]);
    expect(await dumpTables(db)).toBe(before);
  });

  it('counts what every ZIP of an upload inflates to against one budget (413 naming the file)', async () => {
    const zip = (name: string) => ({ name, bytes: zipSync({ 'Opportunity.csv': syntheticOpportunities(1000, name) }) });
    expect(syntheticOpportunities(1000, 'a.zip').length).toBe(72_955); // in a ZIP of under 5 KB
    const limits = uploadLimits(DEFAULT_SETTINGS, { inflatedBytes: 100_000 });
    const [a, b] = [zip('a.zip'), zip('b.zip')];
    expect(expandInputs([a], limits)).toHaveLength(1); // each alone is within the budget
    expect(expandInputs([b], limits)).toHaveLength(1);
    const err = (await failure(db, [a, b], { limits })) as UploadTooLargeError;
    expect(err).toBeInstanceOf(UploadTooLargeError);
    expect(err.kind).toBe('too-large');
    expect(err.message).toBe('b.zip: the upload inflates to more than 100000 bytes (setting max_inflated_bytes)');
    expect(await dumpTables(db)).toBe(before);
  });

  it('refuses a ZIP on the sizes it declares, before inflating anything', () => {
    // a 4 GB declaration in a ZIP of a few hundred bytes: inflating it would show the lie (422); the budget refuses it first
    const liar = zipBytes([{ name: 'Opportunity.csv', data: enc(`${HEADER}\n${ROW}\n`), size: 0xf0000000 }]);
    expect(() => expandInputs([{ name: 'liar.zip', bytes: liar }])).toThrow('liar.zip: the upload inflates to more than 2 GB (setting max_inflated_bytes)');
  });

  it('stops an ingest past its time limit, answering why, and writes nothing', async () => {
    const err = await failure(db, [{ name: 'Opportunity.csv', bytes: syntheticOpportunities(20_000, 'T') }], { limits: { timeoutMs: 1 } });
    expect(err).toBeInstanceOf(IngestStoppedError);
    expect((err as IngestStoppedError).kind).toBe('unavailable');
    expect(err.message).toBe('upload stopped, nothing written: it took longer than the 0.001 s an upload may take (setting ingest_timeout_seconds)');
    expect(await dumpTables(db)).toBe(before);
  });

  it('stops an ingest when its caller gives up, interrupting DuckDB mid-query, and writes nothing', async () => {
    const bytes = syntheticOpportunities(300_000, 'S');
    const caller = new AbortController();
    const started = Date.now();
    setTimeout(() => caller.abort(), 300);
    const err = await failure(db, [{ name: 'Opportunity.csv', bytes }], { signal: caller.signal });
    expect(err).toBeInstanceOf(IngestStoppedError);
    expect(err.message).toBe('upload stopped, nothing written: the client went away or the server is stopping');
    expect(Date.now() - started).toBeLessThan(10_000); // loading it whole takes 10 to 30 s here
    expect(await dumpTables(db)).toBe(before);
  });

  it('interrupts the query running when the signal aborts', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const started = Date.now();
    const err = await db.exclusive((conn) => conn.run('SELECT sum(i * i) FROM range(1000000000000) r(i)'), stop.signal).catch((e: Error) => e);
    expect(String(err)).toMatch(/interrupt/i);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(db.exclusive(async () => 'next', stop.signal)).rejects.toThrow(); // aborted: not started
    expect(await db.exclusive(async () => 'next')).toBe('next');
  });
});
