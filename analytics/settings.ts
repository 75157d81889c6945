import { existsSync, readFileSync } from 'node:fs';
import { BadParameterError } from './errors';

/**
 * Settings that METRICS.md leaves to the team, with their defaults. They live in one
 * JSON file: `PIPELENS_SETTINGS`, else `data/settings.json` when it exists. Keys left
 * out keep their default.
 */
export interface StageOverride {
  stage: string;
  pipeline?: string;
  sort_order?: number;
  probability?: number;
  forecast_category?: string;
  is_closed?: boolean;
  is_won?: boolean;
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
  retention: { daily_days: 120, weekly_days: 365, monthly_days: 730 }
};

export function settingsPath(): string {
  return process.env.PIPELENS_SETTINGS || 'data/settings.json';
}

export function loadSettings(path = settingsPath()): Settings {
  if (!existsSync(path)) return DEFAULT_SETTINGS;
  let parsed: Partial<Settings>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BadParameterError('settings', `${path} is not valid JSON (${(err as Error).message})`);
  }
  const settings = { ...DEFAULT_SETTINGS, ...parsed, retention: { ...DEFAULT_SETTINGS.retention, ...parsed.retention } };
  const m = settings.fiscal_year_start_month;
  if (!Number.isInteger(m) || m < 1 || m > 12) throw new BadParameterError('fiscal_year_start_month', 'must be 1..12');
  return settings;
}
