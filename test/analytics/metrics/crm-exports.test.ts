/**
 * Win rates, funnel and open pipeline per pipeline on the HubSpot and Pipedrive fixtures
 * (test/fixtures/{hubspot,pipedrive}/README in test/fixtures/README.md). Every figure is
 * worked out from the fixture tables in the comments.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { runMetric } from '../../../analytics/metrics/index';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

const rows = async (db: Database, name: string, params: Record<string, string> = {}) => (await runMetric(db, DEFAULT_SETTINGS, name, params)).rows;
const funnelOf = async (db: Database, pipeline: string) =>
  (await rows(db, 'funnel', { pipeline })).map((r) => [r.stage, r.reached, r.open_count, r.open_amount, r.lost_after]);
const openOf = async (db: Database, pipeline: string) =>
  (await rows(db, 'open-pipeline', { pipeline })).map((r) => [r.stage, r.open_count, r.open_amount]);

describe('HubSpot: metrics per pipeline', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [join(FIXTURES, 'hubspot')]);
  });
  afterAll(() => db.close());

  it('asks for a pipeline where stage-by-stage figures would mix two pipelines\' stages', async () => {
    for (const name of ['funnel', 'stage-durations']) {
      await expect(rows(db, name)).rejects.toThrow('bad parameter pipeline: this snapshot holds 2 pipelines, each with its own stages: choose one of Renewals, Sales Pipeline');
    }
  });

  it('win rates over all pipelines and one', async () => {
    // won 101 (10,000), 105 (2,000), 201 (12,000); lost 102 (4,000), 203 (3,000)
    expect(await rows(db, 'win-rates')).toEqual([
      { won: 3, lost: 2, closed: 5, win_rate_count: 0.6, won_amount: 24000, lost_amount: 7000, win_rate_amount: 24000 / 31000 }
    ]);
    // Sales Pipeline: won 101, 105 (12,000); lost 102 (4,000)
    expect(await rows(db, 'win-rates', { pipeline: 'Sales Pipeline' })).toEqual([
      { won: 2, lost: 1, closed: 3, win_rate_count: 2 / 3, won_amount: 12000, lost_amount: 4000, win_rate_amount: 0.75 }
    ]);
    // Renewals: won 201 (12,000), lost 203 (3,000)
    expect(await rows(db, 'win-rates', { pipeline: 'Renewals' })).toEqual([
      { won: 1, lost: 1, closed: 2, win_rate_count: 0.5, won_amount: 12000, lost_amount: 3000, win_rate_amount: 0.8 }
    ]);
  });

  it('funnel of each pipeline from the Date entered history', async () => {
    // furthest open stage: 102 Presentation (3, then lost), 103 Qualified (2), 104 Contract sent (5); 101 and 105 won
    expect(await funnelOf(db, 'Sales Pipeline')).toEqual([
      ['Appointment scheduled', 5, 0, 0, 0],
      ['Qualified to buy', 5, 1, 6000, 0],
      ['Presentation scheduled', 4, 0, 0, 1],
      ['Decision maker bought-in', 3, 0, 0, 0],
      ['Contract sent', 3, 1, 8000, 0],
      ['Won', 2, 0, 0, 0]
    ]);
    // 202 Quote sent (2), 203 Renewal due (1, then lost), 204 Renewal due (1); 201 won
    expect(await funnelOf(db, 'Renewals')).toEqual([
      ['Renewal due', 4, 1, 7000, 1],
      ['Quote sent', 2, 1, 5000, 0],
      ['Won', 1, 0, 0, 0]
    ]);
  });

  it('open pipeline of one pipeline', async () => {
    expect(await openOf(db, 'Renewals')).toEqual([
      ['Renewal due', 1, 7000],
      ['Quote sent', 1, 5000]
    ]);
    expect(await openOf(db, 'Sales Pipeline')).toEqual([
      ['Appointment scheduled', 0, 0],
      ['Qualified to buy', 1, 6000],
      ['Presentation scheduled', 0, 0],
      ['Decision maker bought-in', 0, 0],
      ['Contract sent', 1, 8000]
    ]);
  });
});

describe('Pipedrive: metrics per pipeline', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [join(FIXTURES, 'pipedrive', 'deals-2024-07-01.csv')]);
  });
  afterAll(() => db.close());

  it('win rates go by status, over deals won or lost in the period', async () => {
    // won 1 (10,000), 6 (3,000), 9 (5,000); lost 2 (4,000), 8 (7,000); deleted 5 is in nothing
    expect(await rows(db, 'win-rates')).toEqual([
      { won: 3, lost: 2, closed: 5, win_rate_count: 0.6, won_amount: 18000, lost_amount: 11000, win_rate_amount: 18000 / 29000 }
    ]);
    // from June: deal 1 was won on 2024-05-20 (its expected close date, 06-15, does not count) → won 6, 9; lost 2, 8
    expect(await rows(db, 'win-rates', { from: '2024-06-01' })).toEqual([
      { won: 2, lost: 2, closed: 4, win_rate_count: 0.5, won_amount: 8000, lost_amount: 11000, win_rate_amount: 8000 / 19000 }
    ]);
    expect(await rows(db, 'win-rates', { pipeline: 'Partners' })).toEqual([
      { won: 1, lost: 1, closed: 2, win_rate_count: 0.5, won_amount: 5000, lost_amount: 7000, win_rate_amount: 5000 / 12000 }
    ]);
  });

  it('funnel: a lost deal reached the stage it was lost in, a won deal every stage', async () => {
    // 2 lost in Demo (3), 3 open in Contact Made (2), 4 open in Negotiations (5); 1 and 6 won
    expect(await funnelOf(db, 'Sales')).toEqual([
      ['Qualified', 5, 0, 0, 0],
      ['Contact Made', 5, 1, 6000, 0],
      ['Demo Scheduled', 4, 0, 0, 1],
      ['Proposal Made', 3, 0, 0, 0],
      ['Negotiations Started', 3, 1, 9000, 0],
      ['Won', 2, 0, 0, 0]
    ]);
    // 7 open in Qualified, 8 lost in Proposal Made, 9 won
    expect(await funnelOf(db, 'Partners')).toEqual([
      ['Qualified', 3, 1, 2000, 0],
      ['Proposal Made', 2, 0, 0, 1],
      ['Won', 1, 0, 0, 0]
    ]);
  });

  it('open pipeline counts open deals only, though won and lost ones sit in open stages', async () => {
    // deal 1 (won) and deal 2 (lost) are in Proposal Made and Demo Scheduled but closed
    expect(await openOf(db, 'Sales')).toEqual([
      ['Qualified', 0, 0],
      ['Contact Made', 1, 6000],
      ['Demo Scheduled', 0, 0],
      ['Proposal Made', 0, 0],
      ['Negotiations Started', 1, 9000]
    ]);
    expect(await openOf(db, 'Partners')).toEqual([
      ['Qualified', 1, 2000],
      ['Proposal Made', 0, 0]
    ]);
  });
});
