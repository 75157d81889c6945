/**
 * Pipedrive deals export (test/fixtures/pipedrive, see its README): detection, status
 * decides closed and won while the deal keeps its stage, deleted deals left out, stages
 * per pipeline, and stage events from successive snapshots (the export has no history).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

const EXPORT = (day: string) => join(FIXTURES, 'pipedrive', `deals-2024-07-${day}.csv`);

describe('Pipedrive deals export', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [EXPORT('01')]);
  });
  afterAll(() => db.close());

  it('is recognised from its headers and stored as a pipedrive snapshot without history', async () => {
    const [s] = await db.query(`SELECT crm, export_kind, as_of::VARCHAR AS as_of, as_of_source, has_history, corporate_currency, warnings::VARCHAR AS warnings FROM snapshots`);
    // as_of: the latest "Update time", deleted deal 5's 2024-07-01 08:30:00; every deal is in EUR
    expect(s).toEqual({
      crm: 'pipedrive', export_kind: 'deals-export', as_of: '2024-07-01 08:30:00', as_of_source: 'Update time',
      has_history: false, corporate_currency: 'EUR', warnings: '["1 deleted deals ignored"]'
    });
  });

  it('leaves deleted deals out and closes won and lost deals in the stage they were in', async () => {
    const deals = await db.query(
      `SELECT deal_id, pipeline, stage, closed, won, close_date::VARCHAR AS close_date FROM deal_states ORDER BY deal_id::INTEGER`
    );
    // deal 5 is deleted; a won or lost deal's close date is the day of its won or lost time
    expect(deals).toEqual([
      { deal_id: '1', pipeline: 'Sales', stage: 'Proposal Made', closed: true, won: true, close_date: '2024-05-20' },
      { deal_id: '2', pipeline: 'Sales', stage: 'Demo Scheduled', closed: true, won: false, close_date: '2024-06-05' },
      { deal_id: '3', pipeline: 'Sales', stage: 'Contact Made', closed: false, won: false, close_date: '2024-08-15' },
      { deal_id: '4', pipeline: 'Sales', stage: 'Negotiations Started', closed: false, won: false, close_date: '2024-07-31' },
      { deal_id: '6', pipeline: 'Sales', stage: 'Qualified', closed: true, won: true, close_date: '2024-06-25' },
      { deal_id: '7', pipeline: 'Partners', stage: 'Qualified', closed: false, won: false, close_date: '2024-09-30' },
      { deal_id: '8', pipeline: 'Partners', stage: 'Proposal Made', closed: true, won: false, close_date: '2024-06-12' },
      { deal_id: '9', pipeline: 'Partners', stage: 'Proposal Made', closed: true, won: true, close_date: '2024-06-20' }
    ]);
    const [d] = await db.query(`SELECT name, amount, currency, owner_name, account_name, probability FROM deals WHERE deal_id = '4'`);
    expect(d).toEqual({ name: 'Dune upsell', amount: 9000, currency: 'EUR', owner_name: 'Bob Roy', account_name: 'Dune', probability: 80 });
  });

  it('orders each pipeline by Pipedrive’s default stages; a stage’s probability is its open deals’ own', async () => {
    const stages = await db.query(`SELECT pipeline, stage, sort_order, probability, stage_bit FROM stages ORDER BY pipeline, sort_order`);
    expect(stages).toEqual([
      { pipeline: 'Partners', stage: 'Qualified', sort_order: 1, probability: null, stage_bit: 0 },
      { pipeline: 'Partners', stage: 'Proposal Made', sort_order: 2, probability: null, stage_bit: 1 },
      { pipeline: 'Sales', stage: 'Qualified', sort_order: 1, probability: null, stage_bit: 0 },
      // deal 3 (30) and deal 4 (80) are the only open deals with a probability
      { pipeline: 'Sales', stage: 'Contact Made', sort_order: 2, probability: 30, stage_bit: 1 },
      { pipeline: 'Sales', stage: 'Demo Scheduled', sort_order: 3, probability: null, stage_bit: 2 },
      { pipeline: 'Sales', stage: 'Proposal Made', sort_order: 4, probability: null, stage_bit: 3 },
      { pipeline: 'Sales', stage: 'Negotiations Started', sort_order: 5, probability: 80, stage_bit: 4 }
    ]);
  });

  it('gets stage events from the next snapshot: a week in Contact Made', async () => {
    await ingestPaths(db, [EXPORT('08')]);
    // deal 3 moved to Demo Scheduled by 2024-07-08 08:30; Contact Made is no deal's stage any more but stays in the stage list
    const visits = await db.query(
      `SELECT stage, entered_at::VARCHAR AS entered, exited_at::VARCHAR AS exited FROM stage_visits WHERE snapshot_id = 2 AND deal_id = '3' ORDER BY visit_no`
    );
    expect(visits).toEqual([
      { stage: 'Contact Made', entered: '2024-07-01 08:30:00', exited: '2024-07-08 08:30:00' },
      { stage: 'Demo Scheduled', entered: '2024-07-08 08:30:00', exited: null }
    ]);
    const sales = await db.query(`SELECT stage FROM stages WHERE snapshot_id = 2 AND pipeline = 'Sales' ORDER BY sort_order`);
    expect(sales.map((s) => s.stage)).toEqual(['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started']);
  });
});
