/**
 * Every page survives the values a CRM can produce, at the limits ingest accepts (dates
 * 1900-01-01..2199-12-31, amounts and probabilities within ±10^15), and the values an older
 * database may still hold beyond them (year 10000, NaN, Infinity, 1e300).
 *
 * The fuzz test is the unit-level version of opening every page: random exports at the type
 * limits go through ingest, which loads them or refuses exactly the cells out of range; on
 * what loads, every metric runs (with and without a period) and every field of every row goes
 * through every format function the pages use. The older database's test opens every report
 * page's load() on values written straight into the tables.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadParameterError, openWorkspace, readInputPaths, RejectedFileError, type Workspace } from '../../analytics';
import { METRICS } from '../../analytics/metrics';
import { openDatabase } from '../../analytics/db';
import * as format from '../../app/lib/format';
import { FIXTURES, tempDir } from '../helpers';

const FIRST = Date.UTC(1900, 0, 1);
const LAST = Date.UTC(2199, 11, 31, 23, 59, 59);
const instant = fc.oneof(fc.constantFrom(FIRST, LAST, Date.UTC(2024, 1, 29, 12)), fc.integer({ min: FIRST, max: LAST }));
const day = instant.map((ms) => new Date(ms).toISOString().slice(0, 10));
const stamp = instant.map((ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
const amount = fc.oneof(
  fc.constantFrom('1000000000000000', '-1000000000000000', '0', '-0.01', '999999999999999.99', ''),
  fc.double({ min: -1e15, max: 1e15, noNaN: true }).map(String)
);
const probability = fc.oneof(fc.constantFrom('0', '100', '-1000000000000000', '1000000000000000', ''), fc.double({ min: -1e15, max: 1e15, noNaN: true }).map(String));

/** A cell: a value in range (mostly), or one ingest must refuse. */
interface Cell {
  text: string;
  bad: boolean;
}
const cell = (ok: fc.Arbitrary<string>, out: string[]): fc.Arbitrary<Cell> =>
  fc.oneof({ weight: 12, arbitrary: ok.map((text) => ({ text, bad: false })) }, { weight: 1, arbitrary: fc.constantFrom(...out).map((text) => ({ text, bad: true })) });
const OUT = {
  number: ['NaN', 'Infinity', '-Infinity', '1e309', '20000000000000000', '-1000000000000001'],
  day: ['1899-12-31', '2200-01-01', '10000-01-01'],
  stamp: ['1899-12-31 23:59:59', '2200-01-01 00:00:00', '10000-01-01 00:00:00']
};

const STAGES = ['Prospecting', 'Qualification', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
const deal = fc.record({
  StageName: fc.constantFrom(...STAGES),
  Amount: cell(amount, OUT.number),
  Probability: cell(probability, OUT.number),
  CloseDate: cell(day, OUT.day),
  CreatedDate: cell(stamp, OUT.stamp),
  LastActivityDate: cell(day, OUT.day),
  history: fc.array(fc.record({ StageName: fc.constantFrom(...STAGES), CreatedDate: cell(stamp, OUT.stamp), Amount: cell(amount, OUT.number) }), { maxLength: 3 })
});
const exportOf = fc.array(deal, { minLength: 1, maxLength: 6 });

type Deal = typeof deal extends fc.Arbitrary<infer D> ? D : never;

/** Opportunity.csv and OpportunityHistory.csv of the deals, and the cells ingest must refuse as file:line:column. */
function files(deals: Deal[]) {
  const quote = (s: string) => `"${s}"`;
  const refused: string[] = [];
  const columns = ['Amount', 'Probability', 'CloseDate', 'CreatedDate', 'LastActivityDate'] as const;
  const opportunities = deals.map((d, i) => {
    for (const c of columns) if (d[c].bad) refused.push(`Opportunity.csv:${i + 2}:${c}`);
    return [`D${i}`, d.StageName, ...columns.map((c) => d[c].text), 'USD'].map(quote).join(',');
  });
  const history = deals.flatMap((d, i) => d.history.map((h) => ({ id: `D${i}`, ...h })));
  const historyRows = history.map((h, j) => {
    for (const c of ['CreatedDate', 'Amount'] as const) if (h[c].bad) refused.push(`OpportunityHistory.csv:${j + 2}:${c}`);
    return [h.id, h.StageName, h.CreatedDate.text, h.Amount.text].map(quote).join(',');
  });
  const csv = (lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');
  return {
    upload: [
      { name: 'Opportunity.csv', bytes: csv([`"Id","StageName",${columns.map(quote).join(',')},"CurrencyIsoCode"`, ...opportunities]) },
      { name: 'OpportunityHistory.csv', bytes: csv(['"OpportunityId","StageName","CreatedDate","Amount"', ...historyRows]) }
    ],
    refused: refused.sort()
  };
}

/** Every format function the pages use, on every field of every row: none may throw, each gives text. */
function formatEverything(rows: Record<string, unknown>[]) {
  const texts: string[] = [];
  const each = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(each);
    if (typeof v === 'number' || v === null) {
      texts.push(format.formatNumber(v), format.formatCompact(v), format.formatPercent(v), format.formatPrecisePercent(v), format.formatSignedPercent(v));
      texts.push(format.formatCount(v, 'deal'), format.formatAmount(v, 'USD').text, format.formatAmount(v, null).title || '–');
    }
    if (typeof v === 'string' || v instanceof Date) {
      texts.push(format.formatDate(v), format.formatDateTime(v), format.formatShortDateTime(v), format.formatDay(v));
      if (typeof v === 'string') texts.push(format.formatQuarter(v), format.formatDateRange(v, v));
    }
  };
  for (const row of rows) for (const v of Object.values(row)) each(v);
  for (const t of texts) expect(t.length).toBeGreaterThan(0);
}

/** Every metric on the latest snapshot, without filters and for the first and last quarter offered. */
async function everyMetric(ws: Workspace) {
  const latest = (await ws.snapshots())[0].snapshot_id;
  const options = await ws.filterOptions(latest);
  const periods = [undefined, options.quarters[0], options.quarters.at(-1), options.current_quarter ?? undefined];
  for (const name of Object.keys(METRICS)) {
    for (const period of new Set(periods)) {
      const params: Record<string, string | undefined> = { ...(name === 'pipeline-change-deals' ? { bucket: 'start' } : {}) };
      if (period && METRICS[name].accepts.includes('period')) params.period = period;
      try {
        const { rows } = await ws.metricByName(name, params);
        for (const row of rows) for (const v of Object.values(row)) if (typeof v === 'number') expect(Number.isFinite(v), `${name} ${JSON.stringify(row)}`).toBe(true);
        formatEverything(rows);
      } catch (err) {
        // a comparison needs an earlier snapshot
        if (!(err instanceof BadParameterError && err.parameter === 'base')) throw err;
      }
    }
  }
  formatEverything([options as unknown as Record<string, unknown>]);
}

describe('values at the limits', () => {
  it('load or are refused cell by cell, and every metric and format takes what loads', { timeout: 600_000 }, async () => {
    let loaded = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(exportOf, exportOf, fc.uniqueArray(instant, { minLength: 2, maxLength: 2 }), async (first, second, times) => {
        const ws = await openWorkspace(':memory:');
        try {
          const [a, b] = times.sort((x, y) => x - y).map((t) => new Date(t).toISOString());
          for (const [deals, asOf] of [[first, a], [second, b]] as const) {
            const { upload, refused: expected } = files(deals);
            try {
              await ws.ingest(upload, { asOf });
              expect(expected).toEqual([]);
              loaded++;
            } catch (err) {
              if (!(err instanceof RejectedFileError)) throw err;
              expect(err.problems.map((p) => `${p.file}:${p.line}:${p.column}`).sort()).toEqual(expected);
              refused++;
            }
          }
          if ((await ws.snapshots()).length) await everyMetric(ws);
        } finally {
          ws.close();
        }
      }),
      { numRuns: 12, seed: 20261203 }
    );
    expect(loaded).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(2);
  });
});

type Load = { load: (event: unknown) => Promise<unknown> };

/** Every report page's path and its server module (a static import each, as Vite wants). */
const REPORT_PAGES: [string, () => Promise<Load>][] = [
  ['/', () => import('../../app/routes/+page.server') as Promise<Load>],
  ['/trends', () => import('../../app/routes/trends/+page.server') as Promise<Load>],
  ['/funnel', () => import('../../app/routes/funnel/+page.server') as Promise<Load>],
  ['/win-rates', () => import('../../app/routes/win-rates/+page.server') as Promise<Load>],
  ['/sources', () => import('../../app/routes/sources/+page.server') as Promise<Load>],
  ['/stuck-deals', () => import('../../app/routes/stuck-deals/+page.server') as Promise<Load>],
  ['/durations', () => import('../../app/routes/durations/+page.server') as Promise<Load>],
  ['/forecast', () => import('../../app/routes/forecast/+page.server') as Promise<Load>],
  ['/deals', () => import('../../app/routes/deals/+page.server') as Promise<Load>],
  ['/snapshots', () => import('../../app/routes/snapshots/+page.server') as Promise<Load>],
  ['/snapshots/changes?bucket=start', () => import('../../app/routes/snapshots/changes/+page.server') as Promise<Load>],
  ['/quality', () => import('../../app/routes/quality/+page.server') as Promise<Load>]
];

/** A page's load() as SvelteKit calls it, in workspace `ws` as its admin. */
async function loadPage(ws: Workspace, path: string, module: () => Promise<Load>) {
  const url = new URL(`http://localhost${path}`);
  const { load } = await module();
  return load({
    url,
    request: new Request(url),
    locals: { principal: null, workspace: { slug: 'default', ws, actor: { role: 'admin', name: 'test' } } },
    // what the layout gives every page
    parent: async () => ({ locale: 'en-US', snapshots: (await ws.snapshots()).map((s) => ({ snapshot_id: s.snapshot_id, as_of: s.as_of })) }),
    params: {}
  });
}

/** A workspace on a database file holding what an older Pipelens loaded without a word: year 10000, NaN, Infinity, 1e300. */
async function olderDatabase(dir: string): Promise<Workspace> {
  const file = join(dir, 'old.duckdb');
  const ws = await openWorkspace(file);
  await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline', 'a')]), { asOf: '2024-06-30T12:00:00Z' });
  await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline', 'b')]), { asOf: '2024-07-31T12:00:00Z' });
  // the workspace's own database (one instance per path), written as ingest no longer would
  const db = await openDatabase(file);
  await db.transaction(async (conn) => {
    await conn.run(`UPDATE deal_rows SET close_date = DATE '10000-01-01' WHERE deal_id = 'D3'`);
    await conn.run(`UPDATE deal_rows SET amount = 'NaN'::DOUBLE, amount_corporate = 'NaN'::DOUBLE WHERE deal_id = 'D4'`);
    await conn.run(`UPDATE deal_rows SET amount = 1e300, amount_corporate = 1e300 WHERE deal_id IN ('D5', 'D9')`);
    await conn.run(`UPDATE deal_rows SET amount = 'Infinity'::DOUBLE, amount_corporate = 'Infinity'::DOUBLE, created_at = TIMESTAMP '0001-01-01' WHERE deal_id = 'D6'`);
    await conn.run(`UPDATE deal_rows SET last_activity_date = DATE '10000-01-01', probability = 1e300 WHERE deal_id = 'D7'`);
    await conn.run(`UPDATE stage_visit_rows SET entered_at = TIMESTAMP '0001-01-01' WHERE deal_id = 'D8'`);
  });
  return ws;
}

describe('an older database holding values ingest now refuses', () => {
  it.each(REPORT_PAGES)('renders %s', { timeout: 120_000 }, async (path, module) => {
    const { dir, cleanup } = tempDir();
    const ws = await olderDatabase(dir);
    try {
      expect(await loadPage(ws, path, module)).toBeTruthy();
    } finally {
      ws.close();
      cleanup();
    }
  });

  it('answers every metric, the comparison included, and every answer formats', { timeout: 120_000 }, async () => {
    const { dir, cleanup } = tempDir();
    const ws = await olderDatabase(dir);
    try {
      for (const name of Object.keys(METRICS)) {
        // no filter, a quarter, and every date the snapshots' open deals may close on
        for (const range of [{}, { period: 'FY2024Q3' }, { from: '2000-01-01', to: '2100-12-31' }]) {
          const params = { ...(name === 'pipeline-change-deals' ? { bucket: 'start' } : {}), ...(METRICS[name].accepts.includes('period') ? range : {}) };
          formatEverything((await ws.metricByName(name, params)).rows);
        }
      }
    } finally {
      ws.close();
      cleanup();
    }
  });
});
