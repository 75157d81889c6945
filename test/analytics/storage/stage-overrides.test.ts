import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, saveSettings, loadSettings } from '../../../analytics/settings';
import { applyStageOverrides, stageOverridesAfterEdit, stageSettingRows, type StageEdit } from '../../../analytics/storage/stage-overrides';
import { computeMetric } from '../../../analytics/metrics/index';
import { FIXTURES, ingestPaths, memoryDb, tempDir } from '../../helpers';

// pipeline/b's OpportunityStage list: Prospecting 10, Qualification 20, Proposal 50 Best Case, Negotiation 80 Commit, Closed Won, Closed Lost
describe('stage settings from the settings page', () => {
  it('shows each stage as the export has it and as it applies, then keeps only what differs from the export', async () => {
    const db = await memoryDb();
    const { snapshot } = await ingestPaths(db, [join(FIXTURES, 'pipeline/b')], { asOf: '2024-07-31T12:00:00Z' });
    const kept = { stage: 'Discovery', probability: 15 }; // a stage of another snapshot: untouched by the edit
    const current = [kept, { stage: 'Qualification', probability: 30 }];
    await applyStageOverrides(db, { ...DEFAULT_SETTINGS, stages: current });

    const rows = await stageSettingRows(db, snapshot.snapshot_id);
    expect(rows.map((r) => [r.stage, r.exported.probability, r.effective.probability, r.effective.outcome])).toEqual([
      ['Prospecting', 10, 10, 'open'],
      ['Qualification', 20, 30, 'open'],
      ['Proposal', 50, 50, 'open'],
      ['Negotiation', 80, 80, 'open'],
      ['Closed Won', 100, 100, 'won'],
      ['Closed Lost', 0, 0, 'lost']
    ]);

    // the admin sets Qualification back to 20%, Proposal to 60% and Commit, and marks Negotiation lost (for the test's sake)
    const edits: StageEdit[] = rows.map((r) => ({ pipeline: r.pipeline, stage: r.stage, merge_into: r.merge_into, ...r.effective }));
    Object.assign(edits[1], { probability: 20 });
    Object.assign(edits[2], { probability: 60, forecast_category: 'Commit' });
    Object.assign(edits[3], { outcome: 'lost' });
    expect(stageOverridesAfterEdit(current, rows, edits)).toEqual([
      kept,
      { stage: 'Proposal', probability: 60, forecast_category: 'Commit' },
      { stage: 'Negotiation', is_closed: true, is_won: false }
    ]);
    db.close();
  });

  it('saves a checked settings file and refuses bad values by name', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'settings.json');
    const settings = { ...DEFAULT_SETTINGS, inactivity_days: 21, stages: [{ stage: 'Proposal', probability: 60 }] };
    saveSettings(settings, path);
    expect(loadSettings(path)).toEqual(settings);
    expect(() => saveSettings({ ...settings, stages: [{ stage: 'Proposal', probability: 160 }] }, path)).toThrow('bad parameter stages["Proposal"].probability');
    expect(() => saveSettings({ ...settings, stages: [{ stage: 'Proposal', forecast_category: 'Maybe' }] }, path)).toThrow('stages["Proposal"].forecast_category');
    expect(() => saveSettings({ ...settings, inactivity_days: -1 }, path)).toThrow('bad parameter inactivity_days');
    expect(loadSettings(path)).toEqual(settings); // a refused save leaves the file as it was
    cleanup();
  });

  it('reads a stage merged into another under the other\'s name everywhere, and undoes it', async () => {
    const db = await memoryDb();
    const { snapshot } = await ingestPaths(db, [join(FIXTURES, 'pipeline/b')], { asOf: '2024-07-31T12:00:00Z' });
    const params = { snapshot: String(snapshot.snapshot_id) };
    const funnel = async () => Object.fromEntries((await computeMetric(db, DEFAULT_SETTINGS, 'funnel', params)).rows.map((r) => [r.stage, [r.reached, r.open_count, r.open_amount]]));
    const visits = async () => Object.fromEntries((await db.query<{ stage: string; visits: number }>('SELECT stage, visits FROM stage_visit_stats ORDER BY stage')).map((r) => [r.stage, r.visits]));
    // at b (funnel.test.ts, stage-durations.test.ts): Proposal reached by 8, open D6 and D15 (15,000), 4 completed visits
    // (D1, D3 twice, D11); Negotiation reached by 5, open D4 (16,000), 3 completed visits (D1, D2, D10)
    const [funnelBefore, visitsBefore] = [await funnel(), await visits()];
    expect([funnelBefore.Proposal, funnelBefore.Negotiation, visitsBefore.Proposal, visitsBefore.Negotiation]).toEqual([[8, 2, 15000], [5, 1, 16000], 4, 3]);

    // Negotiation was renamed Proposal (say): D4, open in Negotiation, now reads as Proposal
    await applyStageOverrides(db, { ...DEFAULT_SETTINGS, stages: [{ stage: 'Negotiation', merge_into: 'Proposal' }] });
    expect(await db.query(`SELECT stage FROM deals WHERE deal_id = 'D4'`)).toEqual([{ stage: 'Proposal' }]);
    expect((await db.query(`SELECT stage FROM snapshot_stages WHERE stage = 'Negotiation'`)).length).toBe(0);
    const funnelAfter = await funnel();
    expect(funnelAfter.Negotiation).toBeUndefined();
    // reaching Proposal already counted the 5 that went on to Negotiation (D2 skipped Proposal: its furthest open stage was
    // past it), so still 8; open now D6, D15 and D4: 3 deals, 31,000
    expect(funnelAfter.Proposal).toEqual([8, 3, 31000]);
    // completed visits are counted under the merged name: 4 + 3 (D1's Proposal and Negotiation visits stay two)
    const visitsAfter = await visits();
    expect(visitsAfter.Negotiation).toBeUndefined();
    expect(visitsAfter.Proposal).toBe(7);
    // the settings page lists the merged stage with the stage it reads as
    const row = (await stageSettingRows(db, snapshot.snapshot_id)).find((r) => r.stage === 'Negotiation')!;
    expect([row.merge_into, row.effective.probability]).toEqual(['Proposal', 50]);

    await applyStageOverrides(db, DEFAULT_SETTINGS);
    expect([await funnel(), await visits()]).toEqual([funnelBefore, visitsBefore]);
    db.close();
  });

  it('refuses a merge into the stage itself or into a stage that is merged away', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'settings.json');
    expect(() => saveSettings({ ...DEFAULT_SETTINGS, stages: [{ stage: 'A', merge_into: 'A' }] }, path)).toThrow('stages["A"].merge_into');
    expect(() => saveSettings({ ...DEFAULT_SETTINGS, stages: [{ stage: 'A', merge_into: 'B' }, { stage: 'B', merge_into: 'C' }] }, path)).toThrow('"B" is itself merged');
    cleanup();
  });

  it('lets an outcome from the settings win over the deal\'s own closed flag', async () => {
    const db = await memoryDb();
    await ingestPaths(db, [join(FIXTURES, 'pipeline/b')], { asOf: '2024-07-31T12:00:00Z' });
    const lostDeals = `SELECT deal_id, closed, won FROM deal_states WHERE stage = 'Closed Lost' ORDER BY deal_id`;
    // pipeline/b: D2 and D11 are lost (IsClosed 1 in the export)
    expect(await db.query(lostDeals)).toEqual([{ deal_id: 'D11', closed: true, won: false }, { deal_id: 'D2', closed: true, won: false }]);
    await applyStageOverrides(db, { ...DEFAULT_SETTINGS, stages: [{ stage: 'Closed Lost', is_closed: false, is_won: false }] });
    expect(await db.query(lostDeals)).toEqual([{ deal_id: 'D11', closed: false, won: false }, { deal_id: 'D2', closed: false, won: false }]);
    db.close();
  });

  it('reads one settings entry per stage, the pipeline\'s own first, so no deal counts twice', async () => {
    const db = await memoryDb();
    await ingestPaths(db, [join(FIXTURES, 'pipeline/b')], { asOf: '2024-07-31T12:00:00Z' });
    const both = [{ stage: 'Qualification', probability: 30 }, { stage: 'Qualification', pipeline: 'default', probability: 45 }];
    await applyStageOverrides(db, { ...DEFAULT_SETTINGS, stages: both });
    expect(await db.query(`SELECT count(*)::INTEGER AS n FROM deal_states`)).toEqual([{ n: 13 }]);
    expect(await db.query(`SELECT probability FROM snapshot_stages WHERE stage = 'Qualification'`)).toEqual([{ probability: 45 }]);
    // saved from a page showing two pipelines, a stage's every-pipeline entry gives way to per-pipeline ones
    const shown = (['default', 'renewals'] as const).map((pipeline) => ({
      pipeline, stage: 'Qualification', merge_into: null,
      exported: { sort_order: 2, probability: 20, forecast_category: 'Pipeline', outcome: 'open' as const },
      effective: { sort_order: 2, probability: 30, forecast_category: 'Pipeline', outcome: 'open' as const }
    }));
    const edits = shown.map((r) => ({ pipeline: r.pipeline, stage: r.stage, merge_into: null, ...r.effective }));
    expect(stageOverridesAfterEdit([both[0]], shown, edits)).toEqual([
      { stage: 'Qualification', pipeline: 'default', probability: 30 },
      { stage: 'Qualification', pipeline: 'renewals', probability: 30 }
    ]);
    db.close();
  });
});
