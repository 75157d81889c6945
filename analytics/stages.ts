/**
 * The stage model (METRICS.md "Stage model"). Sources, highest priority first: the
 * settings file (applied at query time, see storage/schema.ts), the export's own stage list
 * (Salesforce OpportunityStage), the export's deal columns (per stage the most
 * frequent value), Salesforce's standard stages. Stages known from none of them are
 * ordered among the open stages by their probability.
 */
export interface StageSetting {
  stage: string;
  sort_order: number;
  probability: number | null;
  forecast_category: string | null;
  is_closed: boolean;
  is_won: boolean;
  origin: string;
}

export type StageHints = Partial<Omit<StageSetting, 'stage' | 'origin'>>;

export const FORECAST_CATEGORIES = ['Closed', 'Commit', 'Best Case', 'Pipeline', 'Omitted'] as const;

/** A CRM's stock stages: the open ones in order, then its won and lost stages. */
function standardStages(origin: string, open: [string, number | null][], won: string, lost: string): StageSetting[] {
  const stages: StageSetting[] = open.map(([stage, probability], i) => ({
    stage,
    sort_order: i + 1,
    probability,
    forecast_category: 'Pipeline',
    is_closed: false,
    is_won: false,
    origin
  }));
  const n = stages.length;
  stages.push(
    { stage: won, sort_order: n + 1, probability: 100, forecast_category: 'Closed', is_closed: true, is_won: true, origin },
    { stage: lost, sort_order: n + 2, probability: 0, forecast_category: 'Omitted', is_closed: true, is_won: false, origin }
  );
  return stages;
}

export const SALESFORCE_STANDARD_STAGES = standardStages(
  'salesforce-standard',
  [['Prospecting', 10], ['Qualification', 10], ['Needs Analysis', 20], ['Value Proposition', 50], ['Id. Decision Makers', 60],
   ['Perception Analysis', 70], ['Proposal/Price Quote', 75], ['Negotiation/Review', 90]],
  'Closed Won',
  'Closed Lost'
);

/** HubSpot's default deal pipeline ("Sales Pipeline"); its probabilities are 0–1 there, percentages here. */
export const HUBSPOT_DEFAULT_STAGES = standardStages(
  'hubspot-default',
  [['Appointment scheduled', 20], ['Qualified to buy', 40], ['Presentation scheduled', 60], ['Decision maker bought-in', 80], ['Contract sent', 90]],
  'Closed won',
  'Closed lost'
);

/**
 * Pipedrive's default pipeline (older accounts start with "Lead In"). Pipedrive has no
 * won or lost stages: a deal's status closes it and it stays in its stage. Stage
 * probabilities are not in the export, so none is assumed.
 */
export const PIPEDRIVE_DEFAULT_STAGES = standardStages(
  'pipedrive-default',
  [['Lead In', null], ['Qualified', null], ['Contact Made', null], ['Demo Scheduled', null], ['Proposal Made', null], ['Negotiations Started', null]],
  'Won',
  'Lost'
);

/** Each CRM's stock stages, by snapshots.crm. */
export const STANDARD_STAGES: Record<string, StageSetting[]> = {
  salesforce: SALESFORCE_STANDARD_STAGES,
  hubspot: HUBSPOT_DEFAULT_STAGES,
  pipedrive: PIPEDRIVE_DEFAULT_STAGES
};

/** Salesforce's API values of ForecastCategory, as the names users see. */
export function normalizeForecastCategory(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim().toLowerCase().replace(/\s+/g, '');
  if (v === 'bestcase') return 'Best Case';
  if (v === 'forecast' || v === 'commit') return 'Commit';
  if (v === 'pipeline') return 'Pipeline';
  if (v === 'closed') return 'Closed';
  if (v === 'omitted') return 'Omitted';
  return value.trim();
}

/**
 * Merges the sources for every stage name seen, highest priority first, then numbers
 * the stages 1..n in order: open stages by their order, closed stages last (won first).
 */
export function deriveStages(
  names: string[],
  sources: { origin: string; hints: Map<string, StageHints> }[],
  standard: StageSetting[] = SALESFORCE_STANDARD_STAGES
): StageSetting[] {
  const standardByName = new Map(standard.map((s) => [s.stage.toLowerCase(), s]));
  const merged = names.map((stage) => {
    const layers: { origin: string; hints: StageHints }[] = sources
      .map((s) => ({ origin: s.origin, hints: s.hints.get(stage) ?? {} }))
      .filter((l) => Object.values(l.hints).some((v) => v != null));
    const std = standardByName.get(stage.toLowerCase());
    if (std) layers.push({ origin: std.origin, hints: std });
    const pick = <K extends keyof StageHints>(k: K) => layers.map((l) => l.hints[k]).find((v) => v != null) ?? null;
    const isClosed = (pick('is_closed') as boolean | null) ?? /^closed\b/i.test(stage);
    const isWon = (pick('is_won') as boolean | null) ?? (isClosed && /\bwon\b/i.test(stage));
    return {
      stage,
      order: pick('sort_order') as number | null,
      probability: pick('probability') as number | null,
      forecast_category: normalizeForecastCategory(pick('forecast_category') as string | null) ?? (isWon ? 'Closed' : isClosed ? 'Omitted' : 'Pipeline'),
      is_closed: isClosed,
      is_won: isClosed && isWon,
      origin: layers[0]?.origin ?? 'inferred'
    };
  });

  const ordered = merged.filter((s) => s.order != null).sort((a, b) => a.order! - b.order!);
  const placeOpenStage = (p: number | null) => {
    // after the last ordered open stage whose probability is not above p
    const before = ordered.filter((s) => !s.is_closed && (s.probability ?? 0) <= (p ?? 0));
    return before.length ? before[before.length - 1].order! + 0.5 : 0.5;
  };
  const key = (s: (typeof merged)[number]) => {
    if (s.is_closed) return [2, s.is_won ? 0 : 1, s.order ?? Infinity];
    return [1, s.order ?? placeOpenStage(s.probability), 0];
  };
  const sorted = [...merged].sort((a, b) => {
    const ka = key(a), kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return a.stage.localeCompare(b.stage);
  });
  return sorted.map((s, i) => ({
    stage: s.stage,
    sort_order: i + 1,
    probability: s.probability,
    forecast_category: s.forecast_category,
    is_closed: s.is_closed,
    is_won: s.is_won,
    origin: s.origin
  }));
}
