/**
 * Workspaces through the engine's front door: each keeps its own snapshots, settings and
 * figures; the registry creates, renames and deletes them; an upload from another
 * organisation is refused unless forced; a database of the single-workspace version opens
 * as the default workspace with its users and tokens; the demo loads into its own
 * workspace once.
 */
import { zipSync } from 'fflate';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataLocations, MixedDataError, openWorkspaces, slugify, type Workspace, type Workspaces } from '../../analytics';
import { openDatabase } from '../../analytics/db';
import { ingest } from '../../analytics/ingest/ingest';
import { csvFile, FIXTURES, syntheticOpportunities, tempDir } from '../helpers';
import { readInputPaths } from '../../analytics';

const HEADER = '"Id","StageName","Amount","CloseDate","CreatedDate","IsClosed","IsWon"';
/** Three deals D1..D3 with the same ids and stage names in every workspace, amounts as given. */
const opportunities = (amounts: [number, number, number]) =>
  csvFile('Opportunity.csv', HEADER, [
    `"D1","Prospecting","${amounts[0]}","2024-09-30","2024-07-01 00:00:00","0","0"`,
    `"D2","Closed Won","${amounts[1]}","2024-08-15","2024-07-01 00:00:00","1","1"`,
    `"D3","Closed Lost","${amounts[2]}","2024-08-20","2024-07-01 00:00:00","1","0"`
  ]);
const AS_OF = '2024-09-01T00:00:00Z';

/** Every answer a workspace gives about its data, as one string. */
async function answers(ws: Workspace): Promise<string> {
  const out = [];
  for (const name of ['overview', 'open-pipeline', 'win-rates', 'forecast', 'funnel', 'deals'] as const) out.push(await ws.metric(name, {}));
  return JSON.stringify([out, await ws.snapshots(), ws.settings()]);
}

describe('data locations', () => {
  it('takes the data directory from --data, PIPELENS_DATA, the folder of --db or PIPELENS_DB, else data/', () => {
    expect(dataLocations({}, {})).toEqual({
      dataDir: 'data',
      memoryLimit: '1GB',
      registry: 'data/workspaces.duckdb',
      defaults: { db: 'data/pipelens.duckdb', settings: 'data/settings.json', mappings: 'data/mappings' }
    });
    expect(dataLocations({ db: '/srv/x/acme.duckdb' }, { PIPELENS_DATA: '/srv/data' }).registry).toBe('/srv/data/workspaces.duckdb');
    expect(dataLocations({ data: '/a' }, { PIPELENS_DATA: '/b' }).dataDir).toBe('/a');
    const fromDb = dataLocations({}, { PIPELENS_DB: '/srv/x/acme.duckdb', PIPELENS_SETTINGS: '/etc/pl.json', PIPELENS_MEMORY_LIMIT: '4GB' });
    expect(fromDb).toMatchObject({ dataDir: '/srv/x', memoryLimit: '4GB', registry: '/srv/x/workspaces.duckdb' });
    expect(fromDb.defaults).toEqual({ db: '/srv/x/acme.duckdb', settings: '/etc/pl.json', mappings: '/srv/x/mappings' });
  });
});

describe('workspaces', () => {
  let dir: string;
  let cleanup: () => void;
  let registry: Workspaces;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    registry = await openWorkspaces(dataLocations({ data: dir }, {}));
    await registry.start();
  });
  afterEach(async () => {
    await registry.close();
    cleanup();
  });

  /** Two workspaces holding the same three deals (D1 open, D2 won, D3 lost) at different amounts. */
  async function acmeAndGlobex() {
    await registry.create('Acme');
    await registry.create('Globex');
    const acme = await registry.open('acme');
    const globex = await registry.open('globex');
    await acme.ingest([opportunities([100, 200, 300])], { asOf: AS_OF });
    await globex.ingest([opportunities([1000, 2000, 5000])], { asOf: AS_OF });
    return { acme, globex };
  }

  it('gives two workspaces with the same deal ids and stage names each their own figures', async () => {
    const { acme, globex } = await acmeAndGlobex();
    // by hand: open = D1; won = D2; lost = D3
    expect((await acme.metric('overview')).rows[0]).toMatchObject({ open_count: 1, open_amount: 100 });
    expect((await globex.metric('overview')).rows[0]).toMatchObject({ open_count: 1, open_amount: 1000 });
    expect((await acme.metric('win-rates')).rows[0]).toMatchObject({ won: 1, lost: 1, win_rate_count: 0.5, won_amount: 200, win_rate_amount: 200 / 500 });
    expect((await globex.metric('win-rates')).rows[0]).toMatchObject({ won: 1, lost: 1, win_rate_count: 0.5, won_amount: 2000, win_rate_amount: 2000 / 7000 });
    expect((await (await registry.open('default')).snapshots()).length).toBe(0);
    expect(existsSync(join(dir, 'workspaces', 'acme', 'pipelens.duckdb'))).toBe(true);
  });

  it('answers reads and takes uploads in one workspace while a large upload runs in another', async () => {
    const { acme, globex } = await acmeAndGlobex();
    let uploaded = false;
    const upload = acme
      .ingest([{ name: 'Opportunity.csv', bytes: syntheticOpportunities(300_000, 'big') }], { asOf: '2024-09-08T00:00:00Z' })
      .then(() => (uploaded = true));
    await new Promise((r) => setTimeout(r, 50)); // the upload has begun
    const reads = [];
    // each read asks something new (the cache answers nothing): globex's one open deal, by stage
    for (const stage of ['Prospecting', 'Closed Won', 'Closed Lost']) reads.push((await globex.metric('deals', { stage })).rows.map((d) => d.deal_id));
    // and another workspace's upload does not queue behind it (one database's writes would)
    const small = await globex.ingest([opportunities([1100, 2000, 5000])], { asOf: '2024-09-08T00:00:00Z' });
    expect(small.created).toBe(true);
    expect(uploaded).toBe(false);
    expect(reads).toEqual([['D1'], ['D2'], ['D3']]);
    await upload;
    expect((await acme.metric('overview')).rows[0]).toMatchObject({ open_count: 300_000 });
  }, 60_000);

  it('keeps stage settings apart: a setting made in one workspace changes none of another', async () => {
    const { acme, globex } = await acmeAndGlobex();
    const before = await answers(globex);
    // Prospecting is 10% by Salesforce's standard stages: D1's weighted share 100 × 10% = 10, then 100 × 50% = 50
    expect((await acme.metric('forecast', { period: 'FY2024Q3' })).rows[0]).toMatchObject({ weighted: 200 + 10 });
    await acme.replaceSettings({ ...acme.settings(), stages: [{ stage: 'Prospecting', probability: 50 }] }, 'test');
    expect((await acme.metric('forecast', { period: 'FY2024Q3' })).rows[0]).toMatchObject({ weighted: 200 + 50 });
    expect(await answers(globex)).toBe(before);
    expect(globex.settings().stages).toEqual([]);
  });

  it('deletes a workspace with its folder and leaves every answer of the others byte-identical', async () => {
    await registry.create('Acme');
    await registry.create('Globex');
    await (await registry.open('acme')).ingest([opportunities([100, 200, 300])], { asOf: AS_OF });
    const globex = await registry.open('globex');
    await globex.ingest([opportunities([1000, 2000, 5000])], { asOf: AS_OF });
    const before = await answers(globex);
    await registry.delete('acme');
    expect(existsSync(join(dir, 'workspaces', 'acme'))).toBe(false);
    await expect(registry.open('acme')).rejects.toThrow('not found: workspace acme');
    expect(await answers(await registry.open('globex'))).toBe(before);
    expect((await registry.list()).map((w) => w.slug)).toEqual(['default', 'globex']);
  });

  it('deletes a workspace that requests are opening meanwhile, and a new one of the same name starts empty', async () => {
    for (let round = 0; round < 10; round++) {
      await registry.create('Acme');
      await (await registry.open('acme')).ingest([opportunities([100, 200, 300])], { asOf: AS_OF });
      const opening = Array.from({ length: 5 }, () => registry.open('acme').then((ws) => ws.snapshots()).catch((e) => e));
      await registry.delete('acme');
      const answers = await Promise.all(opening);
      for (const a of answers) expect(Array.isArray(a) || a.kind === 'not-found' || /closed/i.test(a.message)).toBe(true);
      await registry.create('Acme');
      expect(await (await registry.open('acme')).snapshots()).toEqual([]);
      await registry.delete('acme');
    }
    expect((await registry.list()).map((w) => w.slug)).toEqual(['default']);
  }, 60_000);

  it('stages uploads in the data directory, and a restart removes what a process killed mid-upload left', async () => {
    await registry.create('Acme');
    await (await registry.open('acme')).ingest([opportunities([100, 200, 300])], { asOf: AS_OF });
    const staging = join(dir, '.staging');
    expect(readdirSync(staging)).toEqual([]); // used, and emptied once the upload is in
    await registry.close();
    // left by a killed process: a staged copy of an upload, and DuckDB's spill files beside two databases
    const hourAgo = new Date(Date.now() - 3_600_000);
    const stale = [join(staging, 'upload-killed'), join(dir, 'pipelens.duckdb.tmp'), join(dir, 'workspaces', 'acme', 'pipelens.duckdb.tmp')];
    for (const folder of stale) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'file.csv'), 'x'.repeat(1000));
      utimesSync(folder, hourAgo, hourAgo);
    }
    // staged by this process (an upload running): kept
    mkdirSync(join(staging, 'upload-running'));
    registry = await openWorkspaces(dataLocations({ data: dir }, {}));
    await registry.start();
    for (const folder of stale) expect(existsSync(folder)).toBe(false);
    expect(readdirSync(staging)).toEqual(['upload-running']);
  });

  it('leaves no workspace behind when a restore fails', async () => {
    await expect(registry.restore('newone', join(dir, 'no-such-backup'))).rejects.toThrow('has no manifest.json');
    expect((await registry.list()).map((w) => w.slug)).toEqual(['default']);
  });

  it('names workspaces by slug: unique, renamed without moving, the default kept', async () => {
    expect(slugify('Ünïcode & Sons, Ltd.')).toBe('unicode-sons-ltd');
    expect(slugify('***')).toBe('workspace');
    expect((await registry.create('Acme')).slug).toBe('acme');
    await expect(registry.create('ACME')).rejects.toThrow('a workspace is named "ACME"');
    expect((await registry.create('ACME!')).slug).toBe('acme-2');
    await expect(registry.rename('acme-2', 'acme')).rejects.toMatchObject({ kind: 'conflict' });
    expect(await registry.rename('acme-2', 'Acme Europe')).toMatchObject({ slug: 'acme-2', name: 'Acme Europe' });
    await expect(registry.create('  ')).rejects.toThrow('bad parameter name');
    await expect(registry.delete('default')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(registry.rename('nope', 'x')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it("refuses an upload from another CRM, org or mapping than the workspace's, naming the workspace it seems to belong to, unless forced", async () => {
    await registry.create('Acme');
    await registry.create('Globex');
    const hubspotFiles = readInputPaths([join(FIXTURES, 'hubspot')]);
    await (await registry.open('default')).ingest(hubspotFiles);
    const acme = await registry.open('acme');
    const org = (id: string, amounts: [number, number, number]) => ({ name: `WE_${id}_1.zip`, bytes: zipSync({ 'Opportunity.csv': opportunities(amounts).bytes }) });
    await (await registry.open('globex')).ingest([org('00D000000000002AAA', [7, 8, 9])], { asOf: AS_OF });
    const first = await acme.ingest([org('00D000000000001AAA', [100, 200, 300])], { asOf: AS_OF });
    expect(first.snapshot.source_key).toBe('org:00D000000000001');

    // a HubSpot export names no org: another CRM, but no workspace to point to
    const crm = await acme.ingest(hubspotFiles).catch((e) => e);
    expect(crm).toBeInstanceOf(MixedDataError);
    expect(crm.message).toBe(
      'this upload is a hubspot export, while this workspace holds Salesforce org 00D000000000001. Upload it to its own workspace, or load it here anyway with force=1 (CLI: --force)'
    );
    expect(crm.belongsTo).toBeNull();
    const otherOrg = await acme.ingest([org('00D000000000002AAA', [1, 2, 3])], { asOf: '2024-09-02T00:00:00Z' }).catch((e) => e);
    expect(otherOrg).toMatchObject({ kind: 'conflict', belongsTo: 'globex' });
    expect(otherOrg.message).toMatch(/^this upload is Salesforce org 00D000000000002, while this workspace holds Salesforce org 00D000000000001; it looks like workspace globex's data/);
    // only a workspace the uploader may see is named
    const hidden = await acme.ingest([org('00D000000000002AAA', [1, 2, 3])], { asOf: '2024-09-02T00:00:00Z', visible: (slug) => slug !== 'globex' }).catch((e) => e);
    expect(hidden).toMatchObject({ kind: 'conflict', belongsTo: null });
    // an org id is compared as Salesforce writes it: the same id in a lower-case file name is the same org
    expect((await acme.ingest([{ ...org('00D000000000001AAA', [100, 200, 300]), name: 'we_00D000000000001AAA_2.zip' }], { asOf: '2024-09-03T00:00:00Z' })).created).toBe(true);
    expect((await acme.snapshots()).length).toBe(2);
    // the same org's next export, and a plain export with no org in its name, are welcome
    expect((await acme.ingest([org('00D000000000001AAA', [150, 200, 300])], { asOf: '2024-09-08T00:00:00Z' })).created).toBe(true);
    expect((await acme.ingest([opportunities([160, 200, 300])], { asOf: '2024-09-15T00:00:00Z' })).created).toBe(true);
    expect((await acme.ingest(hubspotFiles, { force: true })).created).toBe(true);
    // once forced in, the workspace holds both: either source's next export is welcome, a third CRM is not
    expect((await acme.ingest([org('00D000000000001AAA', [170, 200, 300])], { asOf: '2024-09-22T00:00:00Z' })).created).toBe(true);
    const pipedrive = readInputPaths([join(FIXTURES, 'pipedrive', 'deals-2024-07-01.csv')]);
    await expect(acme.ingest(pipedrive)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('opens a database of the single-workspace version as the default workspace, with its users, sessions and tokens', async () => {
    await registry.close();
    rmSync(join(dir, 'workspaces.duckdb'));
    const legacyPath = join(dir, 'pipelens.duckdb');
    const legacy = await openDatabase(legacyPath);
    // rows as that version wrote them (its users, api_tokens and sessions tables)
    await legacy.query(`INSERT INTO users VALUES ('ann', 'admin', 'scrypt$x$y', now()::TIMESTAMP), ('vic', 'viewer', 'scrypt$x$z', now()::TIMESTAMP)`);
    await legacy.query(`INSERT INTO api_tokens VALUES ('pl_abcdefg', 'ci', 'uploader', 'hash-of-token', now()::TIMESTAMP, NULL)`);
    await legacy.query(`INSERT INTO sessions VALUES ('hash-of-session', 'vic', now()::TIMESTAMP, now()::TIMESTAMP + INTERVAL 1 DAY)`);
    await ingest(legacy, readInputPaths([join(FIXTURES, 'pipeline', 'a')]), { asOf: '2024-06-30T12:00:00Z' });
    legacy.close();

    registry = await openWorkspaces(dataLocations({ data: dir }, {}));
    await registry.start();
    const def = await registry.open('default');
    expect((await def.snapshots()).map((s) => s.snapshot_id)).toEqual([1]);
    expect((await def.metric('overview')).rows[0]).toMatchObject({ as_of: '2024-06-30T12:00:00Z' });
    const db = await openDatabase(join(dir, 'workspaces.duckdb'), async () => undefined);
    expect(await db.query(`SELECT name, server_admin FROM users ORDER BY name`)).toEqual([
      { name: 'ann', server_admin: true },
      { name: 'vic', server_admin: false }
    ]);
    expect(await db.query(`SELECT user_name, workspace, role FROM memberships ORDER BY user_name`)).toEqual([
      { user_name: 'ann', workspace: 'default', role: 'admin' },
      { user_name: 'vic', workspace: 'default', role: 'viewer' }
    ]);
    expect(await db.query(`SELECT token_id, workspace, role FROM api_tokens`)).toEqual([{ token_id: 'pl_abcdefg', workspace: 'default', role: 'uploader' }]);
    expect(await db.query(`SELECT user_name FROM sessions`)).toEqual([{ user_name: 'vic' }]);
  });

  it('tries the adoption of an old database again when it failed (the file unreadable, say)', async () => {
    await registry.close();
    rmSync(join(dir, 'workspaces.duckdb'));
    const legacyPath = join(dir, 'pipelens.duckdb');
    writeFileSync(legacyPath, 'not a database');
    await expect(openWorkspaces(dataLocations({ data: dir }, {})).then((r) => ((registry = r), r.start()))).rejects.toThrow();
    await registry.close();
    rmSync(legacyPath);
    const legacy = await openDatabase(legacyPath);
    await legacy.query(`INSERT INTO users VALUES ('ann', 'admin', 'scrypt$x$y', now()::TIMESTAMP)`);
    legacy.close();
    registry = await openWorkspaces(dataLocations({ data: dir }, {}));
    await registry.start();
    const db = await openDatabase(join(dir, 'workspaces.duckdb'), async () => undefined);
    expect(await db.query(`SELECT name, server_admin FROM users`)).toEqual([{ name: 'ann', server_admin: true }]);
  });

  it('loads the demo afresh when an earlier load did not finish', async () => {
    const partial = await registry.create('Demo company (fictional)', { slug: 'demo', demo: true });
    expect(partial.slug).toBe('demo');
    await (await registry.open('demo')).ingest([opportunities([1, 2, 3])], { asOf: AS_OF });
    expect((await registry.start({ demo: true })).demoSnapshots).toBe(8);
    const snapshots = await (await registry.open('demo')).snapshots();
    expect(snapshots.length).toBe(8);
    expect(snapshots.every((s) => s.crm === 'salesforce' && s.as_of > '2026-01-01')).toBe(true);
  }, 120_000);

  it('loads the demo company into its own workspace once: the default stays empty, and a deleted demo stays deleted', async () => {
    const { demoSnapshots } = await registry.start({ demo: true });
    expect(demoSnapshots).toBe(8);
    expect(await registry.list()).toMatchObject([
      { slug: 'default', demo: false },
      { slug: 'demo', demo: true }
    ]);
    expect((await (await registry.open('demo')).snapshots()).length).toBe(8);
    expect((await (await registry.open('default')).snapshots()).length).toBe(0);
    expect((await registry.start({ demo: true })).demoSnapshots).toBe(0);
    await registry.delete('demo');
    expect((await registry.start({ demo: true })).demoSnapshots).toBe(0);
    expect((await registry.list()).map((w) => w.slug)).toEqual(['default']);
  }, 120_000);
});
