import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../db';
import { deriveStages, type StageHints, type StageSetting } from '../../stages';
import type { PipelineStages } from './adapter';

/**
 * Pieces the one-file deal exports (HubSpot, Pipedrive) share: duplicate ids, the
 * latest modification as as_of, and stage settings derived pipeline by pipeline.
 */

/** Warning for repeated record ids (METRICS.md: the last row wins). */
export async function duplicateIdWarnings(conn: DuckDBConnection, table: string, what: string): Promise<string[]> {
  const [dup] = await queryRows<{ n: number }>(conn, `SELECT (count(*) - count(DISTINCT deal_id))::INTEGER AS n FROM ${table}`);
  return dup.n ? [`${dup.n} duplicate ${what} ids: the last row of each wins`] : [];
}

/** The latest value of `column` in `table` as the snapshot time, named `source`. */
export async function latestModification(conn: DuckDBConnection, table: string, column: string, source: string) {
  const [row] = await queryRows<{ ts: Date | null }>(conn, `SELECT max(${column}) AS ts FROM ${table}`);
  return { asOf: row.ts, asOfSource: row.ts ? source : null };
}

export interface StageHintRow {
  pipeline: string;
  stage: string;
  sort_order?: number | null;
  probability?: number | null;
  is_closed?: boolean | null;
  is_won?: boolean | null;
}

/**
 * Every pipeline's stages: the names seen in it, merged from hint sources (highest
 * priority first) over the CRM's standard stages, numbered 1..n within the pipeline.
 */
export function stagesPerPipeline(
  names: { pipeline: string; stage: string }[],
  sources: { origin: string; rows: StageHintRow[] }[],
  standard: StageSetting[],
  where: { file: string; column: string }
): PipelineStages[] {
  const pipelines = [...new Set(names.map((n) => n.pipeline))].sort();
  return pipelines.map((pipeline) => {
    const stageNames = [...new Set(names.filter((n) => n.pipeline === pipeline).map((n) => n.stage))];
    const layers = sources.map((s) => ({
      origin: s.origin,
      hints: new Map<string, StageHints>(
        s.rows
          .filter((r) => r.pipeline === pipeline)
          .map((r) => [
            r.stage,
            { sort_order: r.sort_order ?? undefined, probability: r.probability ?? undefined, is_closed: r.is_closed ?? undefined, is_won: r.is_won ?? undefined }
          ])
      )
    }));
    return { pipeline, stages: deriveStages(stageNames, layers, standard), ...where };
  });
}
