/**
 * The HubSpot and Pipedrive fixtures saved as XLSX (dates as serial numbers with date
 * formats, numbers as numbers: test/fixtures/xlsx/make.ts) load exactly as their CSVs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { ingest } from '../../../analytics/ingest/ingest';
import type { InputFile } from '../../../analytics/ingest/inputs';
import { computeMetric, METRICS } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, memoryDb } from '../../helpers';

const file = (...path: string[]): InputFile => ({ name: path[path.length - 1], bytes: new Uint8Array(readFileSync(join(FIXTURES, ...path))) });
const SKIP = new Set(['pipeline-changes', 'pipeline-change-deals']); // need two snapshots

async function everything(files: InputFile[]) {
  const db: Database = await memoryDb();
  const { snapshot } = await ingest(db, files, { settings: DEFAULT_SETTINGS, asOf: '2024-07-01T12:00:00Z' });
  const deals = await db.query(`SELECT * EXCLUDE (snapshot_id) FROM deals ORDER BY deal_id`);
  const events = await db.query(`SELECT * EXCLUDE (snapshot_id) FROM stage_events ORDER BY deal_id, seq`);
  const metrics: Record<string, unknown> = {};
  for (const name of Object.keys(METRICS).filter((n) => !SKIP.has(n))) {
    // several pipelines: the stage-by-stage metrics ask for one, on both sides alike
    metrics[name] = await computeMetric(db, DEFAULT_SETTINGS, name, {}).then((r) => r.rows, (e: Error) => e.message);
  }
  db.close();
  return { crm: snapshot.crm, counts: snapshot.counts, deals, events, metrics };
}

describe('XLSX exports', () => {
  it('HubSpot: the deals view saved as XLSX gives the same deals, stage events and metrics as its CSV', async () => {
    const stages = [file('hubspot', 'deal_pipeline.csv'), file('hubspot', 'deal_pipeline_stage.csv')];
    const csv = await everything([file('hubspot', 'hubspot-crm-exports-all-deals-2024-07-01.csv'), ...stages]);
    const xlsx = await everything([file('xlsx', 'hubspot-crm-exports-all-deals-2024-07-01.xlsx'), ...stages]);
    expect(csv.crm).toBe('hubspot');
    expect(csv.events.length).toBeGreaterThan(0);
    expect(xlsx).toEqual(csv);
  });

  it('Pipedrive: the deals list saved as XLSX gives the same deals and metrics as its CSV', async () => {
    const csv = await everything([file('pipedrive', 'deals-2024-07-01.csv')]);
    const xlsx = await everything([file('xlsx', 'pipedrive-deals-2024-07-01.xlsx')]);
    expect(csv.crm).toBe('pipedrive');
    expect(xlsx).toEqual(csv);
  });
});
