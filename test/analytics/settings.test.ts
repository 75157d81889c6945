import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../analytics/db';
import { DEFAULT_SETTINGS, openWorkspace, readInputPaths } from '../../analytics';
import { checkSettings, loadSettings } from '../../analytics/settings';
import { FIXTURES, tempDir } from '../helpers';

describe('settings file', () => {
  it('keeps the documented defaults for keys it leaves out', () => {
    const { dir, cleanup } = tempDir();
    writeFileSync(join(dir, 's.json'), JSON.stringify({ stall_threshold_days: 45 }));
    expect(loadSettings(join(dir, 's.json'))).toEqual({ ...DEFAULT_SETTINGS, stall_threshold_days: 45 });
    expect(loadSettings(join(dir, 'missing.json'))).toBe(DEFAULT_SETTINGS);
    cleanup();
  });

  it('names a malformed file and a bad fiscal year start', () => {
    const { dir, cleanup } = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadSettings(join(dir, 'bad.json'))).toThrow('bad parameter settings');
    writeFileSync(join(dir, 'month.json'), '{"fiscal_year_start_month": 13}');
    expect(() => loadSettings(join(dir, 'month.json'))).toThrow('bad parameter fiscal_year_start_month');
    cleanup();
  });

  it('refuses upload limits that are not whole numbers above 0', () => {
    expect(() => checkSettings({ ...DEFAULT_SETTINGS, max_rows: 0 })).toThrow('bad parameter max_rows');
    expect(() => checkSettings({ ...DEFAULT_SETTINGS, max_inflated_bytes: -1 })).toThrow('bad parameter max_inflated_bytes');
    expect(() => checkSettings({ ...DEFAULT_SETTINGS, ingest_timeout_seconds: 1.5 })).toThrow('bad parameter ingest_timeout_seconds');
  });

  it('applies stage settings to snapshots already loaded, without re-uploading', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'w.duckdb');
    const first = await openWorkspace({ db: path }, { settings: DEFAULT_SETTINGS });
    await first.ingest(readInputPaths([join(FIXTURES, 'pipeline/b')]), { asOf: '2024-07-31T12:00:00Z' });
    const before = (await first.metric('forecast', { period: 'FY2024Q3' })).rows[0];
    expect(before).toMatchObject({ commit: 16000, best_case: 8000, weighted: 29600 });
    first.close();

    // Qualification now 50%, Proposal now Commit
    const settings = { ...DEFAULT_SETTINGS, stages: [{ stage: 'Qualification', probability: 50 }, { stage: 'Proposal', forecast_category: 'Commit' }] };
    const second = await openWorkspace({ db: path }, { settings });
    const after = (await second.metric('forecast', { period: 'FY2024Q3' })).rows[0];
    // the deals carry their own probability and category, which win over the stage's; only the calibrated
    // figure (stage probability fallback) moves: D12 5,000 × 50% instead of 20% = +1,500
    expect(after).toMatchObject({ commit: 16000, best_case: 8000, weighted: 29600, calibrated: 30400 + 1500 });
    const stages = await (await openDatabase(path)).query(`SELECT stage, probability, forecast_category, origin FROM snapshot_stages WHERE stage IN ('Qualification', 'Proposal') ORDER BY sort_order`);
    expect(stages).toEqual([
      { stage: 'Qualification', probability: 50, forecast_category: 'Pipeline', origin: 'settings' },
      { stage: 'Proposal', probability: 50, forecast_category: 'Commit', origin: 'settings' }
    ]);
    second.close();
    cleanup();
  });
});
