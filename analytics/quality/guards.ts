import type { Row } from '../db';
import type { QualityCheck } from './checks';

/** Why a figure is null: the check that makes its inputs unusable, in its own words. */
export interface Caveat {
  check: string;
  /** the row fields set to null (or, for stuck deals, the reason left out) */
  figures: string[];
  reason: string;
}

/**
 * No bare implausible figure (METRICS.md "Data quality"): every figure an `unusable`
 * check names is null in every row, with a caveat saying why. A cycle that still comes
 * out negative (a few deals closing before they were created among many that do not)
 * is null too, under the same check, rather than shown.
 */
export function guardRows<R extends Row>(metric: string, rows: R[], checks: QualityCheck[]): { rows: R[]; caveats: Caveat[] } {
  const caveats: Caveat[] = [];
  let out = rows;
  for (const check of checks) {
    if (check.severity !== 'unusable') continue;
    const fields = check.affects.filter((a) => a.startsWith(`${metric}.`)).map((a) => a.slice(metric.length + 1));
    if (!fields.length) continue;
    out = fields.includes('stalled') ? withoutStalled(out) : out;
    const nulled = fields.filter((f) => f !== 'stalled' && f !== '*');
    if (nulled.length) out = out.map((r) => ({ ...r, ...Object.fromEntries(nulled.map((f) => [f, null])) }));
    caveats.push({ check: check.id, figures: fields, reason: check.sentence });
  }
  return negativeCyclesGuarded(metric, out, caveats, checks);
}

const CYCLE_FIELDS: Record<string, string[]> = {
  velocity: ['avg_cycle_days', 'velocity'],
  'source-conversion': ['median_sales_cycle_days']
};

function negativeCyclesGuarded<R extends Row>(metric: string, rows: R[], caveats: Caveat[], checks: QualityCheck[]) {
  const fields = CYCLE_FIELDS[metric];
  const cycle = fields?.[0];
  if (!cycle || !rows.some((r) => typeof r[cycle] === 'number' && (r[cycle] as number) < 0)) return { rows, caveats };
  const check = checks.find((c) => c.id === 'close-before-created');
  if (!caveats.some((c) => c.check === 'close-before-created')) {
    caveats.push({
      check: 'close-before-created',
      figures: fields,
      reason: `${check?.sentence ?? 'Deals close before they were created.'} Where the cycle comes out negative, it is not shown.`
    });
  }
  return {
    rows: rows.map((r) => (typeof r[cycle] === 'number' && (r[cycle] as number) < 0 ? { ...r, ...Object.fromEntries(fields.map((f) => [f, null])) } : r)),
    caveats
  };
}

/** Stuck deals without the stalled reason (days in stage unknown); a deal stuck for no other reason drops out. */
function withoutStalled<R extends Row>(rows: R[]): R[] {
  return rows
    .map((r) => (Array.isArray(r.reasons) ? { ...r, days_in_stage: null, reasons: (r.reasons as string[]).filter((x) => x !== 'stalled') } : r))
    .filter((r) => !Array.isArray(r.reasons) || (r.reasons as string[]).length > 0);
}
