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

describe('pipeline changes across three snapshots', () => {
  const fixture = usePipelineFixture(['a', 'b', 'c']);
  const changes = (base: 'a' | 'b', params: Record<string, string> = {}) =>
    fixture.metric('pipeline-changes', { base: String(fixture[base]), ...params }) as Promise<Row[]>;
  const deals = (base: 'a' | 'b', bucket: string) =>
    fixture.metric('pipeline-change-deals', { base: String(fixture[base]), period: 'FY2024Q3', bucket });

  // FY2024Q3 open at B: D4 16,000, D5 0, D6 7,000, D12 5,000, D13 2,500, D14 3,500, D15 8,000 = 42,000 (7 deals).
  // At C (2024-10-01, the quarter over, its open deals overdue): D5 1,500, D6 6,000, D18 3,000 = 10,500 (3 deals).
  // D17 was created and won between B and C: never open at either, so in no bucket.
  // 42,000 + 3,000 + 0 + 0 + 1,500 − 1,000 − 7,500 − 16,000 − 8,000 − 3,500 = 10,500
  it('splits B → C of the ended quarter into buckets', async () => {
    const rows = await changes('b', { period: 'FY2024Q3' });
    expect(rows).toEqual([
      { bucket: 'start', deals: 7, amount: 42000 },
      { bucket: 'new', deals: 1, amount: 3000 }, // D18, created 2024-09-16
      { bucket: 'pulled_in', deals: 0, amount: 0 },
      { bucket: 'reopened', deals: 0, amount: 0 },
      { bucket: 'increased', deals: 1, amount: 1500 }, // D5: no amount (0) → 1,500
      { bucket: 'decreased', deals: 1, amount: 1000 }, // D6: 7,000 → 6,000
      { bucket: 'pushed_out', deals: 2, amount: 7500 }, // D12 5,000 (→ 11-15), D13 2,500 at B's amount (3,000 at C, → 10-15)
      { bucket: 'won', deals: 1, amount: 16000 }, // D4: 8,000 EUR
      { bucket: 'lost', deals: 1, amount: 8000 }, // D15
      { bucket: 'removed', deals: 1, amount: 3500 }, // D14, absent from C
      { bucket: 'end', deals: 3, amount: 10500 }
    ]);
    expect(identity(rows)).toBe(0);
  });

  // FY2024Q3 open at A: D4 12,000 (6,000 EUR), D5 0, D6 7,000, D7 3,000, D8 4,000, D9 9,000, D10 12,000, D11 6,000,
  // D15 10,000 = 63,000 (9 deals); at C 10,500 as above. D11, lost in July and reopened into December since, is just
  // pushed out when B is skipped; D12 (closed at A) and D13, D14, D17 are never open in the quarter at A or C.
  // 63,000 + 3,000 + 0 + 0 + 1,500 − 1,000 − 15,000 − 24,000 − 10,000 − 7,000 = 10,500
  it('splits A → C of the same quarter, skipping B', async () => {
    const rows = await changes('a', { period: 'FY2024Q3' });
    expect(rows).toEqual([
      { bucket: 'start', deals: 9, amount: 63000 },
      { bucket: 'new', deals: 1, amount: 3000 }, // D18
      { bucket: 'pulled_in', deals: 0, amount: 0 },
      { bucket: 'reopened', deals: 0, amount: 0 },
      { bucket: 'increased', deals: 1, amount: 1500 }, // D5: 0 → 1,500
      { bucket: 'decreased', deals: 1, amount: 1000 }, // D6: 7,000 → 6,000
      { bucket: 'pushed_out', deals: 2, amount: 15000 }, // D9 9,000 (→ 12-15), D11 6,000 (→ 12-10)
      { bucket: 'won', deals: 2, amount: 24000 }, // D4 12,000 at A's amount (16,000 when won), D10 12,000
      { bucket: 'lost', deals: 1, amount: 10000 }, // D15 at A's amount (8,000 when lost)
      { bucket: 'removed', deals: 2, amount: 7000 }, // D7 3,000 and D8 4,000: absent from C
      { bucket: 'end', deals: 3, amount: 10500 }
    ]);
    expect(identity(rows)).toBe(0);
  });

  // C's own quarter (the default) is FY2024Q4. At B only D9 9,000 (10-31) is open in it; at C D9 9,000 (12-15, unchanged
  // amount), D11 6,000 (12-10), D12 5,000 (11-15), D13 3,000 (10-15) = 23,000. What Q3 lost as pushed out, Q4 gains as pulled in.
  it('sees the deals pushed out of one quarter pulled into the next', async () => {
    const rows = await changes('b');
    expect(rows.filter((r) => r.deals > 0)).toEqual([
      { bucket: 'start', deals: 1, amount: 9000 },
      { bucket: 'pulled_in', deals: 2, amount: 8000 }, // D12 5,000, D13 3,000 (C's amount)
      { bucket: 'reopened', deals: 1, amount: 6000 }, // D11: lost at B
      { bucket: 'end', deals: 4, amount: 23000 }
    ]);
    expect(identity(rows)).toBe(0);
    expect(await changes('b')).toEqual(await changes('b', { period: 'FY2024Q4', snapshot: String(fixture.c) }));
  });

  it('lists the deals behind the buckets', async () => {
    expect(await deals('b', 'pushed_out')).toEqual([
      { deal_id: 'D12', deal: 'Twelve: reopened', owner: 'Bob Roy', bucket: 'pushed_out', stage_a: 'Qualification', stage_b: 'Qualification', close_date_a: '2024-09-15', close_date_b: '2024-11-15', amount_a: 5000, amount_b: 5000, amount: 5000 },
      { deal_id: 'D13', deal: 'Thirteen: new in July', owner: 'Ann Lee', bucket: 'pushed_out', stage_a: 'Prospecting', stage_b: 'Qualification', close_date_a: '2024-09-10', close_date_b: '2024-10-15', amount_a: 2500, amount_b: 3000, amount: 2500 }
    ]);
    // equal amounts: by deal id, as text
    expect(await deals('a', 'won')).toEqual([
      { deal_id: 'D10', deal: 'Ten: won in July', owner: 'Bob Roy', bucket: 'won', stage_a: 'Negotiation', stage_b: 'Closed Won', close_date_a: '2024-07-25', close_date_b: '2024-07-20', amount_a: 12000, amount_b: 12000, amount: 12000 },
      { deal_id: 'D4', deal: 'Four: starts late, EUR', owner: 'Bob Roy', bucket: 'won', stage_a: 'Negotiation', stage_b: 'Closed Won', close_date_a: '2024-08-15', close_date_b: '2024-08-14', amount_a: 12000, amount_b: 16000, amount: 12000 }
    ]);
    expect(await deals('a', 'pushed_out')).toEqual([
      { deal_id: 'D9', deal: 'Nine: pushed twice', owner: 'Ann Lee', bucket: 'pushed_out', stage_a: 'Qualification', stage_b: 'Proposal', close_date_a: '2024-07-31', close_date_b: '2024-12-15', amount_a: 9000, amount_b: 9000, amount: 9000 },
      { deal_id: 'D11', deal: 'Eleven: lost in July', owner: 'Ann Lee', bucket: 'pushed_out', stage_a: 'Proposal', stage_b: 'Proposal', close_date_a: '2024-08-30', close_date_b: '2024-12-10', amount_a: 6000, amount_b: 6000, amount: 6000 }
    ]);
    expect((await deals('b', 'increased')).map((r) => [r.deal_id, r.amount_a, r.amount_b, r.amount])).toEqual([['D5', 0, 1500, 1500]]);
    expect((await deals('b', 'end')).map((r) => [r.deal_id, r.amount])).toEqual([['D6', 6000], ['D18', 3000], ['D5', 1500]]);
  });
});
