/** Expected figures are worked out by hand in test/fixtures/README.md. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { BadParameterError, UnknownMetricError } from '../../../analytics/errors';
import { runMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, ingestPaths, memoryDb } from '../../helpers';

describe('overview on the hand-built fixture', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [join(FIXTURES, 'overview')], { asOf: '2024-08-15T00:00:00Z' });
  });
  afterAll(() => db.close());

  it('computes open pipeline, closed won this quarter and the trailing win rate', async () => {
    const { rows } = await runMetric(db, DEFAULT_SETTINGS, 'overview', {});
    expect(rows).toEqual([
      {
        as_of: '2024-08-15T00:00:00Z',
        corporate_currency: 'USD',
        open_count: 3,
        open_amount: 35000,
        quarter: 'FY2024Q3',
        quarter_from: '2024-07-01',
        quarter_to: '2024-09-30',
        closed_won_count: 2,
        closed_won_amount: 40000,
        win_rate_from: '2023-07-01',
        win_rate_to: '2024-06-30',
        won: 2,
        lost: 2,
        win_rate_count: 0.5
      }
    ]);
  });

  it('follows the fiscal year start month', async () => {
    const { rows } = await runMetric(db, { ...DEFAULT_SETTINGS, fiscal_year_start_month: 8 }, 'overview', {});
    // FY2025 starts 2024-08-01: Q1 = 2024-08-01..2024-10-31 holds D5 (10,000) and D9 (2,000)
    expect(rows[0]).toMatchObject({ quarter: 'FY2025Q1', quarter_from: '2024-08-01', quarter_to: '2024-10-31', closed_won_amount: 12000 });
  });

  it('lists open stages in stage order with their open deals', async () => {
    const { rows } = await runMetric(db, DEFAULT_SETTINGS, 'open-pipeline', { snapshot: 'latest' });
    expect(rows).toEqual([
      { stage: 'Prospecting', sort_order: 1, forecast_category: 'Pipeline', open_count: 1, open_amount: 10000 },
      { stage: 'Negotiation/Review', sort_order: 2, forecast_category: 'Pipeline', open_count: 2, open_amount: 25000 }
    ]);
  });

  it('gives a null win rate, not 0, when nothing closed in the trailing quarters', async () => {
    const empty = await memoryDb();
    await ingestPaths(empty, [join(FIXTURES, 'overview')], { asOf: '2030-01-01T00:00:00Z' });
    const { rows } = await runMetric(empty, DEFAULT_SETTINGS, 'overview', {});
    expect(rows[0]).toMatchObject({ won: 0, lost: 0, win_rate_count: null, closed_won_amount: 0 });
    empty.close();
  });

  it('names unknown metrics and bad parameters', async () => {
    await expect(runMetric(db, DEFAULT_SETTINGS, 'nope', {})).rejects.toBeInstanceOf(UnknownMetricError);
    await expect(runMetric(db, DEFAULT_SETTINGS, 'overview', { owner: 'x' })).rejects.toThrow('bad parameter owner');
    await expect(runMetric(db, DEFAULT_SETTINGS, 'overview', { snapshot: '99' })).rejects.toBeInstanceOf(BadParameterError);
    await expect(runMetric(db, DEFAULT_SETTINGS, 'overview', { snapshot: "1; DROP TABLE deals" })).rejects.toThrow('bad parameter snapshot');
  });

  it('has no rows before any snapshot is loaded', async () => {
    const empty = await memoryDb();
    expect(await runMetric(empty, DEFAULT_SETTINGS, 'overview', {})).toMatchObject({ snapshot_id: null, rows: [] });
    empty.close();
  });
});
