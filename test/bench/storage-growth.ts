/**
 * Storage growth (pipeline history issue): 52 weekly exports of the same 100,000 deals,
 * 5% of which change each week, loaded through the real ingest, against one export
 * alone. Prints the ratio of database bytes, and how long "the open pipeline as of a
 * snapshot" takes in each database.
 *
 *   STORAGE_DEALS (default 100,000), STORAGE_WEEKS (52), STORAGE_CHANGE (0.05)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../analytics/db';
import { ingest } from '../../analytics/ingest/ingest';
import { computeMetric } from '../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../analytics/settings';
import { mulberry32 } from '../../data/demo-gen/random';
import { medianMs } from './timing';

const OPEN = ['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review'];
const HEADER = '"Id","Name","StageName","Amount","CloseDate","CreatedDate","LastModifiedDate","OwnerId","LeadSource","Type"';

interface Deal {
  stage: number; // index into OPEN, or OPEN.length for Closed Won, OPEN.length + 1 for Closed Lost
  amount: number;
  close: number; // days after 2025-01-01
  modified: number;
}

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const stageName = (s: number) => OPEN[s] ?? (s === OPEN.length ? 'Closed Won' : 'Closed Lost');

/** Moves one deal on: the next stage (or a close), sometimes a pushed close date or a new amount. */
function change(d: Deal, week: number, rnd: () => number) {
  const r = rnd();
  if (d.stage >= OPEN.length) d.stage = 0; // reopened
  else if (r < 0.5) d.stage = d.stage === OPEN.length - 1 ? OPEN.length + (rnd() < 0.5 ? 0 : 1) : d.stage + 1;
  else if (r < 0.8) d.close += 30;
  else d.amount = Math.round(d.amount * (0.8 + rnd() * 0.4));
  d.modified = 7 * week;
}

function exportCsv(deals: Deal[]): Uint8Array {
  const lines = [HEADER];
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i];
    lines.push(
      `"006ST${String(i).padStart(10, '0')}","Deal ${i}","${stageName(d.stage)}","${d.amount}","${day(d.close)}","2024-12-01 09:00:00","${day(d.modified)} 09:00:00","U${i % 150}","${['Web', 'Partner', 'Event'][i % 3]}","New Customer"`
    );
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** The file's size after a checkpoint, and how much of it holds live blocks (the rest is free space DuckDB reuses). */
async function databaseBytes(db: Database, path: string): Promise<{ file: number; used: number }> {
  await db.query('CHECKPOINT');
  const [size] = await db.query<{ used: bigint; block: bigint }>(`SELECT used_blocks AS used, block_size AS block FROM pragma_database_size()`);
  db.close();
  return { file: statSync(path).size, used: Number(size.used) * Number(size.block) };
}

const openPipelineMs = (db: Database, snapshot: number) =>
  medianMs(() => computeMetric(db, DEFAULT_SETTINGS, 'open-pipeline', { snapshot: String(snapshot) }), 5);

export async function measureStorageGrowth(dir: string, log: (s: string) => void) {
  const dealCount = Number(process.env.STORAGE_DEALS ?? 100_000);
  const weeks = Number(process.env.STORAGE_WEEKS ?? 52);
  const share = Number(process.env.STORAGE_CHANGE ?? 0.05);
  const rnd = mulberry32(52); // seeded: every run builds the same exports
  const deals: Deal[] = Array.from({ length: dealCount }, () => ({ stage: Math.floor(rnd() * OPEN.length), amount: 1000 + Math.floor(rnd() * 90) * 1000, close: 60 + Math.floor(rnd() * 300), modified: 0 }));
  const asOf = (w: number) => `${day(7 * w)}T18:00:00Z`;
  const load = (db: Database, w: number, bytes: Uint8Array) => ingest(db, [{ name: 'Opportunity.csv', bytes }], { asOf: asOf(w), settings: DEFAULT_SETTINGS });

  const onePath = join(dir, 'one-snapshot.duckdb');
  const allPath = join(dir, `${weeks}-snapshots.duckdb`);
  const one = await openDatabase(onePath);
  const all = await openDatabase(allPath);
  let firstId = 0;
  let middleId = 0;
  let ingestMs = 0;
  for (let w = 0; w < weeks; w++) {
    if (w > 0) for (let i = 0; i < dealCount * share; i++) change(deals[Math.floor(rnd() * dealCount)], w, rnd);
    const bytes = exportCsv(deals);
    if (w === 0) firstId = (await load(one, w, bytes)).snapshot.snapshot_id;
    const t = performance.now();
    const { snapshot } = await load(all, w, bytes);
    ingestMs += performance.now() - t;
    if (w === Math.floor(weeks / 2)) middleId = snapshot.snapshot_id;
    if ((w + 1) % 13 === 0) log(`storage growth: ${w + 1}/${weeks} weekly exports loaded`);
  }
  const [versions] = await all.query<{ rows: number }>(`SELECT count(*)::INTEGER AS rows FROM deal_rows`);
  const oneMs = await openPipelineMs(one, firstId);
  const middleMs = await openPipelineMs(all, middleId);
  const oneBytes = await databaseBytes(one, onePath);
  const allBytes = await databaseBytes(all, allPath);
  rmSync(onePath, { force: true });
  rmSync(allPath, { force: true });
  return { dealCount, weeks, share, oneBytes, allBytes, ratio: allBytes.file / oneBytes.file, dealRows: versions.rows, oneMs, middleMs, ingestMs: ingestMs / weeks };
}

export function printStorageGrowth(r: Awaited<ReturnType<typeof measureStorageGrowth>>) {
  const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
  console.log(
    `\nstorage growth: ${r.weeks} weekly exports of ${r.dealCount.toLocaleString('en-US')} deals, ${r.share * 100}% changing each week: ` +
      `${mib(r.allBytes.file)} vs ${mib(r.oneBytes.file)} for one export; ratio ${r.ratio.toFixed(2)} (target ≤ 5)`
  );
  console.log(`  live blocks: ${mib(r.allBytes.used)} vs ${mib(r.oneBytes.used)}; ratio ${(r.allBytes.used / r.oneBytes.used).toFixed(2)}`);
  console.log(`  ${r.dealRows.toLocaleString('en-US')} stored deal states for ${(r.weeks * r.dealCount).toLocaleString('en-US')} deal-snapshots; mean ingest ${(r.ingestMs / 1000).toFixed(2)} s per export`);
  console.log(`  open pipeline as of the middle snapshot: ${r.middleMs.toFixed(1)} ms; of the one-export database: ${r.oneMs.toFixed(1)} ms; ratio ${(r.middleMs / r.oneMs).toFixed(2)}`);
}

// npm run bench:storage runs this part alone
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(join(tmpdir(), 'pipelens-storage-'));
  try {
    printStorageGrowth(await measureStorageGrowth(dir, (s) => console.error(s)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
