import { IngestStoppedError } from '../errors';
import { DEFAULT_SETTINGS, type Settings } from '../settings';

/**
 * What one upload may cost, checked before the expensive work starts (README "Security
 * model"): a small ZIP may inflate to gigabytes, a small CSV may hold a million columns or
 * a billion tiny rows. The main limits are settings of the workspace; the rest are fixed.
 */
export interface UploadLimits {
  /** bytes the ZIP entries and workbook CSVs of one upload inflate to, together (setting max_inflated_bytes) */
  inflatedBytes: number;
  /** data rows of each file an upload's format reads (setting max_rows) */
  rows: number;
  /** columns of any CSV of an upload */
  columns: number;
  /** bytes of one CSV value (characters of one workbook cell or shared string) */
  cellBytes: number;
  /** strings in a workbook's shared-string table */
  sharedStrings: number;
  /** milliseconds an ingest may take, waiting for an earlier one included (setting ingest_timeout_seconds) */
  timeoutMs: number;
}

export const MAX_COLUMNS = 1000;
export const MAX_CELL_BYTES = 1024 * 1024;
export const MAX_SHARED_STRINGS = 5_000_000;

export function uploadLimits(settings: Settings = DEFAULT_SETTINGS, overrides: Partial<UploadLimits> = {}): UploadLimits {
  return {
    inflatedBytes: settings.max_inflated_bytes,
    rows: settings.max_rows,
    columns: MAX_COLUMNS,
    cellBytes: MAX_CELL_BYTES,
    sharedStrings: MAX_SHARED_STRINGS,
    timeoutMs: settings.ingest_timeout_seconds * 1000,
    ...overrides
  };
}

/**
 * Runs an upload's work within its time limit and the caller's signal (the client gone, the
 * server stopping); the work gets the signal that stops it, and a stop is an
 * IngestStoppedError saying why.
 */
export async function withinTimeLimit<T>(limits: UploadLimits, caller: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  try {
    return await work(signal);
  } catch (err) {
    if (!signal.aborted) throw err;
    throw new IngestStoppedError(
      timeout.aborted ? `it took longer than the ${limits.timeoutMs / 1000} s an upload may take (setting ingest_timeout_seconds)` : 'the client went away or the server is stopping'
    );
  }
}

/** Bytes as people read them in a refusal: 1 MB, 2 GB, 1500 bytes. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}
