/**
 * People and tokens through the API, while the server holds the registry (the CLI cannot
 * open it then): server admins list, add, change and remove people, create and revoke
 * tokens, and every change that takes access away takes effect at once. Also what a
 * malformed credential or body gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspaces } from '../../../analytics';
import { openDatabase } from '../../../analytics/db';
import { tempWorkspaces } from '../../helpers';

const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('people and tokens through the API', () => {
  let registry: Workspaces;
  let api: Awaited<ReturnType<typeof tempWorkspaces>>['api'];
  let cleanup: () => Promise<void>;
  const sessions: Record<string, string> = {};
  const cookie = (who: string) => ({ cookie: `pipelens_session=${sessions[who]}` });
  const as = (who: string, init: RequestInit = {}) => ({ ...init, headers: { ...((init.headers as Record<string, string>) ?? {}), ...cookie(who) } });
  beforeAll(async () => {
    ({ registry, api, cleanup } = await tempWorkspaces({ authRequired: true }));
    await registry.create('Acme');
    await registry.auth.addUser('root', 'the server admin pass', { serverAdmin: true });
    await registry.auth.addUser('ann', 'correct horse battery');
    await registry.auth.grant('ann', 'acme', 'admin');
    sessions.root = (await registry.auth.signIn('root', 'the server admin pass'))!.session;
    sessions.ann = (await registry.auth.signIn('ann', 'correct horse battery'))!.session;
  });
  afterAll(() => cleanup());

  it('lets only server admins in: a workspace admin and a token get 403', async () => {
    const token = await registry.auth.createToken('script', 'acme', 'admin');
    for (const [method, path] of [['GET', '/api/users'], ['PUT', '/api/users/x'], ['DELETE', '/api/users/ann'], ['GET', '/api/tokens'], ['POST', '/api/tokens'], ['DELETE', '/api/tokens/pl_x']]) {
      const init: { method: string; body?: string; headers?: Record<string, string> } = method === 'PUT' || method === 'POST' ? json(method, {}) : { method };
      expect([method, path, (await api.request(path, as('ann', init))).status]).toEqual([method, path, 403]);
      expect((await api.request(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } })).status).toBe(403);
    }
    expect((await api.request('/api/users')).status).toBe(401);
  });

  it('lists people with their roles, never their password hashes', async () => {
    const users = await (await api.request('/api/users', as('root'))).json();
    expect(users).toEqual([
      { name: 'ann', server_admin: false, created_at: expect.any(String), roles: { acme: 'admin' } },
      { name: 'root', server_admin: true, created_at: expect.any(String), roles: {} }
    ]);
  });

  it('adds a person with roles (201), then changes their password, which ends their sessions (200)', async () => {
    const added = await api.request('/api/users/bob', as('root', json('PUT', { password: 'bob has a long password', roles: { acme: 'viewer' } })));
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ name: 'bob', server_admin: false, roles: { acme: 'viewer' } });
    sessions.bob = (await registry.auth.signIn('bob', 'bob has a long password'))!.session;
    expect((await api.request('/api/w/acme/snapshots', as('bob'))).status).toBe(200);
    const changed = await api.request('/api/users/bob', as('root', json('PUT', { password: 'a new password for bob', roles: { acme: 'uploader' } })));
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ name: 'bob', roles: { acme: 'uploader' } });
    expect((await api.request('/api/w/acme/snapshots', as('bob'))).status).toBe(401);
    expect(await registry.auth.signIn('bob', 'a new password for bob')).not.toBeNull();
  });

  it('refuses a new person without a password, a short or overlong password, an unknown workspace or role', async () => {
    const put = async (body: unknown) => {
      const res = await api.request('/api/users/eve', as('root', json('PUT', body)));
      return [res.status, (await res.json()).error];
    };
    expect(await put({ roles: { acme: 'viewer' } })).toEqual([400, 'bad parameter password: a new user needs one']);
    expect(await put({ password: 'short' })).toEqual([400, 'bad parameter password: 10 to 1024 characters']);
    expect(await put({ password: 'x'.repeat(1025) })).toEqual([400, 'bad parameter password: 10 to 1024 characters']);
    expect(await put({ password: 'long enough password', roles: { nowhere: 'viewer' } })).toEqual([404, 'not found: workspace nowhere']);
    expect(await put({ password: 'long enough password', roles: { acme: 'boss' } })).toEqual([400, 'bad parameter roles.acme: one of viewer, uploader, admin, none']);
    expect(await put({ password: 12345678901 })).toEqual([400, 'bad parameter password: a string']);
    expect((await registry.auth.users()).map((u) => u.name)).not.toContain('eve');
  });

  it('removes a person: their session ends at once and their roles go (204, then 404)', async () => {
    expect((await api.request('/api/w/acme/snapshots', as('ann'))).status).toBe(200);
    expect((await api.request('/api/users/ann', as('root', { method: 'DELETE' }))).status).toBe(204);
    expect((await api.request('/api/w/acme/snapshots', as('ann'))).status).toBe(401);
    expect((await api.request('/api/users/ann', as('root', { method: 'DELETE' }))).status).toBe(404);
    expect((await registry.auth.users()).map((u) => u.name)).toEqual(['bob', 'root']);
    expect((await api.request('/api/users/root', as('root', { method: 'DELETE' }))).status).toBe(409);
  });

  it('creates a token (its secret shown once), lists it without, and revokes it at once', async () => {
    const created = await api.request('/api/tokens', as('root', json('POST', { name: 'nightly', role: 'uploader', workspace: 'acme' })));
    expect(created.status).toBe(201);
    const { token, token_id, ...info } = await created.json();
    expect(info).toEqual({ name: 'nightly', workspace: 'acme', role: 'uploader', created_at: expect.any(String) });
    expect(token_id).toBe(token.slice(0, 10));
    const bearer = { headers: { authorization: `Bearer ${token}` } };
    expect((await api.request('/api/w/acme/snapshots', bearer)).status).toBe(200);
    const listed = await (await api.request('/api/tokens', as('root'))).json();
    expect(listed.find((t: { token_id: string }) => t.token_id === token_id)).toEqual({ token_id, ...info });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await api.request(`/api/tokens/${token_id}`, as('root', { method: 'DELETE' }))).status).toBe(204);
    expect((await api.request('/api/w/acme/snapshots', bearer)).status).toBe(401);
    expect((await api.request(`/api/tokens/${token_id}`, as('root', { method: 'DELETE' }))).status).toBe(404);
    expect((await api.request('/api/tokens', as('root', json('POST', { name: 'x', role: 'boss', workspace: 'acme' })))).status).toBe(400);
    expect((await api.request('/api/tokens', as('root', json('POST', { name: 'x', role: 'viewer', workspace: 'nowhere' })))).status).toBe(404);
  });

  it('records every change in the registry audit log with who made it', async () => {
    const db = await openDatabase(registry.locations.registry);
    const log = await db.query<{ actor: string; action: string; detail: string }>(
      `SELECT actor, action, detail FROM registry_audit WHERE actor = 'root' AND action <> 'sign in' ORDER BY logged_at`
    );
    expect(log.map((e) => [e.action, e.detail.replace(/pl_\S+/, 'pl_…')])).toEqual([
      ['add user', 'bob, password, acme: viewer'],
      ['change user', 'bob, password, acme: uploader'],
      ['remove user', 'ann'],
      ['create token', 'nightly (uploader), id pl_…'],
      ['revoke token', 'pl_…']
    ]);
  });

  it('takes a malformed session cookie for none (401, not 500)', async () => {
    for (const value of ['%', '%E0%A4%A', '"%"', '']) {
      expect([value, (await api.request('/api/w/acme/snapshots', { headers: { cookie: `pipelens_session=${value}` } })).status]).toEqual([value, 401]);
    }
  });

  it('refuses a JSON body over 64 KB with 413, with or without its length', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
    expect((await api.request('/api/workspaces', as('root', json('POST', JSON.parse(big))))).status).toBe(413);
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
    const chunked = await api.request('/api/users/bob', { method: 'PUT', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', ...cookie('root') } } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});
