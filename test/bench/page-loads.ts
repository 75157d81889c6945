/**
 * Server time of every page with the demo data, measured over loopback against the built
 * server: the first load of each page (its answers not cached yet) and the median of
 * repeated loads (cached until the next write).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dataLocations, openWorkspaces } from '../../analytics';
import { freePort } from '../browser/harness';

export const PAGES = ['/', '/trends', '/funnel', '/win-rates', '/sources', '/stuck-deals', '/durations', '/forecast', '/snapshots', '/deals', '/settings'];

export async function measurePageLoads(runs: number): Promise<{ page: string; first: number; median: number }[] | null> {
  if (!existsSync(resolve('build/index.js'))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pipelens-pages-'));
  const registry = await openWorkspaces(dataLocations({ data: dir }, {}));
  await registry.start({ demo: true });
  await registry.close();
  const port = await freePort();
  const child = spawn(process.execPath, [resolve('build/index.js')], {
    env: { ...process.env, PIPELENS_DATA: dir, PIPELENS_DB: '', PIPELENS_SETTINGS: '', PIPELENS_MAPPINGS: '', PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore'
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const time = async (path: string) => {
      const t = performance.now();
      const res = await fetch(url + path);
      await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return performance.now() - t;
    };
    // the process's own warm-up (module loading, JIT, first connection), as `pipelens serve` does at start
    await time('/signin');
    const results = [];
    for (const page of PAGES) {
      const path = `/w/demo${page === '/' ? '' : page}`;
      const first = await time(path);
      const times = [];
      for (let i = 0; i < runs; i++) times.push(await time(path));
      times.sort((a, b) => a - b);
      results.push({ page, first, median: times[Math.floor(times.length / 2)] });
    }
    return results;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
