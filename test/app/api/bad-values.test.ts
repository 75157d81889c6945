/**
 * Values and parameters that used to answer 500 answer 4xx (or 507) with a reason: an upload
 * holding values no CRM produces, impossible dates, snapshot ids such as 1e21, empty CSVs at
 * the mapping step, mapping rules nested a thousand deep, and a full disk. Nothing is written
 * by any of them.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../analytics/db';
import { dumpTables, tempWorkspaces } from '../../helpers';

const HEADER = '"Id","StageName","Amount","CloseDate","CreatedDate"';
const opportunities = (...rows: string[]) => new File([[HEADER, ...rows].join('\n') + '\n'], 'Opportunity.csv');
const GOOD = '"X1","Prospecting","5000","2026-12-15","2026-10-01 10:00:00"';

function form(files: File[], fields: Record<string, string> = {}) {
  const body = new FormData();
  for (const f of files) body.append('files', f);
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

/** Every stored row (sequences aside: a rolled-back write may have drawn a number, as in any database). */
const stored = async (db: Database) => JSON.parse(await dumpTables(db, ['audit_log'])).out;

/** A mapping whose won rule is `depth` rules deep (not inside not …). */
function deepMapping(depth: number): string {
  let rule: object = { column: 'Result', equals: 'Won' };
  for (let i = 1; i < depth; i++) rule = { not: rule };
  return JSON.stringify({ deals: { columns: { deal_id: 'Id', stage: 'Stage' }, outcome: { won: rule } } });
}

describe('bad values and parameters over HTTP', () => {
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  let cleanup: () => Promise<void>;
  let db: Database;
  let before: unknown;
  beforeAll(async () => {
    const workspaces = await tempWorkspaces();
    ({ api, cleanup } = workspaces);
    const first = await api.request('/api/snapshots?as_of=2026-11-20', { method: 'POST', body: form([opportunities(GOOD)]) });
    expect(first.status).toBe(201);
    db = await workspaces.defaultDb();
    before = await stored(db);
  });
  afterAll(() => cleanup());
  afterEach(async () => {
    vi.restoreAllMocks();
    expect(await stored(db)).toEqual(before);
  });

  it.each([
    ['a close date in year 10000', '"X2","Prospecting","5000","10000-01-01","2026-10-01 10:00:00"', 'CloseDate', 'out of range, not a date from 1900-01-01 to 2199-12-31: "10000-01-01"'],
    ['an amount of 2·10^16', '"X2","Prospecting","20000000000000000","2026-12-15","2026-10-01 10:00:00"', 'Amount', 'out of range, not a finite number from -10^15 to 10^15: "20000000000000000"'],
    ['a NaN amount', '"X2","Prospecting","NaN","2026-12-15","2026-10-01 10:00:00"', 'Amount', 'out of range, not a finite number from -10^15 to 10^15: "NaN"'],
    ['an amount of Infinity', '"X2","Prospecting","Infinity","2026-12-15","2026-10-01 10:00:00"', 'Amount', 'out of range, not a finite number from -10^15 to 10^15: "Infinity"'],
    ['an amount of 1e309', '"X2","Prospecting","1e309","2026-12-15","2026-10-01 10:00:00"', 'Amount', 'out of range, not a finite number from -10^15 to 10^15: "1e309"']
  ])('refuses an upload with %s: 422 with file, line, column and reason', async (_, row, column, reason) => {
    const res = await api.request('/api/snapshots?as_of=2026-11-27', { method: 'POST', body: form([opportunities(GOOD, row)]) });
    expect(res.status).toBe(422);
    expect((await res.json()).problems).toEqual([{ file: 'Opportunity.csv', line: 3, column, reason }]);
  });

  it.each(['2026-02-30', '0001-01-01', '2200-01-01', 'soon'])('answers 400 to as_of=%s', async (asOf) => {
    const res = await api.request(`/api/snapshots?as_of=${asOf}`, { method: 'POST', body: form([opportunities(GOOD)]) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'bad parameter as_of: an ISO date or timestamp from 1900-01-01 to 2199-12-31 (2026-11-20, 2026-11-20T08:00:00Z)',
      parameter: 'as_of'
    });
  });

  it.each([
    ['win-rates', 'from=2024-02-31', 'from', 'bad parameter from: a date YYYY-MM-DD the calendar has'],
    ['forecast', 'to=2023-02-29', 'to', 'bad parameter to: a date YYYY-MM-DD the calendar has'],
    ['pipeline-changes', 'from=2024-04-31&to=2024-06-30', 'from', 'bad parameter from: a date YYYY-MM-DD the calendar has'],
    ['funnel', 'snapshot=1e21', 'snapshot', 'bad parameter snapshot: not found: snapshot 1e21'],
    ['funnel', 'snapshot=99999999999', 'snapshot', 'bad parameter snapshot: not found: snapshot 99999999999'],
    ['pipeline-changes', 'base=1e21', 'base', 'bad parameter base: a snapshot id'],
    ['pipeline-change-deals', 'bucket=start&base=1e21', 'base', 'bad parameter base: a snapshot id']
  ])('answers 400 to %s?%s', async (metric, query, parameter, error) => {
    const res = await api.request(`/api/metrics/${metric}?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error, parameter });
  });

  it.each([
    ['GET', '/api/snapshots/1e21'],
    ['GET', '/api/snapshots/1e21/quality'],
    ['DELETE', '/api/snapshots/1e21'],
    ['GET', '/api/snapshots/4294967297']
  ])('answers 404 to %s %s', async (method, path) => {
    const res = await api.request(path, { method });
    expect(res.status).toBe(404);
  });

  it.each([
    ['an empty CSV', '', 'the file is empty'],
    ['a CSV of blank lines', '\r\n\r\n', 'the file is empty'],
    ['a CSV of column names only', 'Deal ID,Stage,Amount\n', 'the file has column names but no rows: there is nothing to map']
  ])('refuses %s at the mapping step with 422', async (_, text, reason) => {
    const res = await api.request('/api/mappings/inspect', { method: 'POST', body: form([new File([text], 'deals.csv')]) });
    expect(res.status).toBe(422);
    expect((await res.json()).problems).toEqual([{ file: 'deals.csv', line: null, column: null, reason }]);
  });

  it('refuses mapping rules nested 1,000 deep, wherever the mapping comes, and reads them 20 deep', async () => {
    const deep = deepMapping(1000);
    const reason = 'rules nest at most 20 levels deep (all, any and not inside one another)';
    const column = `deals.outcome.won${'.not'.repeat(20)}`;
    const saved = await api.request('/api/mappings/deep', { method: 'PUT', body: deep, headers: { 'content-type': 'application/json' } });
    expect(saved.status).toBe(422);
    expect((await saved.json()).problems).toEqual([{ file: 'deep.json', line: null, column, reason }]);
    const deals = new File(['Id,Stage,Result\n1,Won,Won\n'], 'deals.csv');
    const inspected = await api.request('/api/mappings/inspect', { method: 'POST', body: form([deals], { mapping: deep }) });
    expect(inspected.status).toBe(422);
    expect((await inspected.json()).problems).toEqual([{ file: 'mapping', line: null, column, reason }]);
    const uploaded = await api.request('/api/snapshots?force=1', { method: 'POST', body: form([deals], { mapping: deep }) });
    expect(uploaded.status).toBe(422);
    const fine = await api.request('/api/mappings/inspect', { method: 'POST', body: form([deals], { mapping: deepMapping(20) }) });
    expect(fine.status).toBe(200);
    expect((await fine.json()).preview.rows).toHaveLength(1);
  });

  it('answers 507 when the disk is full while the snapshot is written, naming it, and writes nothing', async () => {
    const run = DuckDBConnection.prototype.run;
    vi.spyOn(DuckDBConnection.prototype, 'run').mockImplementation(async function (this: DuckDBConnection, sql: string, ...rest: unknown[]) {
      if (sql.trimStart().startsWith('INSERT INTO snapshots')) {
        // as DuckDB does on a failed write: the transaction is gone, and ROLLBACK finds none
        await run.call(this, 'ROLLBACK');
        throw new Error('IO Error: Could not write file "/data/pipelens.duckdb.wal": No space left on device');
      }
      return run.call(this, sql, ...(rest as []));
    });
    const res = await api.request('/api/snapshots?as_of=2026-11-27', { method: 'POST', body: form([opportunities(GOOD)]) });
    expect(res.status).toBe(507);
    expect(await res.json()).toEqual({
      error: 'the server could not write its data: its disk is full or not writable (nothing was saved); free some space and try again'
    });
  });
});
