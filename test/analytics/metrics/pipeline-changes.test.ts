import { join } from 'node:path';
import { cpSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, ingestPaths, memoryDb, tempDir } from '../../helpers';
import { A_AS_OF, B_AS_OF, usePipelineFixture, type Metric } from './fixture';

type Row = { bucket: string; deals: number; amount: number };
const identity = (rows: Row[]) => {
  const v = Object.fromEntries(rows.map((r) => [r.bucket, Math.round(r.amount * 100)]));
  return v.start + v.new + v.pulled_in + v.reopened + v.increased - v.decreased - v.pushed_out - v.won - v.lost - v.removed - v.end;
};

describe('pipeline-changes', () => {
  const fixture = usePipelineFixture();
  const metric: Metric = (...args) => fixture.metric(...args);

  // Period FY2024Q3 (the quarter of B). Open in it at A: D4 12,000 (6,000 EUR), D5 0, D6 7,000, D7 3,000, D8 4,000,
  // D9 9,000, D10 12,000, D11 6,000, D15 10,000 = 63,000. At B: D4 16,000, D5 0, D6 7,000, D12 5,000, D13 2,500,
  // D14 3,500, D15 8,000 = 42,000. D5 and D6 are unchanged.
  it('splits the change into buckets whose identity holds to the cent', async () => {
    const rows = (await metric('pipeline-changes', { base: String(fixture.a) })) as Row[];
    expect(rows).toEqual([
      { bucket: 'start', deals: 9, amount: 63000 },
      { bucket: 'new', deals: 1, amount: 2500 }, // D13
      { bucket: 'pulled_in', deals: 1, amount: 3500 }, // D14: Nov → Aug
      { bucket: 'reopened', deals: 1, amount: 5000 }, // D12: lost at A
      { bucket: 'increased', deals: 1, amount: 4000 }, // D4: 12,000 → 16,000
      { bucket: 'decreased', deals: 1, amount: 2000 }, // D15: 10,000 → 8,000
      { bucket: 'pushed_out', deals: 1, amount: 9000 }, // D9: Jul → Oct
      { bucket: 'won', deals: 1, amount: 12000 }, // D10
      { bucket: 'lost', deals: 1, amount: 6000 }, // D11
      { bucket: 'removed', deals: 2, amount: 7000 }, // D7 deleted, D8 absent
      { bucket: 'end', deals: 7, amount: 42000 }
    ]);
    expect(identity(rows)).toBe(0);
  });

  it('compares with the previous snapshot by default', async () => {
    expect(await metric('pipeline-changes')).toEqual(await metric('pipeline-changes', { base: String(fixture.a) }));
  });

  it('holds to the cent with a rate that gives fractions of cents', async () => {
    const { dir, cleanup } = tempDir();
    const db = await memoryDb();
    for (const [name, asOf] of [['a', A_AS_OF], ['b', B_AS_OF]] as const) {
      cpSync(join(FIXTURES, 'pipeline', name), join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'CurrencyType.csv'), '"IsoCode","ConversionRate","IsCorporate"\n"USD","1","1"\n"EUR","0.9","0"\n');
      await ingestPaths(db, [join(dir, name)], { asOf });
    }
    const { rows } = await runMetric(db, DEFAULT_SETTINGS, 'pipeline-changes', {});
    // D4: 6,000 / 0.9 = 6,666.67 at A, 8,000 / 0.9 = 8,888.89 at B
    expect(rows.find((r) => r.bucket === 'increased')).toEqual({ bucket: 'increased', deals: 1, amount: 2222.22 });
    expect(rows.find((r) => r.bucket === 'start')).toEqual({ bucket: 'start', deals: 9, amount: 57666.67 });
    expect(identity(rows as Row[])).toBe(0);
    db.close();
    cleanup();
  });

  it('needs an earlier snapshot', async () => {
    await expect(metric('pipeline-changes', { snapshot: String(fixture.a) })).rejects.toThrow('bad parameter base');
  });
});

describe('pipeline-change-deals', () => {
  const fixture = usePipelineFixture();

  it('lists the deals of each bucket, adding up to the bucket', async () => {
    const totals = (await fixture.metric('pipeline-changes')) as Row[];
    for (const { bucket, deals, amount } of totals) {
      const rows = await fixture.metric('pipeline-change-deals', { bucket });
      expect(rows).toHaveLength(deals);
      expect(rows.reduce((s, r) => s + (r.amount as number), 0)).toBeCloseTo(amount, 2);
    }
    expect(await fixture.metric('pipeline-change-deals', { bucket: 'removed' })).toEqual([
      { deal_id: 'D8', deal: 'Eight: gone from B', owner: 'Bob Roy', bucket: 'removed', stage_a: 'Negotiation', stage_b: null, close_date_a: '2024-09-01', close_date_b: null, amount_a: 4000, amount_b: 0, amount: 4000 },
      { deal_id: 'D7', deal: 'Seven: deleted', owner: 'Ann Lee', bucket: 'removed', stage_a: 'Qualification', stage_b: null, close_date_a: '2024-08-01', close_date_b: null, amount_a: 3000, amount_b: 0, amount: 3000 }
    ]);
  });

  it('needs a bucket it knows', async () => {
    await expect(fixture.metric('pipeline-change-deals')).rejects.toThrow('bad parameter bucket');
    await expect(fixture.metric('pipeline-change-deals', { bucket: 'lost-and-found' })).rejects.toThrow('bad parameter bucket');
  });
});
