/**
 * Random and mutated exports: each is either loaded or rejected with reasons; nothing
 * else escapes (no crash, no 500-style error), and a rejection writes nothing.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { RejectedFileError, UploadTooLargeError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import { deleteSnapshot } from '../../../analytics/storage/snapshots';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, dumpTables, memoryDb } from '../../helpers';

const BASE = readFileSync(join(FIXTURES, 'overview/Opportunity.csv'));
const RATES = readFileSync(join(FIXTURES, 'overview/CurrencyType.csv'));
const enc = (s: string) => new TextEncoder().encode(s);
const splice = (b: Uint8Array, at: number, remove: number, insert: Uint8Array) =>
  new Uint8Array([...b.subarray(0, at), ...insert, ...b.subarray(Math.min(b.length, at + remove))]);

const nasty = fc.constantFrom(
  '"', '""', ',', '\r', '\n', '\r\n', '\0', '\u00ff', '\u0085', '=cmd|"/c calc"!A1', '+SUM(A1)', '@import', '-2+3',
  '<script>alert(1)</script>', "'; DROP TABLE deals; --", 'x'.repeat(70000), '\u202e', '\ufeff', '\x1b[31m'
);

const mutation = fc.oneof(
  fc.nat().map((n) => (b: Uint8Array) => b.subarray(0, n % b.length)), // truncated anywhere
  fc.tuple(fc.nat(), nasty).map(([n, s]) => (b: Uint8Array) => splice(b, n % b.length, 0, enc(s))), // text inserted
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([n, k]) => (b: Uint8Array) => splice(b, n % b.length, k, new Uint8Array())), // bytes removed
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([n, bytes]) => (b: Uint8Array) => splice(b, n % b.length, 0, bytes)), // raw bytes, any encoding
  fc.nat().map((n) => (b: Uint8Array) => {
    const lines = new TextDecoder().decode(b).split('\n');
    const i = 1 + (n % (lines.length - 2));
    return enc([...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n')); // duplicate id
  }),
  fc.nat().map((n) => (b: Uint8Array) => enc(new TextDecoder().decode(b).replace(/\n/g, (m) => (n++ % 3 === 0 ? '\r\n' : n % 3 === 1 ? '\r' : m)))), // mixed line ends
  fc.uint8Array({ maxLength: 400 }).map((bytes) => () => bytes) // anything at all
);

describe('hostile input', () => {
  let db: Database;
  let empty: unknown;
  beforeAll(async () => {
    db = await memoryDb();
    empty = JSON.parse(await dumpTables(db)).out;
  });
  afterAll(() => db.close());

  it('loads or rejects every mutated export, and a rejection leaves the database as it was', async () => {
    let loaded = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, withRates) => {
        const bytes = mutations.reduce<Uint8Array>((b, m) => m(b), new Uint8Array(BASE));
        const files = [{ name: 'Opportunity.csv', bytes }, ...(withRates ? [{ name: 'CurrencyType.csv', bytes: RATES }] : [])];
        try {
          const { snapshot } = await ingest(db, files, { settings: DEFAULT_SETTINGS, asOf: '2024-08-15' });
          loaded++;
          expect(snapshot.counts.deals).toBeLessThanOrEqual(20);
          await deleteSnapshot(db, snapshot.snapshot_id);
        } catch (err) {
          if (!(err instanceof RejectedFileError || err instanceof UploadTooLargeError)) throw err;
          rejected++;
          for (const p of (err as RejectedFileError).problems ?? []) expect(p.reason.length).toBeGreaterThan(0);
        }
        expect(JSON.parse(await dumpTables(db)).out).toEqual(empty);
      }),
      { numRuns: 150, seed: 20261122 }
    );
    expect(loaded).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });
});
