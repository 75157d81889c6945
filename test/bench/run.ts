/**
 * npm run bench: the metrics and the ingest at scale, each as a ratio to DuckDB doing
 * the same work bare in this process (this machine is noisy; ratios travel better than
 * milliseconds). Prints one table; targets from the metrics issue are shown beside it;
 * then page loads and the storage growth of 52 weekly snapshots (storage-growth.ts).
 *
 *   BENCH_DEALS (default 1,000,000), BENCH_WEEKS (26), BENCH_RUNS (5)
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type Params } from '../../analytics/db';
import { ingest } from '../../analytics/ingest/ingest';
import { computeMetric as runMetric } from '../../analytics/metrics'; // uncached: the bench times the work, not the cache
import { buildForecastSql } from '../../analytics/metrics/forecast';
import { buildFunnelSql } from '../../analytics/metrics/funnel';
import { buildLeadFunnelSql } from '../../analytics/metrics/lead-funnel';
import { OVERVIEW_SQL } from '../../analytics/metrics/overview';
import { OPEN_PIPELINE_SQL } from '../../analytics/metrics/open-pipeline';
import { PIPELINE_CHANGES_SQL } from '../../analytics/metrics/pipeline-changes';
import { buildSourceConversionSql } from '../../analytics/metrics/source-conversion';
import { buildStageDurationsSql } from '../../analytics/metrics/stage-durations';
import { buildStuckDealsSql, buildStuckReasonsSql } from '../../analytics/metrics/stuck-deals';
import { buildVelocitySql, trailingWindow } from '../../analytics/metrics/velocity';
import { buildWinRatesSql } from '../../analytics/metrics/win-rates';
import type { Filters } from '../../analytics/metrics/metric';
import { fiscalQuarterOf, parseFiscalQuarter, shiftQuarter } from '../../analytics/fiscal';
import { DEFAULT_SETTINGS } from '../../analytics/settings';
import { LAST_SNAPSHOT, generateScaleData, writeOpportunityCsv } from './scale-data';
import { measurePageLoads } from './page-loads';
import { measureStorageGrowth, printStorageGrowth } from './storage-growth';
import { medianMs } from './timing';

const DEALS = Number(process.env.BENCH_DEALS ?? 1_000_000);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 26);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const settings = DEFAULT_SETTINGS;
const started = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);

const median = (fn: () => Promise<unknown>) => medianMs(fn, RUNS);

async function raw(conn: DuckDBConnection, queries: { sql: string; params: Params }[]) {
  for (const q of queries) (await conn.runAndReadAll(q.sql, q.params)).getRowObjectsJS();
}

/** The SQL each metric runs, for the bare-DuckDB baseline. */
function rawQueries(name: string, f: Filters, ctx: { asOf: string; previous: number }): { sql: string; params: Params }[] {
  const quarter = fiscalQuarterOf(ctx.asOf, 1);
  switch (name) {
    case 'funnel': return [buildFunnelSql(f)];
    case 'lead-funnel': return [buildLeadFunnelSql(f)];
    case 'stage-durations': return [buildStageDurationsSql(f)];
    case 'win-rates': return [buildWinRatesSql(f, settings)];
    case 'source-conversion': return [buildSourceConversionSql(f)];
    case 'forecast': return [buildForecastSql(f, settings)];
    case 'forecast-accuracy': {
      const q = fiscalQuarterOf(ctx.asOf, 1);
      const lastEnded = new Date(Date.parse(`${q.from}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
      return [buildForecastSql({ ...f, to: f.to && f.to < lastEnded ? f.to : lastEnded }, settings, { everySnapshotUpTo: true })];
    }
    case 'stuck-deals': return [buildStuckDealsSql(f, settings)];
    case 'stuck-reasons': return [buildStuckReasonsSql(f, settings)];
    case 'velocity': return [buildVelocitySql(f, trailingWindow(ctx.asOf, settings))];
    case 'pipeline-changes': {
      const { snapshot, base, owner, lead_source, type, pipeline } = f;
      return [{ sql: PIPELINE_CHANGES_SQL, params: { snapshot, base: base ?? ctx.previous, from: f.from ?? quarter.from, to: f.to ?? quarter.to, owner: owner ?? null, lead_source: lead_source ?? null, type: type ?? null, pipeline: pipeline ?? null } }];
    }
    case 'overview': {
      const prev = shiftQuarter(quarter, -4);
      return [{ sql: OVERVIEW_SQL, params: { snapshot: f.snapshot, quarter_from: quarter.from, quarter_to: quarter.to, trailing_from: prev.from, trailing_to: shiftQuarter(quarter, -1).to } }];
    }
    case 'open-pipeline': return [{ sql: OPEN_PIPELINE_SQL, params: { snapshot: f.snapshot, pipeline: f.pipeline ?? null } }];
  }
  throw new Error(name);
}

const METRIC_NAMES = ['funnel', 'lead-funnel', 'stage-durations', 'win-rates', 'source-conversion', 'forecast', 'forecast-accuracy', 'stuck-deals', 'stuck-reasons', 'pipeline-changes', 'velocity', 'overview', 'open-pipeline'];
/** The page's default view where it is not the bare metric: the stuck-deals page lists the largest 200 (the CSV takes every one). */
const DEFAULT: Record<string, Record<string, string>> = { 'stuck-deals': { limit: '200' } };
const SELECTIVE: Record<string, Record<string, string>> = {
  funnel: { owner: 'Rep 007', period: 'FY2026Q3' },
  'lead-funnel': { owner: 'Rep 007', period: 'FY2026Q3' },
  'stage-durations': { owner: 'Rep 007', period: 'FY2026Q3' },
  'win-rates': { owner: 'Rep 007', period: 'FY2026Q3' },
  'source-conversion': { owner: 'Rep 007', period: 'FY2026Q3' },
  forecast: { owner: 'Rep 007', period: 'FY2026Q4' },
  'forecast-accuracy': { owner: 'Rep 007', period: 'FY2026Q3' },
  'stuck-deals': { owner: 'Rep 007', limit: '200' },
  'stuck-reasons': { owner: 'Rep 007' },
  'pipeline-changes': { owner: 'Rep 007', period: 'FY2026Q4' },
  velocity: { owner: 'Rep 007' },
  overview: {},
  'open-pipeline': {}
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pipelens-bench-'));
  try {
    const db = await openDatabase(join(dir, 'bench.duckdb'));
    log(`generating ${DEALS.toLocaleString('en-US')} deals × ${WEEKS} weekly snapshots into ${dir}`);
    await db.exclusive((conn) => generateScaleData(conn, DEALS, WEEKS, log));
    await db.withConnection((conn) => conn.run('CHECKPOINT'));
    const dbBytes = statSync(join(dir, 'bench.duckdb')).size;
    log(`database file: ${(dbBytes / 1024 ** 2).toFixed(0)} MiB`);

    const snaps = await db.query<{ id: number; as_of: string }>(`SELECT snapshot_id AS id, strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of FROM snapshots ORDER BY as_of`);
    const latest = snaps.at(-1)!;
    const ctx = { asOf: latest.as_of, previous: snaps.at(-2)!.id };

    const rows: string[][] = [];
    await db.withConnection(async (conn) => {
      for (const name of METRIC_NAMES) {
        for (const [label, params] of [['default', DEFAULT[name] ?? {}], ['selective', SELECTIVE[name]]] as const) {
          if (label === 'selective' && !Object.keys(params).length) continue;
          const result = await runMetric(db, settings, name, params);
          const f: Filters = { snapshot: latest.id, ...(params as Partial<Filters>), ...('limit' in params ? { limit: Number(params.limit) } : {}) };
          if ('period' in params) {
            const q = parseFiscalQuarter(params.period!, 1)!;
            Object.assign(f, { from: q.from, to: q.to });
            delete (f as unknown as Record<string, unknown>).period;
          }
          const queries = rawQueries(name, f, ctx);
          const ours = await median(() => runMetric(db, settings, name, params));
          const bare = await median(() => raw(conn, queries));
          rows.push([name, label, String(result.rows.length), ours.toFixed(1), bare.toFixed(1), (ours / bare).toFixed(2), ours < 150 ? 'yes' : 'no', ours / bare <= 1.2 ? 'yes' : 'no']);
          log(`${name} ${label}: ${ours.toFixed(1)} ms (bare ${bare.toFixed(1)} ms)`);
        }
      }
    });

    const pageLoad = await median(async () => {
      await Promise.all([runMetric(db, settings, 'overview', {}), runMetric(db, settings, 'open-pipeline', {}), db.query('SELECT * FROM snapshots')]);
    });

    // ingest: the latest snapshot's 1M-deal Opportunity.csv, against DuckDB's bare read_csv of the same file
    const csv = join(dir, 'Opportunity.csv');
    await db.withConnection((conn) => writeOpportunityCsv(conn, csv));
    const csvBytes = statSync(csv).size;
    db.close();
    const ingestDb = await openDatabase(join(dir, 'ingest.duckdb'));
    const bytes = readFileSync(csv);
    let t = performance.now();
    await ingest(ingestDb, [{ name: 'Opportunity.csv', bytes }, { name: 'CurrencyType.csv', bytes: Buffer.from('IsoCode,ConversionRate,IsCorporate\nUSD,1,1\nEUR,0.92,0\n') }], { settings, asOf: `${LAST_SNAPSHOT}T06:00:00Z` });
    const ingestMs = performance.now() - t;
    ingestDb.close();
    const bareInstance = await DuckDBInstance.create(join(dir, 'bare.duckdb'));
    const bareConn = await bareInstance.connect();
    t = performance.now();
    await bareConn.run(`CREATE TABLE opportunity AS SELECT * FROM read_csv($p, header = true)`, { p: csv });
    const bareMs = performance.now() - t;
    bareConn.closeSync();
    bareInstance.closeSync();

    clearInterval(sampler);
    const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
    const widths = [18, 10, 7, 10, 10, 7, 8, 8];
    const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
    console.log(`\nPipelens bench: ${DEALS.toLocaleString('en-US')} deals, ${WEEKS} snapshots, median of ${RUNS} runs; ratio = Pipelens ÷ the same SQL on bare DuckDB`);
    console.log(line(['metric', 'filters', 'rows', 'ms', 'bare ms', 'ratio', '<150ms', '≤1.2x']));
    for (const r of rows) console.log(line(r));
    console.log(`\noverview page data (3 queries in parallel): ${pageLoad.toFixed(1)} ms (target < 300 ms server time)`);
    console.log(`ingest of a ${DEALS.toLocaleString('en-US')}-deal Opportunity.csv (${(csvBytes / 1024 ** 2).toFixed(0)} MiB): ${(ingestMs / 1000).toFixed(2)} s; bare read_csv into a table: ${(bareMs / 1000).toFixed(2)} s; ratio ${(ingestMs / bareMs).toFixed(2)}`);
    console.log(`database file with ${WEEKS} snapshots: ${(dbBytes / 1024 ** 2).toFixed(0)} MiB`);
    console.log(`peak memory (RSS): ${(maxRss / 1024 ** 3).toFixed(2)} GiB (target < 2 GiB)`);
    const pages = await measurePageLoads(RUNS);
    if (!pages) console.log('page loads: skipped, no build/ (npm run build first)');
    else {
      console.log('\npage loads with the demo data, server time over loopback (target < 300 ms):');
      for (const p of pages) console.log(`  ${p.page.padEnd(13)} first ${p.first.toFixed(0).padStart(5)} ms   then median ${p.median.toFixed(0).padStart(4)} ms`);
    }
    printStorageGrowth(await measureStorageGrowth(dir, log));
    console.log(`total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
