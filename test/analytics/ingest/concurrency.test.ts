/**
 * Uploads queue behind one another, and a read during an upload sees the database
 * before or after it, never half of it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { ingest } from '../../../analytics/ingest/ingest';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { SHARED_DATA, diskDb, ingestPaths, syntheticOpportunities } from '../../helpers';

describe('concurrent uploads and reads', () => {
  let db: Database;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ db, cleanup } = await diskDb());
  });
  afterAll(() => cleanup());

  it('runs two uploads at once one after the other, and reads during them see whole snapshots', async () => {
    const big = ingest(db, [{ name: 'Opportunity.csv', bytes: syntheticOpportunities(200_000, 'C') }], { settings: DEFAULT_SETTINGS, asOf: '2026-09-01' });
    const small = ingestPaths(db, [join(SHARED_DATA, 'salesforce-data-export')]);
    const seen = new Set<string>();
    let done = false;
    const reads = (async () => {
      while (!done) {
        const rows = await db.query<{ snapshot_id: number; n: number }>(
          `SELECT s.snapshot_id, (SELECT count(*) FROM deals d WHERE d.snapshot_id = s.snapshot_id)::INTEGER AS n FROM snapshots s ORDER BY 1`
        );
        seen.add(rows.map((r) => r.n).sort((a, b) => a - b).join('+') || 'none');
      }
    })();
    const [a, b] = await Promise.all([big, small]);
    done = true;
    await reads;
    expect([a.snapshot.counts.deals, b.snapshot.counts.deals]).toEqual([200_000, 31]);
    // every read saw nothing, one whole snapshot or both, never part of one
    for (const state of seen) expect(['none', '200000', '31', '31+200000']).toContain(state);
    expect(seen.has('none')).toBe(true); // reads did run while the uploads were under way
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM deals');
    expect(n).toBe(200_031);
  });
});
