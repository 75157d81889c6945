/** The CLI as a user runs it: a child process, exit codes, stdout. */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, SHARED_DATA, tempDir } from '../helpers';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'analytics/cli/bin.js');

async function pipelens(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, TZ: 'UTC' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('pipelens CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let db: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    db = join(dir, 'cli.duckdb');
  });
  afterAll(() => cleanup());

  it('ingests a folder and prints the snapshot summary as JSON', async () => {
    const { code, stdout } = await pipelens('ingest', '--db', db, '--as-of', '2024-08-15', join(FIXTURES, 'overview'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ snapshot_id: 1, as_of: '2024-08-15T00:00:00Z', duplicate: false, counts: { deals: 11 } });
  });

  it('prints a metric as JSON and as CSV', async () => {
    const json = await pipelens('metric', 'overview', '--db', db);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ open_count: 3, open_amount: 35000, win_rate_count: 0.5 });
    const csv = await pipelens('metric', 'open-pipeline', '--db', db, '--snapshot', '1', '--format', 'csv');
    expect(csv.stdout).toBe('stage,sort_order,forecast_category,open_count,open_amount\r\nProspecting,1,Pipeline,1,10000\r\nNegotiation/Review,2,Pipeline,2,25000\r\n');
  });

  it('prints the snapshot\'s data-quality checks, and the deals one hits', async () => {
    const json = await pipelens('quality', '--db', db);
    expect(json.code).toBe(0);
    const checks = JSON.parse(json.stdout) as { id: string; severity: string; count: number }[];
    expect(checks.length).toBe(16);
    const csv = await pipelens('quality', '--db', db, '--format', 'csv');
    expect(csv.stdout.split('\r\n')[0]).toBe('id,severity,sentence,count,examples,affects,drill');
    const hits = checks.find((c) => c.id === 'missing-amount')!;
    const deals = await pipelens('metric', 'deals', '--db', db, '--check', 'missing-amount');
    expect(JSON.parse(deals.stdout).length).toBe(hits.count);
  });

  it('rejects a bad export with reasons and exit code 1, leaving the database as it was', async () => {
    // a list of accounts: no CRM's deals, and no saved mapping in data/mappings fits it
    const { code, stdout, stderr } = await pipelens('ingest', '--db', db, join(SHARED_DATA, 'maven-crm-sales-opportunities', 'accounts.csv'));
    expect(code).toBe(1);
    expect(JSON.parse(stdout).problems[0].reason).toMatch(/^not a Salesforce export/);
    expect(stderr).toContain('accounts.csv: not a Salesforce export');
    const list = await pipelens('metric', 'overview', '--db', db);
    expect(JSON.parse(list.stdout)[0].open_count).toBe(3);
  });

  it('names unknown metrics and bad flags', async () => {
    expect(await pipelens('metric', 'nope', '--db', db)).toMatchObject({ code: 1, stderr: 'unknown metric: nope\n' });
    expect(await pipelens('metric', 'overview', '--db', db, '--snapshot', '9')).toMatchObject({ code: 1 });
    expect((await pipelens('bogus')).code).toBe(1);
  });

  it('backs up to Parquet and restores into a new file with the same figures', async () => {
    const backupDir = join(dir, 'backup');
    // a database file of its own folder: a data directory belongs to one default database
    const restored = join(dir, 'restored', 'restored.duckdb');
    const saved = await pipelens('backup', '--db', db, backupDir);
    expect(saved.code).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ format: 'pipelens-backup', snapshots: [1] });
    expect((await pipelens('restore', '--db', restored, backupDir)).code).toBe(0);
    const [a, b] = await Promise.all([pipelens('metric', 'overview', '--db', db), pipelens('metric', 'overview', '--db', restored)]);
    expect(b.stdout).toBe(a.stdout);
    expect(await pipelens('restore', '--db', restored, backupDir)).toMatchObject({ code: 1 });
    // a second default database in a data directory that belongs to the first is refused
    const stranger = await pipelens('metric', 'overview', '--db', join(dir, 'stranger.duckdb'));
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/^the data directory .* belongs to the default database cli\.duckdb/);
  });

  it('adds a user with a password from standard input and creates tokens, all audited', async () => {
    const child = execFile(process.execPath, [BIN, 'user', 'add', 'ann', '--role', 'admin', '--db', db]);
    child.stdin!.end('a long enough password\n');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    const token = await pipelens('token', 'create', 'ci', '--role', 'uploader', '--db', db);
    expect(token.stdout).toMatch(/^pl_[\w-]{43}\n$/);
    expect((await pipelens('token', 'revoke', token.stdout.slice(0, 10), '--db', db)).code).toBe(0);
    expect((await pipelens('token', 'create', 'x', '--role', 'boss', '--db', db)).code).toBe(1);
    const { openDatabase } = await import('../../analytics/db');
    const handle = await openDatabase(join(dir, 'workspaces.duckdb'), async () => undefined); // the registry, as it is
    const log = await handle.query<{ action: string; workspace: string | null }>(`SELECT action, workspace FROM registry_audit WHERE action NOT LIKE '%workspace' ORDER BY logged_at`);
    handle.close();
    expect(log.map((l) => [l.action, l.workspace])).toEqual([
      ['add user', 'default'],
      ['create token', 'default'],
      ['revoke token', null]
    ]);
  });

  it('removes a user, audited, and says so when there is none', async () => {
    const child = execFile(process.execPath, [BIN, 'user', 'add', 'bob', '--db', db]);
    child.stdin!.end('a long enough password\n');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    expect(await pipelens('user', 'remove', 'bob', '--db', db)).toMatchObject({ code: 0, stdout: 'user bob removed; their sessions ended\n' });
    expect(await pipelens('user', 'remove', 'bob', '--db', db)).toMatchObject({ code: 1, stderr: 'bad parameter NAME: no user bob\n' });
  });

  it('tells, while a server holds the data directory, to manage people and tokens through it instead', async () => {
    const { dataLocations, openWorkspaces } = await import('../../analytics');
    const data = join(dir, 'served');
    const server = await openWorkspaces(dataLocations({ data }, {})); // this process holds the registry, as `pipelens serve` would
    try {
      for (const args of [['user', 'remove', 'ann'], ['token', 'revoke', 'pl_x']]) {
        const { code, stderr } = await pipelens(...args, '--data', data);
        expect(code).toBe(1);
        expect(stderr).toContain(`the data directory ${data} is in use by a running Pipelens server`);
        expect(stderr).toContain('Users page (/users)');
        expect(stderr).toContain('DELETE /api/users/NAME');
        expect(stderr).not.toContain('Could not set lock');
      }
    } finally {
      await server.close();
    }
  });

  it('keeps workspaces apart: create, ingest and ask with --workspace, rename, delete', async () => {
    const data = join(dir, 'many');
    const created = await pipelens('workspace', 'create', 'Acme Corp', '--data', data);
    expect(JSON.parse(created.stdout)).toMatchObject({ slug: 'acme-corp', name: 'Acme Corp', demo: false });
    expect((await pipelens('ingest', '--data', data, '--workspace', 'acme-corp', '--as-of', '2024-08-15', join(FIXTURES, 'overview'))).code).toBe(0);
    const acme = JSON.parse((await pipelens('metric', 'overview', '--data', data, '--workspace', 'acme-corp')).stdout);
    expect(acme[0]).toMatchObject({ open_count: 3, open_amount: 35000 });
    expect(JSON.parse((await pipelens('metric', 'overview', '--data', data)).stdout)).toEqual([]); // the default workspace is empty
    expect(JSON.parse((await pipelens('workspace', 'rename', 'acme-corp', 'Acme', '--data', data)).stdout)).toMatchObject({ slug: 'acme-corp', name: 'Acme' });
    const list = JSON.parse((await pipelens('workspace', 'list', '--data', data)).stdout);
    expect(list.map((w: { slug: string; name: string }) => [w.slug, w.name])).toEqual([
      ['default', 'Default workspace'],
      ['acme-corp', 'Acme']
    ]);
    expect(await pipelens('workspace', 'delete', 'default', '--data', data)).toMatchObject({ code: 1 });
    expect((await pipelens('workspace', 'delete', 'acme-corp', '--data', data)).code).toBe(0);
    expect(await pipelens('metric', 'overview', '--data', data, '--workspace', 'acme-corp')).toMatchObject({ code: 1, stderr: 'not found: workspace acme-corp\n' });
    expect(readdirSync(join(data, 'workspaces'))).toEqual([]);
  });

  it('refuses another CRM\'s export beside a workspace\'s snapshots unless forced', async () => {
    const hubspot = join(FIXTURES, 'hubspot', 'hubspot-crm-exports-all-deals-2024-07-01.csv');
    const refused = await pipelens('ingest', '--db', db, hubspot);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^this upload is a hubspot export, while this workspace holds a salesforce export/);
    expect((await pipelens('ingest', '--db', db, '--force', hubspot)).code).toBe(0);
  });
});
