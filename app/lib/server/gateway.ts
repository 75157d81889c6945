/**
 * The app's one way into the engine: the process's database and settings. Pages
 * (load functions) and the API both come through here.
 */
import { openDatabase, resolveDbPath, type Database } from '../../../analytics/db';
import { loadSettings, type Settings } from '../../../analytics/settings';
import { applyStageOverrides } from '../../../analytics/stage-overrides';

let database: Promise<Database> | null = null;
let settings: Settings | null = null;

export function getSettings(): Settings {
  return (settings ??= loadSettings());
}

export function getDatabase(): Promise<Database> {
  database ??= openDatabase(resolveDbPath()).then(async (db) => {
    await applyStageOverrides(db, getSettings());
    return db;
  });
  return database;
}
