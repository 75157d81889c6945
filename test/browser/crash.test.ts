/**
 * Ingest is atomic under a crash: the built server (plain `node build`) is killed with
 * SIGKILL in the middle of a large upload, restarted on the same database file, and
 * holds exactly the snapshots it had; the same upload then goes through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticOpportunities } from '../helpers';
import { freePort, requireBuild, tempDir } from './harness';

async function startBuild(dbPath: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve('build/index.js')], {
    // the default workspace is dbPath; its folder is the data directory (never an outer PIPELENS_DATA); no demo (plain `node build`)
    env: { ...process.env, PIPELENS_DB: dbPath, PIPELENS_DATA: dirname(dbPath), PORT: String(port), HOST: '127.0.0.1', BODY_SIZE_LIMIT: 'Infinity' },
    stdio: 'ignore'
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.once('exit', r)));

function upload(url: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append('files', new File([bytes as Uint8Array<ArrayBuffer>], name));
  return fetch(`${url}/api/snapshots?as_of=2026-10-01`, { method: 'POST', body: form });
}

describe('crash during an upload', () => {
  const dir = tempDir('crash');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps exactly the earlier snapshots and accepts the same upload again', async () => {
    requireBuild();
    const db = join(dir, 'pipelens.duckdb');
    const first = await startBuild(db);
    const exportDir = resolve('test/fixtures/public/salesforce-data-export');
    const form = new FormData();
    for (const name of readdirSync(exportDir)) form.append('files', new File([readFileSync(join(exportDir, name))], name));
    expect((await fetch(`${first.url}/api/snapshots`, { method: 'POST', body: form })).status).toBe(201);
    const before = await (await fetch(`${first.url}/api/snapshots`)).json();

    const big = syntheticOpportunities(400_000, 'K');
    const pending = upload(first.url, 'Opportunity.csv', big).then(
      (r) => r.status,
      () => 'connection lost'
    );
    await new Promise((r) => setTimeout(r, 1200));
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(await pending).toBe('connection lost');

    const second = await startBuild(db);
    try {
      const after = await (await fetch(`${second.url}/api/snapshots`)).json();
      expect(after).toEqual(before);
      const again = await upload(second.url, 'Opportunity.csv', big);
      expect(again.status).toBe(201);
      expect((await again.json()).counts.deals).toBe(400_000);
      expect(await (await fetch(`${second.url}/api/snapshots`)).json()).toHaveLength(2);
    } finally {
      second.child.kill('SIGKILL');
      await exited(second.child);
    }
  });
});
