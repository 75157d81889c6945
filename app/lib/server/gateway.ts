/**
 * The app's one way into the engine: the process's database and settings. Pages
 * (load functions) and the API both come through here.
 */
import { resolveDbPath, type Database } from '../../../analytics/db';
import { loadSettings, type Settings } from '../../../analytics/settings';
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
