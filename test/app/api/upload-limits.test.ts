/**
 * Upload limits and integrity at the HTTP edge: a ZIP that lies about an entry is 422, an
 * upload past a shape limit 422 naming file and line, past the inflation budget 413, and an
 * upload whose client went away (or whose server is stopping) 503; each writes nothing.
 */
import { zipSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { dumpTables, syntheticOpportunities, tempWorkspaces, zipBytes } from '../../helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const HEADER = 'Id,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon';
const opportunities = (amount: number) => enc(`${HEADER}\nX1,Prospecting,${amount},2024-05-01,2024-01-01 10:00:00,0,0\n`);

function form(files: { name: string; bytes: Uint8Array<ArrayBuffer> }[]) {
  const body = new FormData();
  for (const f of files) body.append('files', new File([f.bytes], f.name));
  return body;
}

describe('upload limits and ZIP integrity through the API', () => {
  let env: Awaited<ReturnType<typeof tempWorkspaces>>;
  let db: Database;
  let before: string;
  beforeAll(async () => {
    env = await tempWorkspaces({ settings: { max_inflated_bytes: 100_000 } });
    await env.api.request('/api/snapshots'); // opens the default workspace
    db = await env.defaultDb();
    before = await dumpTables(db);
  });
  afterAll(() => env.cleanup());

  const post = (files: { name: string; bytes: Uint8Array<ArrayBuffer> }[], bindings?: { signal: AbortSignal }) =>
    env.api.request('/api/snapshots?as_of=2024-06-01', { method: 'POST', body: form(files) }, bindings);

  it('answers 422 to a ZIP entry failing its CRC-32', async () => {
    const res = await post([{ name: 'export.zip', bytes: zipBytes([{ name: 'Opportunity.csv', data: opportunities(9000), crc: crc32(opportunities(5000)) }]) }]);
    expect(res.status).toBe(422);
    expect((await res.json()).problems).toEqual([
      { file: 'export.zip', line: null, column: null, reason: 'damaged ZIP entry: Opportunity.csv fails its CRC-32 check (damaged or altered)' }
    ]);
    expect(await dumpTables(db)).toBe(before);
  });

  it('answers 422 to a CSV of 1,001 columns, naming the file and the line', async () => {
    const header = [HEADER, ...Array.from({ length: 994 }, (_, i) => `x${i}`)].join(',');
    const res = await post([{ name: 'Opportunity.csv', bytes: enc(`${header}\n`) }]);
    expect(res.status).toBe(422);
    expect((await res.json()).problems).toEqual([{ file: 'Opportunity.csv', line: 1, column: null, reason: 'more than 1000 columns (the most a file may have)' }]);
    const inspect = await env.api.request('/api/mappings/inspect', { method: 'POST', body: form([{ name: 'deals.csv', bytes: enc(`${header}\n`) }]) });
    expect(inspect.status).toBe(422);
    expect(await dumpTables(db)).toBe(before);
  });

  it('answers 413 to two ZIPs inflating past max_inflated_bytes together', async () => {
    const zip = (name: string) => ({ name, bytes: zipSync({ 'Opportunity.csv': syntheticOpportunities(1000, name) }) as Uint8Array<ArrayBuffer> });
    const res = await post([zip('a.zip'), zip('b.zip')]);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('b.zip: the upload inflates to more than 100000 bytes (setting max_inflated_bytes)');
    expect(await dumpTables(db)).toBe(before);
  });

  it('answers 503 to an upload whose client went away or whose server is stopping, and writes nothing', async () => {
    const stop = new AbortController();
    stop.abort();
    const res = await post([{ name: 'Opportunity.csv', bytes: opportunities(5000) }], { signal: stop.signal });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe('upload stopped, nothing written: the client went away or the server is stopping');
    expect(await dumpTables(db)).toBe(before);
    expect((await post([{ name: 'Opportunity.csv', bytes: opportunities(5000) }])).status).toBe(201);
  });
});
