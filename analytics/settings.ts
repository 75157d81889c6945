import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { BadParameterError } from './errors';
import { FORECAST_CATEGORIES } from './stages';

/**
 * Settings that METRICS.md leaves to the team, with their defaults. Each workspace keeps
 * them in one JSON file (workspaces.ts says where); keys left out keep their default.
 */
export interface StageOverride {
  stage: string;
  pipeline?: string;
  sort_order?: number;
  probability?: number;
  forecast_category?: string;
  is_closed?: boolean;
  is_won?: boolean;
  /** Read this stage as another one everywhere (a renamed stage): its deals, events, visits and funnel reach. */
  merge_into?: string;
}

export interface Settings {
  /** First month of the fiscal year, 1 = January. */
  fiscal_year_start_month: number;
  /** Stall threshold when a stage has fewer than `stall_min_visits` completed visits. */
  stall_threshold_days: number;
  stall_min_visits: number;
  /** Calibrated forecast falls back to the stage probability below this many closed deals. */
  calibration_min_deals: number;
  inactivity_days: number;
  /** Lead statuses in funnel order; the converted status(es) are marked. */
  lead_statuses: { status: string; is_converted?: boolean }[];
  /** Stage settings that win over what an export says. */
  stages: StageOverride[];
  /** Largest upload accepted, in bytes. */
  max_upload_bytes: number;
  /** The most an upload's ZIPs and workbooks may inflate to, together, in bytes. */
  max_inflated_bytes: number;
  /** The most data rows of a file an upload's format reads. */
  max_rows: number;
  /** How long an upload may take to load (waiting behind another one included) before it is stopped and nothing is written. */
  ingest_timeout_seconds: number;
  /** pipelens prune: keep the latest snapshot per day up to daily_days old, per week up to weekly_days, per month up to monthly_days, then per quarter. */
  retention: { daily_days: number; weekly_days: number; monthly_days: number };
}

export const DEFAULT_SETTINGS: Settings = {
  fiscal_year_start_month: 1,
  stall_threshold_days: 30,
  stall_min_visits: 10,
  calibration_min_deals: 20,
  inactivity_days: 30,
  lead_statuses: [
    { status: 'Open - Not Contacted' },
    { status: 'Working - Contacted' },
    { status: 'Closed - Converted', is_converted: true },
    { status: 'Closed - Not Converted' }
  ],
  stages: [],
  max_upload_bytes: 200 * 1024 * 1024,
  max_inflated_bytes: 2 * 1024 ** 3,
  max_rows: 20_000_000,
  ingest_timeout_seconds: 600,
  retention: { daily_days: 120, weekly_days: 365, monthly_days: 730 }
};

export function loadSettings(path: string): Settings {
  if (!existsSync(path)) return DEFAULT_SETTINGS;
  let parsed: Partial<Settings>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BadParameterError('settings', `${path} is not valid JSON (${(err as Error).message})`);
  }
  return checkSettings({ ...DEFAULT_SETTINGS, ...parsed, retention: { ...DEFAULT_SETTINGS.retention, ...parsed.retention } });
}

const WHOLE_DAYS = ['stall_threshold_days', 'stall_min_visits', 'calibration_min_deals', 'inactivity_days'] as const;
const UPLOAD_LIMITS = ['max_inflated_bytes', 'max_rows', 'ingest_timeout_seconds'] as const;

/** The settings as given, or a BadParameterError naming the first bad key. */
export function checkSettings(settings: Settings): Settings {
  const m = settings.fiscal_year_start_month;
  if (!Number.isInteger(m) || m < 1 || m > 12) throw new BadParameterError('fiscal_year_start_month', 'must be 1..12');
  for (const key of WHOLE_DAYS) {
    const v = settings[key];
    if (!Number.isInteger(v) || v < 0 || v > 100_000) throw new BadParameterError(key, 'must be a whole number from 0 to 100000');
  }
  for (const key of UPLOAD_LIMITS) {
    if (!Number.isSafeInteger(settings[key]) || settings[key] < 1) throw new BadParameterError(key, 'must be a whole number above 0');
  }
  const seen = new Set<string>();
  for (const o of settings.stages) {
    const where = `stages[${JSON.stringify(o.stage)}]`;
    const id = `${o.pipeline ?? '*'}\u0000${o.stage}`;
    if (seen.has(id)) throw new BadParameterError(where, `listed twice${o.pipeline ? ` for pipeline ${JSON.stringify(o.pipeline)}` : ''}`);
    seen.add(id);
    if (typeof o.stage !== 'string' || !o.stage.trim()) throw new BadParameterError('stages', 'every entry needs a stage name');
    if (o.probability !== undefined && !(Number.isFinite(o.probability) && o.probability >= 0 && o.probability <= 100)) {
      throw new BadParameterError(`${where}.probability`, 'a percentage from 0 to 100');
    }
    if (o.sort_order !== undefined && !Number.isFinite(o.sort_order)) throw new BadParameterError(`${where}.sort_order`, 'a number');
    if (o.forecast_category !== undefined && !(FORECAST_CATEGORIES as readonly string[]).includes(o.forecast_category)) {
      throw new BadParameterError(`${where}.forecast_category`, `one of ${FORECAST_CATEGORIES.join(', ')}`);
    }
    if (o.is_won && o.is_closed === false) throw new BadParameterError(`${where}.is_won`, 'a won stage is closed');
    if (o.merge_into !== undefined) {
      if (typeof o.merge_into !== 'string' || !o.merge_into.trim() || o.merge_into === o.stage) throw new BadParameterError(`${where}.merge_into`, 'the name of another stage');
      if (settings.stages.some((t) => t.stage === o.merge_into && t.merge_into)) {
        throw new BadParameterError(`${where}.merge_into`, `${JSON.stringify(o.merge_into)} is itself merged into another stage; merge into that one`);
      }
    }
  }
  return settings;
}

/** Writes the settings file whole. */
export function saveSettings(settings: Settings, path: string): void {
  checkSettings(settings);
  writeWhole(path, JSON.stringify(settings, null, 2) + '\n');
}

/** Writes a file through a temporary one beside it, so a reader never sees half of it. */
export function writeWhole(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
