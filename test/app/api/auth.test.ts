import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspaces } from '../../../analytics';
import { SHARED_DATA, tempWorkspaces } from '../../helpers';

const DATA_EXPORT = join(SHARED_DATA, 'salesforce-data-export');
const exportForm = () => {
  const form = new FormData();
  for (const name of readdirSync(DATA_EXPORT)) form.append('files', new File([readFileSync(join(DATA_EXPORT, name))], name));
  return form;
};
const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('access control on the API (PIPELENS_AUTH set)', () => {
  let registry: Workspaces;
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  let cleanup: () => Promise<void>;
  const tokens: Record<string, string> = {};
  const as = (who: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${tokens[who]}` } });
  const sessions: Record<string, string> = {};
  const signedIn = (who: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers ?? {}), cookie: `pipelens_session=${sessions[who]}` } });
  beforeAll(async () => {
    ({ registry, api, cleanup } = await tempWorkspaces({ authRequired: true }));
    for (const role of ['viewer', 'uploader', 'admin']) tokens[role] = await registry.auth.createToken(`ci-${role}`, 'default', role);
    await registry.create('Acme');
    await registry.create('Globex');
    await registry.create('Constructor'); // a slug that is also a name every JavaScript object has
    tokens.acme = await registry.auth.createToken('acme-script', 'acme', 'uploader');
    await registry.auth.addUser('ann', 'correct horse battery');
    await registry.auth.grant('ann', 'acme', 'admin');
    await registry.auth.grant('ann', 'globex', 'viewer');
    await registry.auth.addUser('bob', 'another long password');
    await registry.auth.addUser('root', 'the server admin pass', { serverAdmin: true });
    for (const [name, password] of [['ann', 'correct horse battery'], ['bob', 'another long password'], ['root', 'the server admin pass']]) {
      sessions[name] = (await registry.auth.signIn(name, password))!.session;
    }
  });
  afterAll(() => cleanup());

  it('answers 401 without credentials or with a wrong token, but health stays open', async () => {
    expect((await api.request('/api/metrics/overview')).status).toBe(401);
    expect((await api.request('/api/snapshots', { headers: { authorization: 'Bearer pl_wrong' } })).status).toBe(401);
    expect((await api.request('/api/workspaces')).status).toBe(401);
    expect((await api.request('/api/health')).status).toBe(200);
  });

  it('lets each role do its part and no more', async () => {
    expect((await api.request('/api/metrics/overview', as('viewer'))).status).toBe(200);
    expect((await api.request('/api/snapshots', as('viewer', { method: 'POST', body: exportForm() }))).status).toBe(403);
    const created = await api.request('/api/snapshots', as('uploader', { method: 'POST', body: exportForm() }));
    expect(created.status).toBe(201);
    const { snapshot_id } = await created.json();
    expect((await api.request(`/api/snapshots/${snapshot_id}`, as('uploader', { method: 'DELETE' }))).status).toBe(403);
    expect((await api.request('/api/audit', as('uploader'))).status).toBe(403);
    expect((await api.request('/api/prune?dry_run=1', as('uploader', { method: 'POST' }))).status).toBe(403);
    const plan = await api.request('/api/prune?dry_run=1', as('admin', { method: 'POST' }));
    expect(await plan.json()).toMatchObject({ keep: [snapshot_id], remove: [], dry_run: true });
    expect((await api.request(`/api/snapshots/${snapshot_id}`, as('admin', { method: 'DELETE' }))).status).toBe(204);
  });

  it('records every write in the audit log, shown to admins', async () => {
    const log = await (await api.request('/api/audit', as('admin'))).json();
    expect(log.map((e: { actor: string; action: string }) => [e.actor, e.action])).toEqual([
      ['token:ci-admin', 'delete snapshot'],
      ['token:ci-uploader', 'upload']
    ]);
    expect(log[1].detail).toContain('opportunity.csv');
  });

  it('gives a signed-in user the role they have in each workspace, and shows them only those', async () => {
    const list = await (await api.request('/api/workspaces', signedIn('ann'))).json();
    expect(list.map((w: { slug: string; role: string }) => [w.slug, w.role])).toEqual([
      ['acme', 'admin'],
      ['globex', 'viewer']
    ]);
    expect((await api.request('/api/w/acme/snapshots', signedIn('ann', { method: 'POST', body: exportForm() }))).status).toBe(201);
    expect((await api.request('/api/w/globex/snapshots', signedIn('ann', { method: 'POST', body: exportForm() }))).status).toBe(403);
    expect((await api.request('/api/w/globex/metrics/overview', signedIn('ann'))).status).toBe(200);
    expect((await api.request('/api/workspaces/acme', signedIn('ann', json('PATCH', { name: 'Acme Inc' })))).status).toBe(200);
  });

  it('answers 404 on every endpoint of a workspace the asker has no role in, as for one that does not exist', async () => {
    const endpoints: [string, string, RequestInit?][] = [
      ['GET', '/snapshots'],
      ['GET', '/snapshots/1'],
      ['DELETE', '/snapshots/1'],
      ['POST', '/snapshots', { body: exportForm() }],
      ['POST', '/prune?dry_run=1'],
      ['GET', '/audit'],
      ['GET', '/settings'],
      ['PUT', '/settings', json('PUT', { stall_threshold_days: 10 })],
      ['GET', '/mappings'],
      ['PUT', '/mappings/m', json('PUT', {})],
      ['POST', '/mappings/inspect', { body: exportForm() }],
      ['GET', '/metrics/overview'],
      ['GET', '/metrics/deals']
    ];
    const nowhere = async (who: (w: string, init?: RequestInit) => RequestInit, who_: string, slug: string) => {
      for (const [method, path, init] of endpoints) {
        const res = await api.request(`/api/w/${slug}${path}`, who(who_, { ...(init ?? {}), method }));
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect((await res.json()).error).toBe(`not found: workspace ${slug}`);
      }
      for (const [method, init] of [['GET'], ['PATCH', json('PATCH', { name: 'x' })], ['DELETE']] as [string, RequestInit?][]) {
        expect((await api.request(`/api/workspaces/${slug}`, who(who_, { ...(init ?? {}), method }))).status).toBe(404);
      }
    };
    await nowhere(signedIn, 'bob', 'acme');
    await nowhere(signedIn, 'bob', 'constructor');
    await nowhere(signedIn, 'ann', 'constructor');
    await nowhere(signedIn, 'bob', 'no-such-workspace');
    await nowhere(signedIn, 'ann', 'default');
    await nowhere(as, 'acme', 'globex');
    // the old addresses are the default workspace's: a token of acme has no role there
    expect((await api.request('/api/snapshots', as('acme'))).status).toBe(404);
    expect((await api.request('/api/w/acme/snapshots', as('acme'))).status).toBe(200);
    expect(await (await api.request('/api/workspaces', signedIn('bob'))).json()).toEqual([]);
    expect(await (await api.request('/api/nothing-here', signedIn('bob'))).json()).toEqual({ error: 'no such endpoint: GET /api/nothing-here' });
    expect((await (await api.request('/api/workspaces', as('acme'))).json()).map((w: { slug: string }) => w.slug)).toEqual(['acme']);
  });

  it('lets only a server admin create and delete workspaces', async () => {
    expect((await api.request('/api/workspaces', signedIn('ann', json('POST', { name: 'Initech' })))).status).toBe(403);
    expect((await api.request('/api/workspaces/acme', signedIn('ann', { method: 'DELETE' }))).status).toBe(403);
    const created = await api.request('/api/workspaces', signedIn('root', json('POST', { name: 'Initech' })));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: 'initech', name: 'Initech', demo: false });
    expect((await api.request('/api/workspaces/initech', signedIn('root', { method: 'DELETE' }))).status).toBe(204);
    expect((await api.request('/api/workspaces/default', signedIn('root', { method: 'DELETE' }))).status).toBe(409);
  });

  it("records a sign-in in the audit log of every workspace the person has a role in", async () => {
    const log = await (await api.request('/api/w/acme/audit', signedIn('ann'))).json();
    expect(log.filter((e: { action: string }) => e.action === 'sign in').map((e: { actor: string }) => e.actor)).toEqual(['ann']);
    const defaults = await (await api.request('/api/audit', as('admin'))).json();
    expect(defaults.some((e: { action: string }) => e.action === 'sign in')).toBe(false);
  });

  it('ends a session at sign-out', async () => {
    expect((await api.request('/api/w/acme/snapshots', signedIn('ann'))).status).toBe(200);
    await registry.auth.signOut(sessions.ann);
    expect((await api.request('/api/w/acme/snapshots', signedIn('ann'))).status).toBe(401);
    expect(await registry.auth.signIn('ann', 'wrong password!')).toBeNull();
    expect(await registry.auth.signIn('nobody', 'correct horse battery')).toBeNull();
  });

  it('stores only hashes of tokens, sessions and passwords', async () => {
    const { openDatabase } = await import('../../../analytics/db');
    const db = await openDatabase(registry.locations.registry);
    const tables = JSON.stringify(await db.query(`SELECT * FROM api_tokens`)) + JSON.stringify(await db.query(`SELECT * FROM users`)) + JSON.stringify(await db.query(`SELECT * FROM sessions`));
    for (const token of Object.values(tokens)) expect(tables).not.toContain(token);
    for (const session of Object.values(sessions)) expect(tables).not.toContain(session);
    expect(tables).not.toContain('correct horse battery');
    expect(tables).toContain('scrypt$');
  });
});
