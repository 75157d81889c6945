import type { Database } from '../db';
import { insertStageVisitStatsSql } from './schema';
import type { Settings, StageOverride } from '../settings';

/**
 * Mirrors the settings file's stage settings into stage_overrides, which every metric
 * reads through. When the stage merges change, the visit statistics are rebuilt, since
 * they are kept per stage name.
 */
export async function applyStageOverrides(db: Database, settings: Settings): Promise<void> {
  await db.transaction(async (conn) => {
    const merges = async () => JSON.stringify((await conn.runAndReadAll('SELECT * FROM stage_merges ORDER BY ALL')).getRowsJS());
    const before = await merges();
    await conn.run('DELETE FROM stage_overrides');
    for (const o of settings.stages) {
      await conn.run(
        `INSERT INTO stage_overrides (pipeline, stage, sort_order, probability, forecast_category, is_closed, is_won, merge_into)
         VALUES ($pipeline, $stage, $sort_order, $probability, $fc, $closed, $won, $merge_into)`,
        {
          pipeline: o.merge_into ? '*' : (o.pipeline ?? '*'),
          stage: o.stage,
          sort_order: o.sort_order ?? null,
          probability: o.probability ?? null,
          fc: o.forecast_category ?? null,
          closed: o.is_closed ?? null,
          won: o.is_won ?? null,
          merge_into: o.merge_into ?? null
        }
      );
    }
    if ((await merges()) !== before) {
      await conn.run('DELETE FROM stage_visit_stats');
      await conn.run(insertStageVisitStatsSql());
    }
  });
}

export type Outcome = 'open' | 'won' | 'lost';

/** A stage as the settings page shows it: what the export said, and what applies (the settings file winning). */
export interface StageSettingRow {
  pipeline: string;
  stage: string;
  /** the stage it is read as, when the settings merge it into another (a renamed stage) */
  merge_into: string | null;
  exported: { sort_order: number; probability: number | null; forecast_category: string | null; outcome: Outcome };
  effective: { sort_order: number; probability: number | null; forecast_category: string | null; outcome: Outcome };
}

export type StageEdit = { pipeline: string; stage: string; merge_into: string | null } & StageSettingRow['effective'];

const outcomeSql = (closed: string, won: string) => `CASE WHEN ${won} THEN 'won' WHEN ${closed} THEN 'lost' ELSE 'open' END`;

export async function stageSettingRows(db: Database, snapshotId: number): Promise<StageSettingRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT s.pipeline, s.stage, m.merge_into,
            s.sort_order AS x_order, s.probability AS x_probability, s.forecast_category AS x_category, ${outcomeSql('s.is_closed', 's.is_won')} AS x_outcome,
            e.sort_order AS e_order, e.probability AS e_probability, e.forecast_category AS e_category, ${outcomeSql('e.is_closed', 'e.is_won')} AS e_outcome
     FROM stages s
     LEFT JOIN stage_merges m ON m.stage = s.stage
     JOIN snapshot_stages e ON e.snapshot_id = s.snapshot_id AND e.pipeline = s.pipeline AND e.stage = coalesce(m.merge_into, s.stage)
     WHERE s.snapshot_id = $snapshot ORDER BY s.pipeline, e.sort_order, m.merge_into NULLS FIRST, s.stage`,
    { snapshot: snapshotId }
  );
  return rows.map((r) => ({
    pipeline: r.pipeline as string,
    stage: r.stage as string,
    merge_into: (r.merge_into as string | null) ?? null,
    exported: { sort_order: r.x_order as number, probability: r.x_probability as number | null, forecast_category: r.x_category as string | null, outcome: r.x_outcome as Outcome },
    effective: { sort_order: r.e_order as number, probability: r.e_probability as number | null, forecast_category: r.e_category as string | null, outcome: r.e_outcome as Outcome }
  }));
}

/**
 * The settings file's stage list after an admin edits the stages shown: an entry holds
 * only what differs from the export, so a stage set back to the export's values drops
 * out; entries for stages not shown (other snapshots' stages) are kept as they were.
 * One pipeline in view → entries apply to every pipeline. A merge applies to every pipeline.
 */
export function stageOverridesAfterEdit(current: StageOverride[], shown: StageSettingRow[], edits: StageEdit[]): StageOverride[] {
  const pipelines = new Set(shown.map((r) => r.pipeline));
  const key = (pipeline: string | undefined, stage: string) => `${pipelines.size > 1 ? (pipeline ?? '*') : '*'}\u0000${stage}`;
  const shownKeys = new Set(shown.map((r) => key(r.pipeline, r.stage)));
  const edited = new Set(shown.map((r) => r.stage));
  // entries for the stages on the page are written anew: per pipeline when there are several (then a
  // stage's every-pipeline entry goes too, so one stage never has both), else for every pipeline
  const kept = current.filter((o) => !shownKeys.has(key(o.pipeline, o.stage)) && !(pipelines.size > 1 && (o.pipeline ?? '*') === '*' && edited.has(o.stage) && !o.merge_into));
  const written = edits.flatMap((edit): StageOverride[] => {
    const row = shown.find((r) => r.pipeline === edit.pipeline && r.stage === edit.stage);
    if (!row) return [];
    if (edit.merge_into && edit.merge_into !== edit.stage) return [{ stage: edit.stage, merge_into: edit.merge_into }];
    // a stage merged into another shows the other's settings: they are the other's to change
    if (row.merge_into) return [];
    const o: StageOverride = { stage: edit.stage, ...(pipelines.size > 1 ? { pipeline: edit.pipeline } : {}) };
    if (edit.sort_order !== row.exported.sort_order) o.sort_order = edit.sort_order;
    if (edit.probability !== null && edit.probability !== row.exported.probability) o.probability = edit.probability;
    if (edit.forecast_category !== null && edit.forecast_category !== row.exported.forecast_category) o.forecast_category = edit.forecast_category;
    if (edit.outcome !== row.exported.outcome) Object.assign(o, { is_closed: edit.outcome !== 'open', is_won: edit.outcome === 'won' });
    return Object.keys(o).length > (o.pipeline ? 2 : 1) ? [o] : [];
  });
  return [...kept, ...written];
}
