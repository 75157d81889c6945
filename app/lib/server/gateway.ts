/**
 * The app's one way into the engine: the process's database and settings. Pages
 * (load functions) and the API both come through here.
 */
import { resolveDbPath, type Database } from '../../../analytics/db';
import { loadSettings, saveSettings, type Settings } from '../../../analytics/settings';
import { applyStageOverrides } from '../../../analytics/stage-overrides';
import { openWorkspace } from '../../../analytics/workspace';

let settings: Settings | null = null;
let database: Promise<Database> | null = null;

export function getSettings(): Settings {
  return (settings ??= loadSettings());
}

export function getDatabase(): Promise<Database> {
  database ??= openWorkspace(resolveDbPath(), getSettings()).then((w) => w.db);
  return database;
}

/**
 * Saves new settings to the settings file and applies them at once: stage settings go
 * into every snapshot's answers (stage_overrides), cached answers keyed on the old
 * settings are not reused.
 */
export async function replaceSettings(next: Settings): Promise<void> {
  saveSettings(next);
  settings = next;
  await applyStageOverrides(await getDatabase(), next);
}
