import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken, signIn, signOut } from '../../../analytics/auth';
import type { Database } from '../../../analytics/db';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { createApi } from '../../../app/lib/server/api';
import { SHARED_DATA, diskDb } from '../../helpers';

const DATA_EXPORT = join(SHARED_DATA, 'salesforce-data-export');
const exportForm = () => {
  const form = new FormData();
  for (const name of readdirSync(DATA_EXPORT)) form.append('files', new File([readFileSync(join(DATA_EXPORT, name))], name));
  return form;
};

describe('access control on the API (PIPELENS_AUTH set)', () => {
  let db: Database;
  let cleanup: () => void;
  let api: ReturnType<typeof createApi>;
  const tokens: Record<string, string> = {};
  const as = (role: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${tokens[role]}` } });
  beforeAll(async () => {
    ({ db, cleanup } = await diskDb());
    api = createApi({ database: async () => db, settings: () => DEFAULT_SETTINGS, authRequired: () => true });
    for (const role of ['viewer', 'uploader', 'admin']) tokens[role] = await createToken(db, `ci-${role}`, role);
  });
  afterAll(() => cleanup());

  it('answers 401 without credentials or with a wrong token, but health stays open', async () => {
    expect((await api.request('/api/metrics/overview')).status).toBe(401);
    expect((await api.request('/api/snapshots', { headers: { authorization: 'Bearer pl_wrong' } })).status).toBe(401);
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

  it('accepts a session cookie from a password sign-in, until sign-out', async () => {
    await addUser(db, 'ann', 'viewer', 'correct horse battery');
    expect(await signIn(db, 'ann', 'wrong password!')).toBeNull();
    expect(await signIn(db, 'nobody', 'correct horse battery')).toBeNull();
    const signed = await signIn(db, 'ann', 'correct horse battery');
    expect(signed?.actor).toEqual({ name: 'ann', role: 'viewer' });
    const cookie = { headers: { cookie: `pipelens_session=${signed!.session}` } };
    expect((await api.request('/api/snapshots', cookie)).status).toBe(200);
    await signOut(db, signed!.session);
    expect((await api.request('/api/snapshots', cookie)).status).toBe(401);
  });

  it('stores only hashes of tokens, sessions and passwords', async () => {
    const tables = JSON.stringify(await db.query(`SELECT * FROM api_tokens`)) + JSON.stringify(await db.query(`SELECT * FROM users`)) + JSON.stringify(await db.query(`SELECT * FROM sessions`));
    for (const token of Object.values(tokens)) expect(tables).not.toContain(token);
    expect(tables).not.toContain('correct horse battery');
    expect(tables).toContain('scrypt$');
  });
});
