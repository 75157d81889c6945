import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputPaths, type Workspace } from '../../../analytics';
import { SHARED_DATA, splitCsv, tempWorkspaces } from '../../helpers';

/**
 * The two public exports that made implausible figures, loaded as they are: their checks,
 * and the figures those checks guard. Expected counts are read from the files here, by
 * hand-written parsing, not through the engine.
 */
const SF = join(SHARED_DATA, 'salesforce-data-export');
const MAVEN = join(SHARED_DATA, 'maven-crm-sales-opportunities', 'sales_pipeline.csv');

describe('data quality of the public exports', () => {
  let env: Awaited<ReturnType<typeof tempWorkspaces>>;
  let sf: Workspace;
  let maven: Workspace;
  beforeAll(async () => {
    env = await tempWorkspaces();
    sf = await env.registry.open('default');
    await sf.ingest(readInputPaths([SF]));
    await env.registry.create('Maven', {}, 'test');
    maven = await env.registry.open('maven');
    await maven.ingest(readInputPaths([MAVEN]), { mapping: readFileSync('data/mappings/maven-crm-sales-opportunities.json', 'utf8'), asOf: '2017-12-31' });
  }, 60_000);
  afterAll(() => env.cleanup());

  it('Salesforce developer-org sample: deals closed before they were created, history at one load instant', async () => {
    const { header, rows } = splitCsv(join(SF, 'opportunity.csv'));
    const col = (name: string) => header.indexOf(name);
    const closeBeforeCreated = rows.filter((r) => r[col('CloseDate')].slice(0, 10) < r[col('CreatedDate')].slice(0, 10));
    const won = rows.filter((r) => r[col('IsWon')] === '1');
    const history = splitCsv(join(SF, 'OpportunityHistory.csv'));
    const historyTimes = new Set(history.rows.map((r) => r[history.header.indexOf('CreatedDate')].slice(0, 13)));
    expect([closeBeforeCreated.length, won.length, history.rows.length, [...historyTimes]]).toEqual([30, 18, 62, ['2023-10-28 20']]);

    const id = (await sf.resolveSnapshot())!;
    const checks = new Map((await sf.quality(id)).map((c) => [c.id, c]));
    expect(checks.get('close-before-created')).toMatchObject({ severity: 'unusable', count: closeBeforeCreated.length });
    expect(checks.get('history-one-instant')).toMatchObject({ severity: 'unusable', count: history.rows.length });

    // the −81-day cycle and the negative velocity are gone, with the reason
    const velocity = await sf.metric('velocity');
    expect(velocity.rows[0]).toMatchObject({ avg_cycle_days: null, velocity: null });
    expect(velocity.caveats.map((c) => c.check)).toEqual(['close-before-created']);
    const sources = await sf.metric('source-conversion');
    expect(sources.rows.every((r) => r.median_sales_cycle_days === null)).toBe(true);
    // no duration, so no "slowest stage" over nothing; no deal called stalled
    const durations = await sf.metric('stage-durations');
    expect(durations.rows.length).toBeGreaterThan(0);
    expect(durations.rows.every((r) => r.median_days === null && r.mean_days === null && r.p90_days === null)).toBe(true);
    expect(durations.caveats.map((c) => c.check)).toEqual(['history-one-instant']);
    const stuck = await sf.metric('stuck-deals');
    expect(stuck.rows.some((r) => r.reasons.includes('stalled'))).toBe(false);
    expect(stuck.rows.every((r) => r.days_in_stage === null)).toBe(true);
  });

  it("Maven's sales pipeline: lost deals all at 0, so no win rate by amount; the win rate by count stands", async () => {
    const { header, rows } = splitCsv(MAVEN);
    const stage = header.indexOf('deal_stage');
    const value = header.indexOf('close_value');
    const won = rows.filter((r) => r[stage] === 'Won').length;
    const lost = rows.filter((r) => r[stage] === 'Lost');
    expect([won, lost.length, lost.filter((r) => Number(r[value] || 0) !== 0).length]).toEqual([4238, 2473, 0]);

    const id = (await maven.resolveSnapshot())!;
    const checks = new Map((await maven.quality(id)).map((c) => [c.id, c]));
    expect(checks.get('lost-zero-amounts')).toMatchObject({ severity: 'unusable', count: 2473 });
    const rates = await maven.metric('win-rates');
    expect(rates.rows[0]).toMatchObject({ won, lost: lost.length, win_rate_count: won / (won + lost.length), win_rate_amount: null });
    expect(rates.caveats).toEqual([{ check: 'lost-zero-amounts', figures: ['win_rate_amount'], reason: checks.get('lost-zero-amounts')!.sentence }]);
    // the deals list opens every deal the check hits
    const hit = await maven.metric('deals', { check: 'lost-zero-amounts' });
    expect(hit.rows.length).toBe(2473);
    expect(hit.rows.every((r) => r.status === 'lost')).toBe(true);
  });
});
