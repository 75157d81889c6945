/**
 * Deals are stored once per state, not once per snapshot: a row holds the snapshot
 * positions it is valid in. Three weekly reports of three deals:
 *   A: Prospecting, Qualification, Qualification
 *   B: Prospecting, Qualification, Prospecting (back)
 *   C: Prospecting all along
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { ingest } from '../../../analytics/ingest/ingest';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { deleteSnapshots } from '../../../analytics/storage/snapshots';
import { csvFile, memoryDb } from '../../helpers';

const WEEKS: [string, string[]][] = [
  ['2024-09-02T00:00:00Z', ['A,Prospecting', 'B,Prospecting', 'C,Prospecting']],
  ['2024-09-09T00:00:00Z', ['A,Qualification', 'B,Qualification', 'C,Prospecting']],
  ['2024-09-16T00:00:00Z', ['A,Qualification', 'B,Prospecting', 'C,Prospecting']]
];

async function load(db: Database, order: number[]) {
  for (const i of order) {
    const [asOf, rows] = WEEKS[i];
    const csv = rows.map((r) => `${r},1000,2024-12-31,2024-08-01 00:00:00`);
    await ingest(db, [csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', csv)], { asOf, settings: DEFAULT_SETTINGS });
  }
}

/** Each snapshot's deals as its as_of sees them. */
const contents = (db: Database) =>
  db.query(
    `SELECT strftime(s.as_of, '%m-%d') AS week, list(d.deal_id || ',' || d.stage ORDER BY d.deal_id) AS deals
     FROM deals d JOIN snapshots s USING (snapshot_id) GROUP BY ALL ORDER BY week`
  );
const count = async (db: Database, table: string) => (await db.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0].n;

const LOADED = [
  { week: '09-02', deals: WEEKS[0][1] },
  { week: '09-09', deals: WEEKS[1][1] },
  { week: '09-16', deals: WEEKS[2][1] }
];

describe('versioned deal storage', () => {
  it('adds a row only when a deal changes', async () => {
    const db = await memoryDb();
    await load(db, [0, 1, 2]);
    expect(await contents(db)).toEqual(LOADED);
    // A: Prospecting, Qualification; B: Prospecting, Qualification, Prospecting; C: one row
    expect(await count(db, 'deal_rows')).toBe(6);
    // events: A 2, B 3, C 1, each stored once
    expect(await count(db, 'stage_event_rows')).toBe(6);
    expect(await count(db, 'stage_events')).toBe(3 + 5 + 6);
    db.close();
  });

  it('slots a snapshot in between two others and answers as if they had come in order', async () => {
    const inOrder = await memoryDb();
    const backfilled = await memoryDb();
    await load(inOrder, [0, 1, 2]);
    await load(backfilled, [0, 2, 1]);
    expect(await contents(backfilled)).toEqual(LOADED);
    const eventsOf = (db: Database) =>
      db.query(
        `SELECT strftime(s.as_of, '%m-%d') AS week, e.deal_id, e.seq, strftime(e.event_at, '%m-%d') AS day, e.stage
         FROM stage_events e JOIN snapshots s USING (snapshot_id) ORDER BY ALL`
      );
    expect(await eventsOf(backfilled)).toEqual(await eventsOf(inOrder));
    inOrder.close();
    backfilled.close();
  });

  it('drops the rows only a deleted snapshot held, and leaves the others as they were', async () => {
    const db = await memoryDb();
    await load(db, [0, 1, 2]);
    const [middle] = await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM snapshots ORDER BY as_of LIMIT 1 OFFSET 1`);
    await deleteSnapshots(db, [middle.id]);
    expect(await contents(db)).toEqual([LOADED[0], LOADED[2]]);
    // B's Qualification row was the middle week's alone; A's Qualification row still holds for 09-16
    expect(await count(db, 'deal_rows')).toBe(5);
    db.close();
  });

  it('keeps a snapshot\'s rows when another with the same date is deleted and a third loaded', async () => {
    const db = await memoryDb();
    const loadAt = (asOf: string, stage: string) =>
      ingest(db, [csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', [`X,${stage},100,2024-12-31,2024-08-01 00:00:00`])], { asOf, settings: DEFAULT_SETTINGS });
    const first = await loadAt('2024-09-02T00:00:00Z', 'Prospecting');
    await loadAt('2024-09-02T00:00:00Z', 'Qualification');
    await deleteSnapshots(db, [first.snapshot.snapshot_id]);
    await loadAt('2024-09-02T00:00:00Z', 'Needs Analysis');
    const stages = await db.query(`SELECT snapshot_id, list(stage) AS stages FROM deals GROUP BY ALL ORDER BY snapshot_id`);
    expect(stages).toEqual([{ snapshot_id: 2, stages: ['Qualification'] }, { snapshot_id: 3, stages: ['Needs Analysis'] }]);
    db.close();
  });

  it('never gives a deal two rows in one snapshot after a deletion and backfills around it', async () => {
    const db = await memoryDb();
    const loadAt = (day: string, row: string) =>
      ingest(db, [csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', [`${row},2024-12-31,2024-08-01 00:00:00`])], { asOf: `2024-09-${day}T00:00:00Z`, settings: DEFAULT_SETTINGS });
    await loadAt('01', 'X,Prospecting,100');
    const middle = await loadAt('10', 'X,Qualification,100');
    await loadAt('20', 'X,Qualification,100');
    await deleteSnapshots(db, [middle.snapshot.snapshot_id]);
    await loadAt('05', 'X,Prospecting,200');
    await loadAt('15', 'X,Qualification,100');
    const rows = await db.query(
      `SELECT strftime(s.as_of, '%d') AS day, list(d.stage || ':' || d.amount) AS deals FROM deals d JOIN snapshots s USING (snapshot_id) GROUP BY ALL ORDER BY day`
    );
    expect(rows).toEqual([
      { day: '01', deals: ['Prospecting:100.0'] },
      { day: '05', deals: ['Prospecting:200.0'] },
      { day: '15', deals: ['Qualification:100.0'] },
      { day: '20', deals: ['Qualification:100.0'] }
    ]);
    db.close();
  });
});
