import { describe, expect, it } from 'vitest';
import { usePipelineFixture, type Metric } from './fixture';

const close = (actual: unknown, expected: number | null) => (expected === null ? expect(actual).toBeNull() : expect(actual).toBeCloseTo(expected, 9));

describe('stage-durations', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // Completed visits in days (from test/fixtures/pipeline/b/OpportunityHistory.csv):
  //   Prospecting:   D1 10, D2 5, D3 2, D5 31, D6 10, D10 30, D11 12, D12 50  -> sorted 2 5 10 10 12 30 31 50
  //   Qualification: D1 20, D3 10 and 10 again (re-entry)                    -> 10 10 20
  //   Proposal:      D1 20, D3 5 and 10 (re-entry), D11 34                   -> 5 10 20 34
  //   Negotiation:   D1 10, D2 10 (skipped to it), D10 66                    -> 10 10 66
  //   Closed Lost:   D12 25 (then reopened); closed deals' final visits have no duration
  // Ongoing: Prospecting D13, D14; Qualification D5, D9, D12; Proposal D6, D15; Negotiation D4 (two events, one visit).
  const expected: [string, number, number | null, number | null, number | null, number | null, number][] = [
    ['Prospecting', 8, 150 / 8, 11, 30.25, 36.7, 2],
    ['Qualification', 3, 40 / 3, 10, 15, 18, 3],
    ['Proposal', 4, 69 / 4, 15, 23.5, 29.8, 2],
    ['Negotiation', 3, 86 / 3, 10, 38, 54.8, 1],
    ['Closed Won', 0, null, null, null, null, 0],
    ['Closed Lost', 1, 25, 25, 25, 25, 0]
  ];

  it('computes visits, mean and continuous quantiles over completed visits, and ongoing visits', async () => {
    const rows = await metric('stage-durations');
    expect(rows.map((r) => [r.stage, r.visits, r.ongoing])).toEqual(expected.map((e) => [e[0], e[1], e[6]]));
    rows.forEach((r, i) => {
      close(r.mean_days, expected[i][2]);
      close(r.median_days, expected[i][3]);
      close(r.p75_days, expected[i][4]);
      close(r.p90_days, expected[i][5]);
    });
  });

  it('takes visits that began in the period (FY2024Q1: D1, D2, D3 only)', async () => {
    const rows = await metric('stage-durations', { period: 'FY2024Q1' });
    expect(rows.map((r) => [r.stage, r.visits])).toEqual([
      ['Prospecting', 3], ['Qualification', 3], ['Proposal', 3], ['Negotiation', 2], ['Closed Won', 0], ['Closed Lost', 0]
    ]);
  });

  it('groups by owner', async () => {
    const rows = await metric('stage-durations', { by: 'owner' });
    const bob = rows.filter((r) => r.owner === 'Bob Roy').map((r) => [r.stage, r.visits, r.ongoing]);
    // Bob: D2 (P 5, N 10), D4 (N ongoing), D6 (P 10, Pr ongoing), D10 (P 30, N 66), D12 (P 50, CL 25, Q ongoing), D14 (P ongoing)
    expect(bob).toEqual([
      ['Prospecting', 4, 1], ['Qualification', 0, 1], ['Proposal', 0, 1], ['Negotiation', 2, 1], ['Closed Won', 0, 0], ['Closed Lost', 1, 0]
    ]);
  });

  it('gives the same figures from the statistics kept at ingest as from the visits themselves', async () => {
    // no filter reads stage_visit_stats; a filter that keeps every deal (pipeline=default) recomputes from stage_visits
    expect(await metric('stage-durations', { pipeline: 'default' })).toEqual(await metric('stage-durations'));
  });
});
