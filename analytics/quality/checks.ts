import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import { queryRows } from '../db';

/**
 * Data-quality checks (METRICS.md "Data quality"), run on a snapshot as it is stored.
 * Each says in a sentence what it found, how many records it hits, a few of their ids,
 * and which figures it affects; `unusable` means those figures must not be shown
 * (guards.ts turns them into null with a caveat). `ok` checks are kept too, so a page
 * can say what was checked.
 */
export type Severity = 'ok' | 'info' | 'warning' | 'unusable';

export interface QualityCheck {
  id: string;
  severity: Severity;
  sentence: string;
  count: number;
  /** up to 20 ids of the records hit (deal ids, lead ids, or currency codes for mixed-currencies) */
  examples: string[];
  /** figures as `metric.field` (`metric.*` for every figure of it) */
  affects: string[];
  /** the deals metric's `check` filter lists every deal it hits (null: not a deal-level check) */
  drill: 'deals' | null;
}

export const MAX_EXAMPLES = 20;

const AS_OF = `(SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)`;

/** Per-deal conditions over deal_states `d`; the deals metric filters by them (`check=ID`). */
export const DEAL_CHECK_WHERE = {
  'close-before-created': `d.close_date < d.created_at::DATE`,
  'created-after-snapshot': `d.created_at > ${AS_OF}`,
  'missing-amount': `d.amount IS NULL`,
  'probability-out-of-range': `(d.effective_probability < 0 OR d.effective_probability > 100)`,
  'owner-id-only': `(d.owner_name IS NULL AND d.owner_id IS NOT NULL)`,
  'open-long-overdue': `(NOT d.closed AND d.close_date < (${AS_OF} - INTERVAL 90 DAY)::DATE)`,
  'empty-lead-source': `nullif(trim(d.lead_source), '') IS NULL`,
  'unknown-stage': `EXISTS (SELECT 1 FROM snapshot_stages q WHERE q.snapshot_id = $snapshot AND q.pipeline = d.pipeline AND q.stage = d.stage AND q.origin = 'inferred')`,
  'lost-zero-amounts': `(d.closed AND NOT d.won)`,
  'history-one-instant': `d.deal_id IN (SELECT deal_id FROM stage_events WHERE snapshot_id = $snapshot AND origin = 'history')`,
  'history-after-snapshot': `d.deal_id IN (SELECT deal_id FROM stage_events WHERE snapshot_id = $snapshot AND origin = 'history' AND event_at > ${AS_OF})`,
  'history-before-created': `d.deal_id IN (SELECT e.deal_id FROM stage_events e JOIN deal_states c ON c.snapshot_id = $snapshot AND c.deal_id = e.deal_id
      WHERE e.snapshot_id = $snapshot AND e.origin = 'history' AND e.event_at < c.created_at - INTERVAL 1 DAY)`
} as const;

export type DealCheckId = keyof typeof DEAL_CHECK_WHERE;

export function isDealCheck(id: string): id is DealCheckId {
  return Object.hasOwn(DEAL_CHECK_WHERE, id);
}

const CYCLE_FIGURES = ['velocity.avg_cycle_days', 'velocity.velocity', 'source-conversion.median_sales_cycle_days'];
const DURATION_FIGURES = ['stage-durations.mean_days', 'stage-durations.median_days', 'stage-durations.p75_days', 'stage-durations.p90_days', 'stuck-deals.stalled', 'stuck-reasons.stalled'];
const AMOUNT_FIGURES = ['overview.open_amount', 'forecast.*', 'win-rates.win_rate_amount', 'pipeline-changes.*'];

interface DealPass {
  deals: number;
  won_dated: number;
  [count: string]: number | string[];
}

/** One pass over the snapshot's deals: every per-deal check's count and first example ids. */
const DEAL_PASS_SQL = `
  SELECT count(*)::INTEGER AS deals,
         count(*) FILTER (WHERE d.won AND d.close_date IS NOT NULL AND d.created_at IS NOT NULL)::INTEGER AS won_dated,
         count(*) FILTER (WHERE d.won AND ${DEAL_CHECK_WHERE['close-before-created']})::INTEGER AS won_close_before_created,
         count(*) FILTER (WHERE d.amount IS NULL AND NOT d.closed)::INTEGER AS missing_open,
         count(*) FILTER (WHERE d.amount IS NULL AND d.won)::INTEGER AS missing_won,
         count(*) FILTER (WHERE d.amount IS NULL AND d.closed AND NOT d.won)::INTEGER AS missing_lost,
         count(*) FILTER (WHERE d.won AND coalesce(d.amount_corporate, 0) <> 0)::INTEGER AS won_with_amount,
         count(*) FILTER (WHERE d.closed AND NOT d.won AND coalesce(d.amount_corporate, 0) <> 0)::INTEGER AS lost_with_amount,
         ${Object.entries(DEAL_CHECK_WHERE)
           .map(([id, where]) => {
             const name = id.replaceAll('-', '_');
             return `count(*) FILTER (WHERE ${where})::INTEGER AS "${name}",
         (list(d.deal_id ORDER BY d.deal_id) FILTER (WHERE ${where}))[1:${MAX_EXAMPLES}] AS "${name}_ids"`;
           })
           .join(',\n         ')}
  FROM deal_states d WHERE d.snapshot_id = $snapshot`;

const HISTORY_SQL = `
  WITH h AS (SELECT deal_id, event_at FROM stage_events WHERE snapshot_id = $snapshot AND origin = 'history'),
  hours AS (SELECT date_trunc('hour', event_at) AS hour, count(*) AS n FROM h GROUP BY 1)
  SELECT (SELECT count(*) FROM h)::INTEGER AS rows,
         (SELECT count(DISTINCT deal_id) FROM h)::INTEGER AS deals,
         coalesce((SELECT max(n) FROM hours), 0)::INTEGER AS busiest_hour_rows,
         (SELECT strftime(hour, '%Y-%m-%d %H:00') FROM hours ORDER BY n DESC, hour LIMIT 1) AS busiest_hour,
         (SELECT count(*) FROM h WHERE event_at > ${AS_OF})::INTEGER AS after_snapshot`;

// statuses the settings (or the export's LeadStatus file) list; without that list (a snapshot checked later), the stored statuses
const UNKNOWN_STATUS = `l.status IS NOT NULL AND lower(l.status) NOT IN (
    SELECT lower(k) FROM (SELECT unnest($known_statuses::VARCHAR[]) AS k WHERE $known_statuses IS NOT NULL
                          UNION ALL SELECT status FROM lead_statuses WHERE snapshot_id = $snapshot AND $known_statuses IS NULL))`;

const OTHER_SQL = `
  SELECT (SELECT count(*) FROM currency_rates WHERE snapshot_id = $snapshot)::INTEGER AS rates,
         (SELECT list(DISTINCT upper(currency) ORDER BY upper(currency)) FROM deal_states WHERE snapshot_id = $snapshot AND currency IS NOT NULL) AS currencies,
         (SELECT as_of_source FROM snapshots WHERE snapshot_id = $snapshot) AS as_of_source,
         (SELECT strftime(as_of, '%Y-%m-%d') FROM snapshots WHERE snapshot_id = $snapshot) AS as_of,
         (SELECT strftime(greatest(max(created_at)::DATE, max(close_date) FILTER (WHERE closed), max(last_modified_at)::DATE), '%Y-%m-%d')
          FROM deal_states WHERE snapshot_id = $snapshot) AS latest_data,
         (SELECT count(*) FROM leads WHERE snapshot_id = $snapshot)::INTEGER AS leads,
         (SELECT count(*) FILTER (WHERE ${UNKNOWN_STATUS})::INTEGER FROM leads l WHERE l.snapshot_id = $snapshot) AS unknown_statuses,
         (SELECT (list(l.lead_id ORDER BY l.lead_id) FILTER (WHERE ${UNKNOWN_STATUS}))[1:${MAX_EXAMPLES}] FROM leads l WHERE l.snapshot_id = $snapshot) AS unknown_status_ids,
         (SELECT count(*) FROM leads l WHERE l.snapshot_id = $snapshot AND nullif(trim(l.lead_source), '') IS NULL)::INTEGER AS leads_without_source`;

/** What the ingest knows and the stored rows no longer show. */
export interface IngestFacts {
  duplicates: { count: number; examples: string[] } | null;
  /** the lead statuses the settings or the export's status list name (the stored list adds every status seen) */
  knownLeadStatuses?: string[];
}

const share = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)}%` : '0%');
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Runs every check on snapshot `snapshot` (already written, inside the caller's transaction). */
export async function runChecks(conn: DuckDBConnection, snapshot: number, facts: IngestFacts = { duplicates: null }): Promise<QualityCheck[]> {
  const [d] = await queryRows<DealPass>(conn, DEAL_PASS_SQL, { snapshot });
  const [h] = await queryRows<{ rows: number; deals: number; busiest_hour_rows: number; busiest_hour: string | null; after_snapshot: number }>(
    conn,
    HISTORY_SQL,
    { snapshot }
  );
  const [o] = await queryRows<{
    rates: number;
    currencies: string[] | null;
    as_of_source: string;
    as_of: string;
    latest_data: string | null;
    leads: number;
    unknown_statuses: number;
    unknown_status_ids: string[] | null;
    leads_without_source: number;
  }>(conn, OTHER_SQL, { snapshot, known_statuses: facts.knownLeadStatuses ? listValue(facts.knownLeadStatuses) : null });
  const n = (id: DealCheckId) => d[id.replaceAll('-', '_')] as number;
  const ids = (id: DealCheckId) => ((d[`${id.replaceAll('-', '_')}_ids`] as string[] | null) ?? []).map(String);
  const deal = (id: DealCheckId, severity: Severity, sentence: string, affects: string[]): QualityCheck => ({
    id,
    severity: n(id) ? severity : 'ok',
    sentence,
    count: n(id),
    examples: ids(id),
    affects,
    drill: 'deals'
  });

  const checks: QualityCheck[] = [];
  const cycleUnusable = d.won_dated > 0 && (d.won_close_before_created as number) * 2 >= d.won_dated;
  checks.push(
    deal(
      'close-before-created',
      cycleUnusable ? 'unusable' : 'warning',
      n('close-before-created')
        ? `${plural(n('close-before-created'), 'deal closes before it was', 'deals close before they were')} created (${d.won_close_before_created} of ${d.won_dated} won deals with both dates), as when deals are loaded into the CRM after they closed` +
            (cycleUnusable ? ': sales cycles from these dates are meaningless and are not shown.' : ': sales cycles count these as negative spans and run short.')
        : 'No deal closes before it was created.',
      CYCLE_FIGURES
    )
  );
  checks.push(
    deal(
      'created-after-snapshot',
      'warning',
      n('created-after-snapshot')
        ? `${plural(n('created-after-snapshot'), 'deal was', 'deals were')} created after the snapshot date ${o.as_of}: the snapshot date or the created dates are wrong.`
        : `No deal was created after the snapshot date ${o.as_of}.`,
      CYCLE_FIGURES
    )
  );

  const oneInstant = h.rows >= 10 && h.deals >= 3 && h.busiest_hour_rows >= 0.9 * h.rows;
  checks.push({
    ...deal(
      'history-one-instant',
      'unusable',
      h.rows
        ? oneInstant
          ? `${plural(h.busiest_hour_rows, 'stage-history row')} of ${h.rows} carry one instant (${h.busiest_hour} UTC): they record when the data was loaded, not when deals moved, so stage durations and stalled deals are not shown.`
          : `Stage history is spread over time (${plural(h.rows, 'row')}, at most ${share(h.busiest_hour_rows, h.rows)} in any one hour).`
        : 'The export has no stage history: durations come from differences between snapshots.',
      DURATION_FIGURES
    ),
    severity: oneInstant ? 'unusable' : 'ok',
    count: oneInstant ? h.busiest_hour_rows : 0,
    examples: oneInstant ? ids('history-one-instant') : []
  });
  const afterUnusable = h.rows > 0 && h.after_snapshot * 2 >= h.rows;
  checks.push({
    ...deal(
      'history-after-snapshot',
      afterUnusable ? 'unusable' : 'warning',
      h.after_snapshot
        ? `${plural(h.after_snapshot, 'stage-history row')} of ${h.rows} ${h.after_snapshot === 1 ? 'is' : 'are'} dated after the snapshot date ${o.as_of}` +
            (afterUnusable ? ': stage durations and stalled deals are not shown.' : '.')
        : `No stage-history row is dated after the snapshot date ${o.as_of}.`,
      DURATION_FIGURES
    ),
    count: h.after_snapshot
  });
  checks.push(
    deal(
      'history-before-created',
      'warning',
      n('history-before-created')
        ? `${plural(n('history-before-created'), 'deal has', 'deals have')} stage history dated more than a day before the deal was created: its history is out of time order.`
        : 'No stage history is dated before its deal was created.',
      DURATION_FIGURES
    )
  );

  const dup = facts.duplicates;
  checks.push({
    id: 'duplicate-ids',
    severity: dup?.count ? 'warning' : 'ok',
    sentence: dup?.count ? `${plural(dup.count, 'deal row repeats', 'deal rows repeat')} an earlier row's id: the last row of each id wins.` : 'No deal id appears twice.',
    count: dup?.count ?? 0,
    examples: dup?.examples ?? [],
    affects: ['*'],
    drill: null
  });

  const missing = n('missing-amount');
  checks.push(
    deal(
      'missing-amount',
      'warning',
      missing
        ? `Amount missing on ${missing.toLocaleString('en-US')} of ${d.deals.toLocaleString('en-US')} deals (${(d.missing_open as number).toLocaleString('en-US')} open, ${(d.missing_won as number).toLocaleString('en-US')} won, ${(d.missing_lost as number).toLocaleString('en-US')} lost): each counts as 0 in sums.`
        : 'Every deal has an amount.',
      AMOUNT_FIGURES
    )
  );
  const lost = n('lost-zero-amounts');
  const lostAtZero = lost > 0 && (d.lost_with_amount as number) === 0 && (d.won_with_amount as number) > 0;
  checks.push({
    ...deal(
      'lost-zero-amounts',
      'unusable',
      lostAtZero
        ? `All ${plural(lost, 'lost deal')} have amount 0 or none while won deals have amounts (the export zeroes lost deals): the win rate by amount would be 100% and is not shown.`
        : 'Lost deals carry amounts (or none are lost).',
      ['win-rates.win_rate_amount']
    ),
    severity: lostAtZero ? 'unusable' : 'ok',
    count: lostAtZero ? lost : 0,
    examples: lostAtZero ? ids('lost-zero-amounts') : []
  });
  checks.push(
    deal(
      'unknown-stage',
      'warning',
      n('unknown-stage')
        ? `${plural(n('unknown-stage'), 'deal is', 'deals are')} in stages the stage model does not know (no order, probability or outcome in the export, the settings or the CRM's standard stages): they are ordered by guess and counted as open.`
        : 'Every deal is in a stage the stage model knows.',
      ['funnel.*', 'forecast.*', 'stage-durations.*']
    )
  );
  checks.push({
    id: 'unknown-lead-status',
    severity: o.unknown_statuses ? 'warning' : 'ok',
    sentence: o.unknown_statuses
      ? `${plural(o.unknown_statuses, 'lead has', 'leads have')} a status the lead-status settings do not list: counted as open and not converted.`
      : o.leads
        ? 'Every lead has a known status.'
        : 'The export has no leads.',
    count: o.unknown_statuses,
    examples: (o.unknown_status_ids ?? []).map(String),
    affects: ['lead-funnel.*'],
    drill: null
  });

  const currencies = (o.currencies ?? []).map(String);
  const mixed = currencies.length > 1 && o.rates === 0;
  checks.push({
    id: 'mixed-currencies',
    severity: mixed ? 'warning' : 'ok',
    sentence: mixed
      ? `Deals are in ${currencies.length} currencies (${currencies.join(', ')}) and the export has no conversion rates: amounts are summed as they are.`
      : currencies.length > 1
        ? `Deals are in ${currencies.length} currencies, converted with the export's rates.`
        : 'Deals are in one currency.',
    count: mixed ? currencies.length : 0,
    examples: mixed ? currencies : [],
    affects: mixed ? AMOUNT_FIGURES : [],
    drill: null
  });
  checks.push(
    deal(
      'probability-out-of-range',
      'warning',
      n('probability-out-of-range')
        ? `${plural(n('probability-out-of-range'), 'deal has a probability', 'deals have probabilities')} outside 0–100: weighted forecasts use them as they are.`
        : 'Every probability is within 0–100.',
      ['forecast.weighted']
    )
  );
  checks.push(
    deal(
      'owner-id-only',
      'info',
      n('owner-id-only')
        ? `${plural(n('owner-id-only'), 'deal names its', 'deals name their')} owner by id only (the export has no user file): owners are shown by id.`
        : 'Every deal owner has a name.',
      ['win-rates.owner', 'stuck-deals.owner']
    )
  );
  checks.push(
    deal(
      'open-long-overdue',
      'warning',
      n('open-long-overdue')
        ? `${plural(n('open-long-overdue'), 'open deal is', 'open deals are')} more than 90 days past the close date: likely dead deals still counted in the open pipeline.`
        : 'No open deal is more than 90 days past its close date.',
      ['overview.open_amount', 'open-pipeline.*', 'stuck-deals.*']
    )
  );
  const noSource = n('empty-lead-source');
  checks.push(
    deal(
      'empty-lead-source',
      d.deals && noSource * 2 >= d.deals ? 'warning' : 'info',
      noSource || o.leads_without_source
        ? `${share(noSource, d.deals)} of deals (${noSource.toLocaleString('en-US')})` +
          (o.leads ? ` and ${share(o.leads_without_source, o.leads)} of leads (${o.leads_without_source.toLocaleString('en-US')})` : '') +
          ` have no lead source: they count under "(none)".`
        : 'Every deal and lead has a lead source.',
      ['source-conversion.*']
    )
  );

  const stale = o.as_of_source === 'upload time' && o.latest_data !== null && daysBetween(o.latest_data, o.as_of) > 90;
  checks.push({
    id: 'snapshot-dated-on-upload',
    severity: stale ? 'warning' : 'ok',
    sentence: stale
      ? `The snapshot is dated on the upload day (${o.as_of}) but its latest date is ${o.latest_data}: "this quarter" figures look at a quarter the data never reached. Upload it again with its own date (as_of).`
      : o.as_of_source === 'upload time'
        ? 'The snapshot is dated on the upload day, close to its latest date.'
        : `The snapshot is dated from the export (${o.as_of_source}).`,
    count: stale ? 1 : 0,
    examples: [],
    affects: stale ? ['overview.*', 'forecast.*', 'velocity.*'] : [],
    drill: null
  });
  return checks;
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000;
}
