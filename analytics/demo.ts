import { generateDemo } from '../data/generate-demo';
import type { Workspace } from './workspace';

/**
 * Loads the demo company's weekly exports into a workspace through the same ingest path
 * as an upload. Returns how many snapshots it loaded.
 */
export async function loadDemo(ws: Workspace): Promise<number> {
  const exports = generateDemo();
  for (const week of exports) {
    const files = Object.entries(week.files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) }));
    await ws.ingest(files, { actor: 'demo loader' });
  }
  return exports.length;
}
