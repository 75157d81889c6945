import { BadParameterError } from '../errors';
import { fiscalQuarterOf } from '../fiscal';
import type { Filters, Metric, MetricContext } from './metric';
import { DEAL_FILTER, dealFilterParams } from './sql';

export interface PipelineChangeRow {
  [key: string]: unknown;
  bucket: string;
  deals: number;
  amount: number;
}

export const BUCKETS = ['start', 'new', 'pulled_in', 'reopened', 'increased', 'decreased', 'pushed_out', 'won', 'lost', 'removed', 'end'] as const;

/**
 * A deal's amount in cents, as DECIMAL(38, 2): room for any amount ingest accepts and their
 * sums; one that does not fit (an older database's NaN, infinity or 1e300) counts as 0, as a
 * missing one does, rather than failing the comparison.
 */
const CENTS = (amount: string) => `coalesce(try_cast(round(${amount}, 2) AS DECIMAL(38, 2)), 0)`;

/**
 * Every deal open in the period at A or at B falls in exactly one bucket. Amounts are
 * rounded to cents per deal before summing, in DECIMAL, so that
 * start + new + pulled_in + reopened + increased − decreased − pushed_out − won − lost − removed = end
 * holds to the cent. Filters apply to each snapshot's deals as they are there.
 */

/** Every deal open in the period at A or B, with its bucket (shared with pipeline-change-deals). */
export const BUCKETED_DEALS_SQL = `
  WITH a AS (SELECT * FROM deal_states d WHERE d.snapshot_id = $base AND ${DEAL_FILTER}),
  b AS (SELECT * FROM deal_states d WHERE d.snapshot_id = $snapshot AND ${DEAL_FILTER}),
  paired AS (
    SELECT coalesce(b.deal_id, a.deal_id) AS deal_id, coalesce(b.name, a.name) AS deal,
           coalesce(b.owner_name, b.owner_id, a.owner_name, a.owner_id) AS owner,
           a.stage AS stage_a, b.stage AS stage_b, a.close_date AS close_date_a, b.close_date AS close_date_b,
           a.deal_id IS NOT NULL AS at_a, b.deal_id IS NOT NULL AS at_b,
           coalesce(NOT a.closed, false) AS open_a, coalesce(a.closed, false) AS closed_a,
           coalesce(NOT a.closed AND a.close_date BETWEEN $from::DATE AND $to::DATE, false) AS in_p_a,
           coalesce(NOT b.closed, false) AS open_b, coalesce(b.won, false) AS won_b, coalesce(b.closed AND NOT b.won, false) AS lost_b,
           coalesce(NOT b.closed AND b.close_date BETWEEN $from::DATE AND $to::DATE, false) AS in_p_b,
           ${CENTS('a.amount_corporate')} AS amount_a,
           ${CENTS('b.amount_corporate')} AS amount_b
    FROM a FULL OUTER JOIN b ON a.deal_id = b.deal_id
  ),
  bucketed AS (
    SELECT *,
      CASE
        WHEN in_p_a AND NOT at_b THEN 'removed'
        WHEN in_p_a AND won_b THEN 'won'
        WHEN in_p_a AND lost_b THEN 'lost'
        WHEN in_p_a AND NOT in_p_b THEN 'pushed_out'
        WHEN in_p_a AND amount_b > amount_a THEN 'increased'
        WHEN in_p_a AND amount_b < amount_a THEN 'decreased'
        WHEN in_p_a THEN 'unchanged'
        WHEN in_p_b AND NOT at_a THEN 'new'
        WHEN in_p_b AND closed_a THEN 'reopened'
        WHEN in_p_b AND open_a THEN 'pulled_in'
      END AS bucket
    FROM paired WHERE in_p_a OR in_p_b
  )`;

export const PIPELINE_CHANGES_SQL = `
  ${BUCKETED_DEALS_SQL},
  moves AS (
    SELECT bucket, count(*) AS deals,
           sum(CASE WHEN bucket IN ('new', 'reopened', 'pulled_in') THEN amount_b
                    WHEN bucket IN ('increased', 'decreased') THEN abs(amount_b - amount_a)
                    ELSE amount_a END) AS amount
    FROM bucketed WHERE bucket <> 'unchanged' GROUP BY bucket
  ),
  ends AS (
    SELECT 'start' AS bucket, count(*) FILTER (WHERE in_p_a) AS deals, coalesce(sum(amount_a) FILTER (WHERE in_p_a), 0) AS amount FROM bucketed
    UNION ALL
    SELECT 'end', count(*) FILTER (WHERE in_p_b), coalesce(sum(amount_b) FILTER (WHERE in_p_b), 0) FROM bucketed
  ),
  names AS (SELECT * FROM (VALUES ${BUCKETS.map((b, i) => `('${b}', ${i})`).join(', ')}) AS t(bucket, position))
  SELECT n.bucket, coalesce(m.deals, e.deals, 0)::INTEGER AS deals, coalesce(m.amount, e.amount, 0)::DOUBLE AS amount
  FROM names n LEFT JOIN moves m ON m.bucket = n.bucket LEFT JOIN ends e ON e.bucket = n.bucket
  ORDER BY n.position`;

export const pipelineChanges: Metric<PipelineChangeRow> = {
  name: 'pipeline-changes',
  note:
    'Open pipeline of a period (close dates from..to; default the fiscal quarter of the later snapshot) at snapshot A (base; default the one ' +
    'before) and at B: start + new + pulled in + reopened + increased − decreased − pushed out − won − lost − removed = end. New: absent at A. ' +
    'Reopened: closed at A. Pulled in: open at A outside the period (at B’s amount). Pushed out: open at B outside the period; won, lost, ' +
    'removed (absent or deleted at B): at A’s amount. Increased/decreased: the change in amount of deals in the period at both. Amounts in the ' +
    'corporate currency, rounded to the cent per deal.',
  accepts: ['base', 'from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline'],
  async run(filters, ctx) {
    return ctx.db.query<PipelineChangeRow>(PIPELINE_CHANGES_SQL, await comparisonParams(filters, ctx));
  }
};

/** The parameters of a comparison: base (default the snapshot before), period (default the later snapshot's quarter), filters. */
export async function comparisonParams(filters: Filters, { db, settings, asOf }: MetricContext) {
  const base = filters.base ?? (await previousSnapshot(db, filters.snapshot));
  const [baseRow] = await db.query<{ earlier: boolean }>(
    `SELECT (SELECT as_of FROM snapshots WHERE snapshot_id = $base) <= (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot) AS earlier`,
    { base, snapshot: filters.snapshot }
  );
  if (!baseRow.earlier) throw new BadParameterError('base', 'must be a snapshot taken before the compared one');
  const quarter = fiscalQuarterOf(asOf, settings.fiscal_year_start_month);
  return {
    snapshot: filters.snapshot,
    base,
    from: filters.from ?? quarter.from,
    to: filters.to ?? quarter.to,
    ...dealFilterParams(filters)
  };
}

async function previousSnapshot(db: Parameters<Metric['run']>[1]['db'], snapshot: number): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `SELECT snapshot_id AS id FROM snapshots
     WHERE as_of < (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)
     ORDER BY as_of DESC, snapshot_id DESC LIMIT 1`,
    { snapshot }
  );
  if (!row) throw new BadParameterError('base', 'no earlier snapshot to compare with');
  return row.id;
}
