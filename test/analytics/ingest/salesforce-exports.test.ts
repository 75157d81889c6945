/**
 * The adapter on the real exports in test/fixtures/public, read as they are. Expected values
 * for single deals are copied by hand from the CSV rows quoted beside them; totals are
 * recomputed with a plain DuckDB query over the raw file, not with Pipelens code.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { FIXTURES, SHARED_DATA, ingestPaths, memoryDb } from '../../helpers';

const REPORT = join(SHARED_DATA, 'salesforce-report-export');
const DATA_EXPORT = join(SHARED_DATA, 'salesforce-data-export');

async function deal(db: Database, snapshot: number, id: string) {
  const [row] = await db.query(
    `SELECT name, account_name, stage, amount, amount_corporate, strftime(close_date, '%Y-%m-%d') AS close_date,
            strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at, lead_source, type, closed, won, probability, forecast_category
     FROM deal_states WHERE snapshot_id = $s AND deal_id = $id`,
    { s: snapshot, id }
  );
  return row;
}

async function events(db: Database, snapshot: number, id: string) {
  return db.query(
    `SELECT seq, strftime(event_at, '%Y-%m-%d %H:%M:%S') AS at, stage, amount, strftime(close_date, '%Y-%m-%d') AS close_date
     FROM stage_events WHERE snapshot_id = $s AND deal_id = $id ORDER BY seq`,
    { s: snapshot, id }
  );
}

async function rawOpenAmount(db: Database, file: string, closedFalse: string) {
  const [row] = await db.query<{ total: number }>(
    `SELECT sum(Amount::DOUBLE)::DOUBLE AS total FROM read_csv($f, all_varchar = true) WHERE IsClosed = $c`,
    { f: file, c: closedFalse }
  );
  return row.total;
}

describe('Salesforce report export (test/fixtures/public/salesforce-report-export)', () => {
  let db: Database;
  let snapshot: number;
  beforeAll(async () => {
    db = await memoryDb();
    snapshot = (await ingestPaths(db, [REPORT])).snapshot.snapshot_id;
  });
  afterAll(() => db.close());

  it('loads 36 opportunities, 48 history rows and 22 leads, and lists what it ignored', async () => {
    const [s] = await db.query<{ deals: number; events: number; leads: number }>(
      `SELECT (SELECT count(*) FROM deals)::INTEGER deals, (SELECT count(*) FROM stage_events)::INTEGER events, (SELECT count(*) FROM leads)::INTEGER leads`
    );
    expect(s).toEqual({ deals: 36, events: 48, leads: 22 });
    const [snap] = await db.query<{ ignored: string; kind: string }>(`SELECT ignored_files::VARCHAR ignored, export_kind kind FROM snapshots`);
    expect(JSON.parse(snap.ignored)).toEqual(['LICENSE']);
    expect(snap.kind).toBe('report');
  });

  it('reads US dates, 12-hour times and TRUE/FALSE', async () => {
    // 006bm00000LKJNNAA5,…,Dickenson Mobile Generators,,Qualification,15000,10,1500,02/03/24,,Purchased List,FALSE,FALSE,02/23/26,…
    expect(await deal(db, snapshot, '006bm00000LKJNNAA5')).toEqual({
      name: 'Dickenson Mobile Generators',
      account_name: 'Dickenson plc', // Account.csv: 001bm00001ZL8UCAA1,FALSE,Dickenson plc,…
      stage: 'Qualification',
      amount: 15000,
      amount_corporate: 15000,
      close_date: '2024-02-03',
      created_at: '2026-02-23 00:00:00',
      lead_source: 'Purchased List',
      type: null,
      closed: false,
      won: false,
      probability: 10,
      forecast_category: null
    });
    // 008bm00000UoqOjAAJ,006bm00000LKJNNAA5,…,02/23/26 08:55 PM,Qualification,15000,1500,01/27/21,…
    expect(await events(db, snapshot, '006bm00000LKJNNAA5')).toEqual([
      { seq: 1, at: '2026-02-23 20:55:00', stage: 'Qualification', amount: 15000, close_date: '2021-01-27' }
    ]);
    // 006bm00000LKJNPAA5,…,Express Logistics Standby Generator,,Closed Won,220000,100,220000,02/03/24,,Trade Show,TRUE,TRUE,…
    expect(await deal(db, snapshot, '006bm00000LKJNPAA5')).toMatchObject({ stage: 'Closed Won', amount: 220000, closed: true, won: true, lead_source: 'Trade Show' });
  });

  it('takes as_of from the latest LastModifiedDate (03/07/26 09:00 PM on United Oil SLA)', async () => {
    const [s] = await db.query<{ as_of: string; src: string }>(`SELECT strftime(as_of, '%Y-%m-%d %H:%M') as_of, as_of_source AS src FROM snapshots`);
    expect(s).toEqual({ as_of: '2026-03-07 21:00', src: 'LastModifiedDate' });
  });

  it('sums open amounts as a plain query over the raw file does', async () => {
    const [{ total }] = await db.query<{ total: number }>(`SELECT sum(amount_corporate)::DOUBLE total FROM deal_states WHERE snapshot_id = $s AND NOT closed`, { s: snapshot });
    expect(total).toBe(await rawOpenAmount(db, join(REPORT, 'Opportunity.csv'), 'FALSE'));
  });

  it('derives the standard stage order when the export has no StageSortOrder', async () => {
    const stages = await db.query<{ stage: string }>(`SELECT stage FROM snapshot_stages WHERE snapshot_id = $s ORDER BY sort_order`, { s: snapshot });
    expect(stages.map((s) => s.stage)).toEqual([
      'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers',
      'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'
    ]);
  });
});

describe('Salesforce Data Export (test/fixtures/public/salesforce-data-export)', () => {
  let db: Database;
  let snapshot: number;
  beforeAll(async () => {
    db = await memoryDb();
    snapshot = (await ingestPaths(db, [DATA_EXPORT])).snapshot.snapshot_id;
  });
  afterAll(() => db.close());

  it('loads 31 opportunities, 62 history rows and 22 leads from lower-case file names', async () => {
    const [s] = await db.query(
      `SELECT (SELECT count(*) FROM deals)::INTEGER deals, (SELECT count(*) FROM stage_events)::INTEGER events, (SELECT count(*) FROM leads)::INTEGER leads,
              (SELECT ignored_files::VARCHAR FROM snapshots) ignored, (SELECT export_kind FROM snapshots) kind`
    );
    expect(s).toEqual({ deals: 31, events: 62, leads: 22, ignored: '["campaign.csv"]', kind: 'data-export' });
  });

  it('reads quoted fields, 0/1 booleans, the null id and account names', async () => {
    // "006Hp000015Yh7kIAC","0","001Hp00002g1VGeIAM","0","Dickenson Mobile Generators","","Qualification","2","15000","10",…,"2023-09-06 00:00:00","New Customer","","Purchased List","0","0","Pipeline","Pipeline","000000000000000AAA",…
    expect(await deal(db, snapshot, '006Hp000015Yh7kIAC')).toMatchObject({
      name: 'Dickenson Mobile Generators',
      stage: 'Qualification',
      amount: 15000,
      close_date: '2023-09-06',
      created_at: '2023-10-28 20:45:25',
      lead_source: 'Purchased List',
      type: 'New Customer',
      closed: false,
      probability: 10,
      forecast_category: 'Pipeline'
    });
    // "006Hp000015Yh7sIAC",…,"001Hp00002g1VGbIAM",…,"Edge Emergency Generator","","Closed Won","9","75000",…,"2023-10-24 00:00:00","New Customer","","Word of mouth","1","1",…
    // account.csv: "001Hp00002g1VGbIAM","0","","Edge Communications",…
    expect(await deal(db, snapshot, '006Hp000015Yh7sIAC')).toMatchObject({
      account_name: 'Edge Communications',
      stage: 'Closed Won',
      amount: 75000,
      close_date: '2023-10-24',
      lead_source: 'Word of mouth',
      closed: true,
      won: true
    });
  });

  it('keeps history rows with equal timestamps in export order', async () => {
    // two rows at 2023-10-28 20:45:25: close date 2018-10-01, then 2023-09-06
    expect(await events(db, snapshot, '006Hp000015Yh7kIAC')).toEqual([
      { seq: 1, at: '2023-10-28 20:45:25', stage: 'Qualification', amount: 15000, close_date: '2018-10-01' },
      { seq: 2, at: '2023-10-28 20:45:25', stage: 'Qualification', amount: 15000, close_date: '2023-09-06' }
    ]);
  });

  it('takes as_of from the latest SystemModstamp (a lead, 2023-10-28 20:54:20)', async () => {
    const [s] = await db.query(`SELECT strftime(as_of, '%Y-%m-%d %H:%M:%S') as_of, as_of_source AS src FROM snapshots`);
    expect(s).toEqual({ as_of: '2023-10-28 20:54:20', src: 'SystemModstamp' });
  });

  it('sums open amounts as a plain query over the raw file does', async () => {
    const [{ total }] = await db.query<{ total: number }>(`SELECT sum(amount_corporate)::DOUBLE total FROM deal_states WHERE snapshot_id = $s AND NOT closed`, { s: snapshot });
    expect(total).toBe(await rawOpenAmount(db, join(DATA_EXPORT, 'opportunity.csv'), '0'));
  });

  it('takes stage order from StageSortOrder', async () => {
    const stages = await db.query<{ stage: string; sort_order: number }>(`SELECT stage, sort_order FROM snapshot_stages WHERE snapshot_id = $s ORDER BY sort_order`, { s: snapshot });
    expect(stages.map((s) => s.stage)).toEqual([
      'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers',
      'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won'
    ]);
  });

  it('returns the existing snapshot when the same files are uploaded again', async () => {
    const again = await ingestPaths(db, [DATA_EXPORT]);
    expect(again.created).toBe(false);
    expect(again.snapshot.snapshot_id).toBe(snapshot);
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::INTEGER n FROM snapshots`);
    expect(n).toBe(1);
  });
});

describe('Windows-1252 export', () => {
  it('keeps accented stage names and sources intact', async () => {
    const db = await memoryDb();
    const { snapshot } = await ingestPaths(db, [join(FIXTURES, 'windows-1252')]);
    expect(snapshot.files).toEqual([{ name: 'Opportunity.csv', object: 'Opportunity', rows: 3, encoding: 'windows-1252' }]);
    const rows = await db.query(`SELECT deal_id, name, stage, lead_source FROM deals ORDER BY deal_id`);
    expect(rows).toEqual([
      { deal_id: 'W1', name: 'Construcción Ibérica', stage: 'Diseño Propuesta', lead_source: 'Gestión directa' },
      { deal_id: 'W2', name: 'Müller & Söhne', stage: 'Closed Won', lead_source: 'Gestión directa' },
      { deal_id: 'W3', name: 'Café Olé', stage: 'Prospecting', lead_source: 'Web' }
    ]);
    // A custom open stage with no order anywhere is placed among the open stages; with no probability, first.
    const stages = await db.query<{ stage: string }>(`SELECT stage FROM snapshot_stages ORDER BY sort_order`);
    expect(stages.map((s) => s.stage)).toEqual(['Diseño Propuesta', 'Prospecting', 'Closed Won']);
    db.close();
  });
});

describe('Salesforce report export with its footer', () => {
  it('reads the rows and leaves out the confidentiality footer', async () => {
    const db = await memoryDb();
    const csv =
      '"Opportunity ID","Opportunity Name","Stage","Amount","Close Date","Created Date","Lead Source"\r\n' +
      '"0061","Acme renewal","Prospecting","USD 1,500.00","3/31/2026","2/1/2026","Web"\r\n' +
      '"0062","Globex","Closed Won","$2,000","03/15/2026","01/10/2026 9:30 AM",""\r\n' +
      '\r\n\r\n"Confidential Information - Do Not Distribute"\r\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n';
    const { ingest } = await import('../../../analytics/ingest/ingest');
    const { snapshot } = await ingest(db, [{ name: 'report1700000000000.csv', bytes: new TextEncoder().encode(csv) }], { asOf: '2026-04-01' });
    expect(snapshot.counts.deals).toBe(2);
    const rows = await db.query(`SELECT deal_id, name, stage, amount, close_date::VARCHAR AS close_date, created_at::VARCHAR AS created_at, lead_source, won FROM deal_states ORDER BY deal_id`);
    expect(rows).toEqual([
      { deal_id: '0061', name: 'Acme renewal', stage: 'Prospecting', amount: 1500, close_date: '2026-03-31', created_at: '2026-02-01 00:00:00', lead_source: 'Web', won: false },
      { deal_id: '0062', name: 'Globex', stage: 'Closed Won', amount: 2000, close_date: '2026-03-15', created_at: '2026-01-10 09:30:00', lead_source: null, won: true }
    ]);
    db.close();
  });
});
