import { generateDemo } from '../data/generate-demo';
import type { Database } from './db';
import { ingest } from './ingest/ingest';

/**
 * Loads the demo company's weekly exports through the same ingest path as an
 * upload, when the database has no snapshot yet. Returns how many it loaded.
 */
export async function loadDemoIfEmpty(db: Database): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM snapshots');
  if (n > 0) return 0;
  const exports = generateDemo();
  for (const week of exports) {
    const files = Object.entries(week.files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) }));
    await ingest(db, files);
  }
  return exports.length;
}
