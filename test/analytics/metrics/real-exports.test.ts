/**
 * Metrics on the real exports in test/fixtures/public. Every expected figure comes from a
 * plain DuckDB query over the raw CSV written here, not from Pipelens code.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { runMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { SHARED_DATA, ingestPaths, memoryDb } from '../../helpers';

const DATA_EXPORT = join(SHARED_DATA, 'salesforce-data-export');
const REPORT = join(SHARED_DATA, 'salesforce-report-export');

describe('metrics on the Salesforce Data Export', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [DATA_EXPORT]);
  });
  afterAll(() => db.close());
  const metric = async (name: string, params: Record<string, string> = {}) => (await runMetric(db, DEFAULT_SETTINGS, name, params)).rows;

  it('win rates by lead source match a count over opportunity.csv', async () => {
    const expected = await db.query<{ won: number; lost: number }>(
      `SELECT count(*) FILTER (WHERE IsWon = '1')::INTEGER AS won, count(*) FILTER (WHERE IsWon = '0')::INTEGER AS lost
       FROM read_csv($f, all_varchar = true) WHERE IsClosed = '1' AND IsDeleted = '0'
       GROUP BY lower(coalesce(nullif(trim(LeadSource), ''), '(none)')) ORDER BY lower(coalesce(nullif(trim(LeadSource), ''), '(none)'))`,
      { f: join(DATA_EXPORT, 'opportunity.csv') }
    );
    expect(expected.length).toBeGreaterThan(3);
    const rows = await metric('win-rates', { by: 'lead_source' });
    const sorted = [...rows].sort((a, b) => String(a.lead_source).toLowerCase().localeCompare(String(b.lead_source).toLowerCase()));
    expect(sorted.map((r) => ({ won: r.won, lost: r.lost }))).toEqual(expected);
  });

  it('stage visits match the stage changes in OpportunityHistory.csv', async () => {
    const [expected] = await db.query<{ visits: number }>(
      `WITH h AS (SELECT OpportunityId, StageName, lag(StageName) OVER (PARTITION BY OpportunityId ORDER BY CreatedDate, rn) AS prev
                  FROM (SELECT row_number() OVER () AS rn, * FROM read_csv($f, all_varchar = true)) WHERE IsDeleted = '0')
       SELECT count(*)::INTEGER AS visits FROM h WHERE prev IS DISTINCT FROM StageName`,
      { f: join(DATA_EXPORT, 'OpportunityHistory.csv') }
    );
    expect(expected.visits).toBeGreaterThan(30);
    const [{ visits }] = await db.query<{ visits: number }>(`SELECT count(*)::INTEGER AS visits FROM stage_visits`);
    expect(visits).toBe(expected.visits);
  });

  it('closed won per fiscal quarter matches a sum over opportunity.csv', async () => {
    const expected = await db.query<{ quarter: string; closed_won: number }>(
      `SELECT 'FY' || year(CloseDate::DATE) || 'Q' || quarter(CloseDate::DATE) AS quarter, sum(Amount::DOUBLE) AS closed_won
       FROM read_csv($f, all_varchar = true) WHERE IsWon = '1' AND IsDeleted = '0' GROUP BY 1 ORDER BY 1`,
      { f: join(DATA_EXPORT, 'opportunity.csv') }
    );
    expect(expected.length).toBeGreaterThan(1);
    const rows = await metric('forecast');
    expect(rows.filter((r) => (r.closed_won as number) > 0).map((r) => ({ quarter: r.quarter, closed_won: r.closed_won }))).toEqual(expected);
  });

  it('every metric answers on this export', async () => {
    for (const name of ['funnel', 'lead-funnel', 'stage-durations', 'win-rates', 'source-conversion', 'forecast', 'forecast-accuracy', 'stuck-deals', 'velocity', 'overview', 'open-pipeline']) {
      await expect(metric(name)).resolves.toBeInstanceOf(Array);
    }
  });
});

describe('metrics on the Salesforce report export', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await ingestPaths(db, [REPORT]);
  });
  afterAll(() => db.close());
  const metric = async (name: string, params: Record<string, string> = {}) => (await runMetric(db, DEFAULT_SETTINGS, name, params)).rows;

  it('lead funnel counts match a count of Lead.csv by Status', async () => {
    const expected = await db.query<{ status: string; leads: number }>(
      `SELECT Status AS status, count(*)::INTEGER AS leads FROM read_csv($f, all_varchar = true) WHERE IsDeleted = 'FALSE' GROUP BY Status ORDER BY Status`,
      { f: join(REPORT, 'Lead.csv') }
    );
    expect(expected.length).toBeGreaterThan(2);
    const rows = (await metric('lead-funnel')).filter((r) => r.status !== '(all leads)' && (r.leads as number) > 0);
    expect(rows.map((r) => ({ status: r.status, leads: r.leads })).sort((a, b) => String(a.status).localeCompare(String(b.status)))).toEqual(expected);
  });

  it('win rate by quarter matches US-format close dates read by a plain query', async () => {
    const expected = await db.query<{ quarter: string; won: number; lost: number }>(
      `SELECT 'FY' || year(strptime(CloseDate, '%m/%d/%y')) || 'Q' || quarter(strptime(CloseDate, '%m/%d/%y')) AS quarter,
              count(*) FILTER (WHERE IsWon = 'TRUE')::INTEGER AS won, count(*) FILTER (WHERE IsWon = 'FALSE')::INTEGER AS lost
       FROM read_csv($f, all_varchar = true) WHERE IsClosed = 'TRUE' GROUP BY 1 ORDER BY 1`,
      { f: join(REPORT, 'Opportunity.csv') }
    );
    expect(expected.length).toBeGreaterThan(0);
    const rows = await metric('win-rates', { by: 'quarter' });
    expect(rows.map((r) => ({ quarter: r.quarter, won: r.won, lost: r.lost }))).toEqual(expected);
  });
});
