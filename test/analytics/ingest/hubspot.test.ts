/**
 * HubSpot deals export (test/fixtures/hubspot, see its README): detection, rows, stage
 * events from the "Date entered" columns, stages per pipeline (HubSpot's default
 * pipeline as fallback, the pipeline-stage table where given) and the Fivetran seeds'
 * stage metadata.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { FIXTURES, SHARED_DATA, ingestPaths, memoryDb } from '../../helpers';

const DEALS = join(FIXTURES, 'hubspot', 'hubspot-crm-exports-all-deals-2024-07-01.csv');

describe('HubSpot deals export', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [join(FIXTURES, 'hubspot')]);
  });
  afterAll(() => db.close());

  it('is recognised from its headers and stored as a hubspot snapshot with history', async () => {
    const [s] = await db.query(`SELECT crm, export_kind, as_of::VARCHAR AS as_of, as_of_source, has_history FROM snapshots`);
    // as_of: the latest "Last Modified Date", deal 201's 2024-07-01 09:00
    expect(s).toEqual({ crm: 'hubspot', export_kind: 'deals-export', as_of: '2024-07-01 09:00:00', as_of_source: 'Last Modified Date', has_history: true });
  });

  it('reads a deal row: labels, pipeline, amount, dates and owner', async () => {
    const [d] = await db.query(
      `SELECT name, pipeline, stage, amount, close_date::VARCHAR AS close_date, created_at::VARCHAR AS created_at, owner_name, last_activity_date::VARCHAR AS last_activity
       FROM deals WHERE deal_id = '102'`
    );
    expect(d).toEqual({
      name: 'Birch rollout', pipeline: 'Sales Pipeline', stage: 'Closed lost', amount: 4000,
      close_date: '2024-06-10', created_at: '2024-03-01 10:15:00', owner_name: 'Bob Roy', last_activity: '2024-06-01'
    });
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM deals`)).toEqual([{ n: 9 }]);
  });

  it('turns each "Date entered" value into a stage event, in time order', async () => {
    const events = await db.query(`SELECT seq, event_at::VARCHAR AS at, stage, origin FROM stage_events WHERE deal_id = '101' ORDER BY seq`);
    // deal 101 entered four stages of its pipeline (it skipped Presentation and Decision maker)
    expect(events).toEqual([
      { seq: 1, at: '2024-02-01 09:00:00', stage: 'Appointment scheduled', origin: 'history' },
      { seq: 2, at: '2024-02-11 09:00:00', stage: 'Qualified to buy', origin: 'history' },
      { seq: 3, at: '2024-04-01 09:00:00', stage: 'Contract sent', origin: 'history' },
      { seq: 4, at: '2024-05-15 12:00:00', stage: 'Closed won', origin: 'history' }
    ]);
    // Appointment 10 days; Qualified 2024-02-11 → 04-01 = 18 + 31 + 1 = 50 days (2024 is a leap year); Contract sent 44 days 3 hours
    const visits = await db.query(
      `SELECT stage, round((epoch(exited_at) - epoch(entered_at)) / 86400, 3) AS days FROM stage_visits WHERE deal_id = '101' AND exited_at IS NOT NULL ORDER BY visit_no`
    );
    expect(visits).toEqual([
      { stage: 'Appointment scheduled', days: 10 },
      { stage: 'Qualified to buy', days: 50 },
      { stage: 'Contract sent', days: 44.125 }
    ]);
    // 4 + 3 + 2 + 5 + 2 entered values in Sales Pipeline, 3 + 2 + 2 + 1 in Renewals
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM stage_events`)).toEqual([{ n: 24 }]);
  });

  it('keeps stage order and probabilities per pipeline: HubSpot defaults, else the pipeline-stage table in percent', async () => {
    const stages = await db.query(`SELECT pipeline, stage, sort_order, probability, is_closed, is_won, stage_bit FROM stages ORDER BY pipeline, sort_order`);
    expect(stages).toEqual([
      // deal_pipeline_stage.csv: 0.3, 0.7, 1.0, 0.0 as percentages; the deleted "Quote drafted" row is left out
      { pipeline: 'Renewals', stage: 'Renewal due', sort_order: 1, probability: 30, is_closed: false, is_won: false, stage_bit: 0 },
      { pipeline: 'Renewals', stage: 'Quote sent', sort_order: 2, probability: 70, is_closed: false, is_won: false, stage_bit: 1 },
      { pipeline: 'Renewals', stage: 'Closed won', sort_order: 3, probability: 100, is_closed: true, is_won: true, stage_bit: 2 },
      { pipeline: 'Renewals', stage: 'Closed lost', sort_order: 4, probability: 0, is_closed: true, is_won: false, stage_bit: 3 },
      // no metadata for Sales Pipeline: HubSpot's default pipeline, 20 / 40 / 60 / 80 / 90 / 100 / 0
      { pipeline: 'Sales Pipeline', stage: 'Appointment scheduled', sort_order: 1, probability: 20, is_closed: false, is_won: false, stage_bit: 0 },
      { pipeline: 'Sales Pipeline', stage: 'Qualified to buy', sort_order: 2, probability: 40, is_closed: false, is_won: false, stage_bit: 1 },
      { pipeline: 'Sales Pipeline', stage: 'Presentation scheduled', sort_order: 3, probability: 60, is_closed: false, is_won: false, stage_bit: 2 },
      { pipeline: 'Sales Pipeline', stage: 'Decision maker bought-in', sort_order: 4, probability: 80, is_closed: false, is_won: false, stage_bit: 3 },
      { pipeline: 'Sales Pipeline', stage: 'Contract sent', sort_order: 5, probability: 90, is_closed: false, is_won: false, stage_bit: 4 },
      { pipeline: 'Sales Pipeline', stage: 'Closed won', sort_order: 6, probability: 100, is_closed: true, is_won: true, stage_bit: 5 },
      { pipeline: 'Sales Pipeline', stage: 'Closed lost', sort_order: 7, probability: 0, is_closed: true, is_won: false, stage_bit: 6 }
    ]);
  });
});

describe('HubSpot stage metadata from the Fivetran seeds', () => {
  it('orders each pipeline by display_order with probabilities in percent, deleted stages left out', async () => {
    const db = await memoryDb();
    const seeds = join(SHARED_DATA, 'fivetran-hubspot-seeds');
    await ingestPaths(db, [DEALS, join(seeds, 'deal_pipeline_stage_data.csv'), join(seeds, 'deal_pipeline_data.csv')]);
    const stages = (pipeline: string) =>
      db.query(`SELECT stage, sort_order, probability, is_closed, is_won FROM stages WHERE pipeline = $pipeline ORDER BY sort_order`, { pipeline });
    // The seed's stage pipeline ids are hashed and match no deal_pipeline row, so pipelines keep their id.
    // Rows 67–72 of deal_pipeline_stage_data.csv: display_order 0..5 with probability 0.1, 0.3, 0.5, 0.7, 0.8, 0.9.
    expect(await stages('2suHVO8IF4SEKSDGff7PBw==')).toEqual([
      { stage: 'TWPnxoQZWzsOgBvQbVHV4w==', sort_order: 1, probability: 10, is_closed: false, is_won: false },
      { stage: 'sK/cjFHFE0YH+7qlMddhKQ==', sort_order: 2, probability: 30, is_closed: false, is_won: false },
      { stage: 'k4Ppgl8cmdN9BIgWvJDesg==', sort_order: 3, probability: 50, is_closed: false, is_won: false },
      { stage: 'X3I9RnulD0cHFVbeZibDHg==', sort_order: 4, probability: 70, is_closed: false, is_won: false },
      { stage: 'q+Isf9tCP1vt7l4qcVFBjg==', sort_order: 5, probability: 80, is_closed: false, is_won: false },
      { stage: '/0aa9HI5H/kOkIlBsSqojw==', sort_order: 6, probability: 90, is_closed: false, is_won: false }
    ]);
    // Rows 2–9: display_order 0..7; order 6 is closed won (1.0), so it goes last; order 7 (0.0) is
    // flagged neither closed nor won in the seed, so it stays an open stage (a quirk of the seed).
    const wh = await stages('wh+Wm18D0z1D4E+PE252gg==');
    expect(wh.map((s) => [s.stage, s.sort_order, s.probability, s.is_closed])).toEqual([
      ['P0WrVl2tQ/YP8Dte+luubw==', 1, 10, false],
      ['TY5vWLDESu3m6DzPS4MDEA==', 2, 10, false],
      ['dP2FfHF4+97+jtAnhP+WSA==', 3, 40, false],
      ['9hM54Lf/5lGJr082RN3R0g==', 4, 60, false],
      ['lBHMEsbmFw2dboKkjcFP+Q==', 5, 80, false],
      ['xtJd8DfkQb0L5Owm3i672A==', 6, 90, false],
      ['pqNpReDOp9fpUPal7wWFXg==', 7, 0, false],
      ['HloNyGJEOLMWtXLjmapLQw==', 8, 100, true]
    ]);
    // pipeline /QJj…: 41 rows (grep -c), one of them deleted (_fivetran_deleted TRUE, a second display_order 18): 40 stages
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM stages WHERE pipeline = '/QJj4Q8q6MEf7Vs+2juQMg=='`)).toEqual([{ n: 40 }]);
    db.close();
  });
});
