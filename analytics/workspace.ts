import { openDatabase, type Database } from './db';
import { loadSettings, type Settings } from './settings';
import { applyStageOverrides } from './stage-overrides';

/**
 * A database with the settings file applied: every entry point (server, CLI) opens
 * through here, so stage overrides are the same wherever a metric runs.
 */
export async function openWorkspace(path: string, settings: Settings = loadSettings()): Promise<{ db: Database; settings: Settings }> {
  const db = await openDatabase(path);
  await applyStageOverrides(db, settings);
  return { db, settings };
}
