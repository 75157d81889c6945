/**
 * The pure SQL builders: every filter value travels as a parameter, the SQL text only
 * changes with the allowlisted grouping.
 */
import { describe, expect, it } from 'vitest';
import type { Filters } from '../../../analytics/metrics/metric';
import { buildDealsSql } from '../../../analytics/metrics/deals';
import { buildForecastSql } from '../../../analytics/metrics/forecast';
import { buildFunnelSql } from '../../../analytics/metrics/funnel';
import { buildStageDurationsSql } from '../../../analytics/metrics/stage-durations';
import { buildStuckDealsSql } from '../../../analytics/metrics/stuck-deals';
import { buildVelocitySql } from '../../../analytics/metrics/velocity';
import { buildWinRatesSql } from '../../../analytics/metrics/win-rates';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';

const HOSTILE = "'; DROP TABLE deals; --";
const all: Filters = { snapshot: 3, from: '2024-01-01', to: '2024-03-31', owner: HOSTILE, lead_source: HOSTILE, type: HOSTILE, pipeline: HOSTILE };

describe('SQL builders', () => {
  it.each([
    ['funnel', () => buildFunnelSql(all)],
    ['stage-durations', () => buildStageDurationsSql({ ...all, by: 'owner' })],
    ['win-rates', () => buildWinRatesSql({ ...all, by: 'quarter' }, DEFAULT_SETTINGS)],
    ['forecast', () => buildForecastSql({ ...all, by: 'lead_source' }, DEFAULT_SETTINGS)],
    ['stuck-deals', () => buildStuckDealsSql(all, DEFAULT_SETTINGS)],
    ['velocity', () => buildVelocitySql({ ...all, by: 'type' }, { from: '2023-01-01', to: '2023-12-31' })],
    ['deals', () => buildDealsSql({ ...all, stage: HOSTILE, status: 'open', forecast_category: HOSTILE })]
  ])('%s keeps values out of the SQL text', (_, build) => {
    const { sql, params } = build();
    expect(sql).not.toContain('DROP TABLE');
    expect(Object.values(params).filter((v) => v === HOSTILE).length).toBeGreaterThanOrEqual(4);
    for (const name of Object.keys(params)) expect(sql).toContain(`$${name}`);
  });

  it('names the group column after the dimension and groups on its key', () => {
    expect(buildWinRatesSql({ snapshot: 1, by: 'owner' }, DEFAULT_SETTINGS).sql).toMatch(/AS "owner",[\s\S]*GROUP BY coalesce\(d\.owner_id, d\.owner_name\)/);
    expect(buildWinRatesSql({ snapshot: 1 }, DEFAULT_SETTINGS).sql).not.toContain('GROUP BY');
  });

  it('passes the parameters a filter set gives', () => {
    expect(buildFunnelSql(all).params).toMatchInlineSnapshot(`
      {
        "from": "2024-01-01",
        "lead_source": "'; DROP TABLE deals; --",
        "owner": "'; DROP TABLE deals; --",
        "pipeline": "'; DROP TABLE deals; --",
        "snapshot": 3,
        "to": "2024-03-31",
        "type": "'; DROP TABLE deals; --",
      }
    `);
    expect(buildStuckDealsSql({ snapshot: 2 }, DEFAULT_SETTINGS).params).toMatchInlineSnapshot(`
      {
        "fallback_days": 30,
        "inactivity_days": 30,
        "lead_source": null,
        "limit": null,
        "min_visits": 10,
        "owner": null,
        "pipeline": null,
        "reason": null,
        "snapshot": 2,
        "type": null,
      }
    `);
  });
});
