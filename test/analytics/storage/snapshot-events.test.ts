/**
 * Exports without stage history (reports) get their stage events from the differences
 * between snapshots; snapshots loaded in another order give the same answers.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { ingest } from '../../../analytics/ingest/ingest';
import { computeMetric, METRICS } from '../../../analytics/metrics/index';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { csvFile, memoryDb } from '../../helpers';

const HEADER = 'Id,Name,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon,OwnerName,LeadSource';
// Three weekly report exports of four deals, no history file.
const WEEKS: [string, string[]][] = [
  ['2024-09-02T00:00:00Z', [
    'R1,One,Prospecting,1000,09/30/24,08/01/24,FALSE,FALSE,Ann,Web',
    'R2,Two,Prospecting,2000,10/15/24,08/05/24,FALSE,FALSE,Bob,Web',
    'R4,Four,Qualification,4000,11/30/24,08/10/24,FALSE,FALSE,Ann,Partner'
  ]],
  ['2024-09-09T00:00:00Z', [
    'R1,One,Qualification,1000,10/31/24,08/01/24,FALSE,FALSE,Ann,Web', // moved on, close date pushed a month
    'R2,Two,Prospecting,2000,10/15/24,08/05/24,FALSE,FALSE,Bob,Web',
    'R3,Three,Proposal,3000,10/01/24,09/05/24,FALSE,FALSE,Bob,Web', // new
    'R4,Four,Qualification,4500,11/30/24,08/10/24,FALSE,FALSE,Ann,Partner' // amount changed, same stage
  ]],
  ['2024-09-16T00:00:00Z', [
    'R1,One,Qualification,1000,10/31/24,08/01/24,FALSE,FALSE,Ann,Web',
    'R2,Two,Closed Won,2000,09/14/24,08/05/24,TRUE,TRUE,Bob,Web', // won
    'R4,Four,Proposal,4500,11/30/24,08/10/24,FALSE,FALSE,Ann,Partner' // R3 is gone
  ]]
];

async function load(db: Database, order: number[]) {
  for (const i of order) {
    const [asOf, rows] = WEEKS[i];
    await ingest(db, [csvFile('Opportunity.csv', HEADER, rows)], { asOf, settings: DEFAULT_SETTINGS });
  }
}

const idOf = async (db: Database, asOf: string) =>
  (await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM snapshots WHERE as_of = $a::TIMESTAMP`, { a: asOf.replace('T', ' ').replace('Z', '') }))[0].id;

describe('stage events from snapshot differences', () => {
  it('records a deal when first seen and whenever its stage, close date or amount changes', async () => {
    const db = await memoryDb();
    await load(db, [0, 1, 2]);
    const last = await idOf(db, WEEKS[2][0]);
    const events = await db.query(
      `SELECT deal_id, seq, strftime(event_at, '%m-%d') AS day, stage, amount, strftime(close_date, '%m-%d') AS close, origin
       FROM stage_events WHERE snapshot_id = $s ORDER BY deal_id, seq`,
      { s: last }
    );
    expect(events).toEqual([
      { deal_id: 'R1', seq: 1, day: '09-02', stage: 'Prospecting', amount: 1000, close: '09-30', origin: 'snapshots' },
      { deal_id: 'R1', seq: 2, day: '09-09', stage: 'Qualification', amount: 1000, close: '10-31', origin: 'snapshots' },
      { deal_id: 'R2', seq: 1, day: '09-02', stage: 'Prospecting', amount: 2000, close: '10-15', origin: 'snapshots' },
      { deal_id: 'R2', seq: 2, day: '09-16', stage: 'Closed Won', amount: 2000, close: '09-14', origin: 'snapshots' },
      { deal_id: 'R4', seq: 1, day: '09-02', stage: 'Qualification', amount: 4000, close: '11-30', origin: 'snapshots' },
      { deal_id: 'R4', seq: 2, day: '09-09', stage: 'Qualification', amount: 4500, close: '11-30', origin: 'snapshots' },
      { deal_id: 'R4', seq: 3, day: '09-16', stage: 'Proposal', amount: 4500, close: '11-30', origin: 'snapshots' }
    ]);
    // durations at the snapshot interval: Prospecting R1 7 days, R2 14 days; Qualification R4 14 days (the amount change kept the visit)
    const durations = (await computeMetric(db, DEFAULT_SETTINGS, 'stage-durations', {})).rows;
    expect(durations.filter((r) => (r.visits as number) > 0).map((r) => [r.stage, r.visits, r.median_days])).toEqual([
      ['Prospecting', 2, 10.5],
      ['Qualification', 1, 14]
    ]);
    // R1's close date moved later once
    expect((await computeMetric(db, DEFAULT_SETTINGS, 'slippage', {})).rows.map((r) => [r.deal_id, r.push_count, r.slip_days])).toEqual([['R1', 1, 31]]);
    db.close();
  });

  it('gives every metric the same answers whatever order the snapshots arrive in', async () => {
    const inOrder = await memoryDb();
    const shuffled = await memoryDb();
    await load(inOrder, [0, 1, 2]);
    await load(shuffled, [2, 0, 1]);
    for (const [asOf] of WEEKS) {
      const [a, b] = [await idOf(inOrder, asOf), await idOf(shuffled, asOf)];
      for (const name of Object.keys(METRICS)) {
        if (['pipeline-changes', 'pipeline-change-deals', 'forecast-accuracy', 'trends', 'forecast-trend'].includes(name)) continue; // carry snapshot ids
        const params = (id: number) => ({ snapshot: String(id) });
        expect((await computeMetric(shuffled, DEFAULT_SETTINGS, name, params(b))).rows, `${name} at ${asOf}`).toEqual(
          (await computeMetric(inOrder, DEFAULT_SETTINGS, name, params(a))).rows
        );
      }
    }
    // the comparisons too, once snapshot ids are left aside
    const changes = async (db: Database) =>
      (await computeMetric(db, DEFAULT_SETTINGS, 'pipeline-changes', { snapshot: String(await idOf(db, WEEKS[2][0])), base: String(await idOf(db, WEEKS[0][0])), period: 'FY2024Q4' })).rows;
    expect(await changes(shuffled)).toEqual(await changes(inOrder));
    const trend = async (db: Database) => (await computeMetric(db, DEFAULT_SETTINGS, 'trends', {})).rows.map(({ snapshot_id: _, ...r }) => r);
    expect(await trend(shuffled)).toEqual(await trend(inOrder));
    inOrder.close();
    shuffled.close();
  });

  it('keeps an earlier export\'s stage history for the time it covers and adds snapshot differences after it', async () => {
    const db = await memoryDb();
    // Sep 2: a Data Export with history for A only; Sep 9: a report without history
    await ingest(
      db,
      [
        csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', ['A,Qualification,1000,2024-10-31,2024-08-01 00:00:00', 'B,Prospecting,2000,2024-11-30,2024-08-05 00:00:00']),
        csvFile('OpportunityHistory.csv', 'Id,OpportunityId,CreatedDate,StageName,Amount,CloseDate', [
          'H1,A,2024-08-01 00:00:00,Prospecting,1000,2024-10-31',
          'H2,A,2024-08-20 00:00:00,Qualification,1000,2024-10-31'
        ])
      ],
      { asOf: '2024-09-02T00:00:00Z', settings: DEFAULT_SETTINGS }
    );
    await ingest(
      db,
      [csvFile('Opportunity.csv', HEADER, ['A,Aa,Proposal,1000,10/31/24,08/01/24,FALSE,FALSE,Ann,Web', 'B,Bb,Qualification,2000,11/30/24,08/05/24,FALSE,FALSE,Bob,Web', 'C,Cc,Prospecting,500,12/31/24,09/05/24,FALSE,FALSE,Bob,Web'])],
      { asOf: '2024-09-09T00:00:00Z', settings: DEFAULT_SETTINGS }
    );
    const events = await db.query(
      `SELECT deal_id, seq, strftime(event_at, '%m-%d') AS day, stage, origin FROM stage_events WHERE snapshot_id = $s ORDER BY deal_id, seq`,
      { s: await idOf(db, '2024-09-09T00:00:00Z') }
    );
    expect(events).toEqual([
      // A: the history up to Sep 2, then the move to Proposal seen on Sep 9
      { deal_id: 'A', seq: 1, day: '08-01', stage: 'Prospecting', origin: 'history' },
      { deal_id: 'A', seq: 2, day: '08-20', stage: 'Qualification', origin: 'history' },
      { deal_id: 'A', seq: 3, day: '09-09', stage: 'Proposal', origin: 'snapshots' },
      // B: no history rows, so both snapshots tell its story
      { deal_id: 'B', seq: 1, day: '09-02', stage: 'Prospecting', origin: 'snapshots' },
      { deal_id: 'B', seq: 2, day: '09-09', stage: 'Qualification', origin: 'snapshots' },
      { deal_id: 'C', seq: 1, day: '09-09', stage: 'Prospecting', origin: 'snapshots' }
    ]);
    db.close();
  });

  it('keeps a deal\'s history from an older export when the latest one with a history lacks the deal', async () => {
    const db = await memoryDb();
    const withHistory = (asOf: string, deal: string, history: string[]) =>
      ingest(db, [csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', [`${deal},Qualification,1000,2024-10-31,2024-08-01 00:00:00`]),
        csvFile('OpportunityHistory.csv', 'Id,OpportunityId,CreatedDate,StageName,Amount,CloseDate', history)], { asOf, settings: DEFAULT_SETTINGS });
    await withHistory('2024-09-02T00:00:00Z', 'X', ['H1,X,2024-08-01 00:00:00,Prospecting,1000,2024-10-31', 'H2,X,2024-08-20 00:00:00,Qualification,1000,2024-10-31']);
    await withHistory('2024-09-09T00:00:00Z', 'Y', ['H3,Y,2024-09-01 00:00:00,Qualification,1000,2024-10-31']);
    await ingest(db, [csvFile('Opportunity.csv', HEADER, ['X,Xx,Proposal,1000,10/31/24,08/01/24,FALSE,FALSE,Ann,Web'])], { asOf: '2024-09-16T00:00:00Z', settings: DEFAULT_SETTINGS });
    const events = await db.query(
      `SELECT seq, strftime(event_at, '%m-%d') AS day, stage, origin FROM stage_events WHERE snapshot_id = $s AND deal_id = 'X' ORDER BY seq`,
      { s: await idOf(db, '2024-09-16T00:00:00Z') }
    );
    expect(events).toEqual([
      { seq: 1, day: '08-01', stage: 'Prospecting', origin: 'history' },
      { seq: 2, day: '08-20', stage: 'Qualification', origin: 'history' },
      { seq: 3, day: '09-16', stage: 'Proposal', origin: 'snapshots' }
    ]);
    db.close();
  });
});
