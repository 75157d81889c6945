import type { Database } from './db';
import type { Settings } from './settings';

/** Mirrors the settings file's stage settings into stage_overrides, which every metric reads through. */
export async function applyStageOverrides(db: Database, settings: Settings): Promise<void> {
  await db.transaction(async (conn) => {
    await conn.run('DELETE FROM stage_overrides');
    for (const o of settings.stages) {
      await conn.run(`INSERT INTO stage_overrides VALUES ($pipeline, $stage, $sort_order, $probability, $fc, $closed, $won)`, {
        pipeline: o.pipeline ?? '*',
        stage: o.stage,
        sort_order: o.sort_order ?? null,
        probability: o.probability ?? null,
        fc: o.forecast_category ?? null,
        closed: o.is_closed ?? null,
        won: o.is_won ?? null
      });
    }
  });
}
