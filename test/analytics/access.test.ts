/**
 * Taking access away and guarding sign-in, on the registry: a new password or a removal
 * ends a person's sessions, a removal takes their roles, passwords have a length limit
 * checked before hashing, and failed sign-ins are throttled per name and per client
 * address and recorded in the registry's audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../analytics/db';
import { createThrottle } from '../../analytics/throttle';
import { BadParameterError, NotFoundError, SIGN_IN_LIMIT, TooManyAttemptsError, type Workspaces } from '../../analytics';
import { tempWorkspaces } from '../helpers';

const PASSWORD = 'correct horse battery';

describe('taking access away', () => {
  let registry: Workspaces;
  let cleanup: () => Promise<void>;
  const signIn = async (name: string, password = PASSWORD) => (await registry.auth.signIn(name, password))!.session;
  const who = async (session: string) => (await registry.auth.authenticate({ session }))?.name ?? null;
  beforeAll(async () => {
    ({ registry, cleanup } = await tempWorkspaces());
    await registry.create('Acme');
  });
  afterAll(() => cleanup());

  it('ends the old sessions of a user added again with a new password', async () => {
    await registry.auth.addUser('ann', PASSWORD);
    const before = await signIn('ann');
    expect(await who(before)).toBe('ann');
    await registry.auth.addUser('ann', 'a brand new password');
    expect(await who(before)).toBeNull();
    expect(await registry.auth.signIn('ann', PASSWORD)).toBeNull();
    expect(await who(await signIn('ann', 'a brand new password'))).toBe('ann');
  });

  it('ends the sessions of a user whose password is changed, and changes the server admin flag alone', async () => {
    await registry.auth.addUser('cat', PASSWORD);
    const session = await signIn('cat');
    await registry.auth.updateUser('cat', { serverAdmin: true });
    expect((await registry.auth.authenticate({ session }))?.serverAdmin).toBe(true);
    await registry.auth.updateUser('cat', { password: 'another long password' });
    expect(await who(session)).toBeNull();
    await expect(registry.auth.updateUser('nobody', { password: 'another long password' })).rejects.toThrow(NotFoundError);
  });

  it('removes a user: their sessions end and their roles go, and a user of that name added later has none', async () => {
    await registry.auth.addUser('bob', PASSWORD);
    await registry.auth.grant('bob', 'acme', 'admin');
    const session = await signIn('bob');
    expect((await registry.auth.authenticate({ session }))?.roles).toEqual({ acme: 'admin' });
    expect(await registry.auth.removeUser('bob')).toBe(true);
    expect(await who(session)).toBeNull();
    expect(await registry.auth.signIn('bob', PASSWORD)).toBeNull();
    expect((await registry.auth.users()).map((u) => u.name)).not.toContain('bob');
    await registry.auth.addUser('bob', PASSWORD);
    expect((await registry.auth.users()).find((u) => u.name === 'bob')).toMatchObject({ name: 'bob', server_admin: false, roles: {} });
    expect(await registry.auth.removeUser('nobody')).toBe(false);
  });

  it('lists tokens without their secrets, and a revoked token stops at once', async () => {
    const token = await registry.auth.createToken('nightly', 'acme', 'uploader');
    expect(await registry.auth.tokens()).toEqual([{ token_id: token.slice(0, 10), name: 'nightly', workspace: 'acme', role: 'uploader', created_at: expect.any(String) }]);
    expect((await registry.auth.authenticate({ token }))?.name).toBe('token:nightly');
    expect(await registry.auth.revokeToken(token.slice(0, 10))).toBe(true);
    expect(await registry.auth.authenticate({ token })).toBeNull();
  });

  it('refuses passwords over 1024 characters, and a sign-in with one fails without hashing it', async () => {
    await expect(registry.auth.addUser('dan', 'x'.repeat(1025))).rejects.toThrow(BadParameterError);
    await registry.auth.addUser('dan', 'x'.repeat(1024));
    const huge = 'x'.repeat(50_000_000); // scrypt takes about 1.5 s over 50 MB here
    const started = performance.now();
    expect(await registry.auth.signIn('dan', huge)).toBeNull();
    expect(performance.now() - started).toBeLessThan(750);
  });
});

describe('throttled sign-in', () => {
  let registry: Workspaces;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ registry, cleanup } = await tempWorkspaces());
    for (const name of ['ann', 'bob', 'cat']) await registry.auth.addUser(name, PASSWORD);
  });
  afterAll(() => cleanup());

  it(`refuses a name after ${SIGN_IN_LIMIT} failures, even with the right password, and says how long to wait`, async () => {
    for (let i = 0; i < SIGN_IN_LIMIT; i++) expect(await registry.auth.signIn('ann', 'wrong password', `10.0.0.${i}`)).toBeNull();
    const refused = await registry.auth.signIn('ann', PASSWORD, '10.0.1.1').catch((err) => err);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect(refused.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // others sign in as before
    expect(await registry.auth.signIn('bob', PASSWORD, '10.0.1.1')).not.toBeNull();
  });

  it(`refuses a client address after ${SIGN_IN_LIMIT} failures, whatever name it tries`, async () => {
    const names = ['x1', 'x2', 'bob', 'x3', 'x4'];
    for (const name of names) expect(await registry.auth.signIn(name, 'wrong password', '192.0.2.7')).toBeNull();
    await expect(registry.auth.signIn('cat', PASSWORD, '192.0.2.7')).rejects.toThrow(TooManyAttemptsError);
    expect(await registry.auth.signIn('cat', PASSWORD, '192.0.2.8')).not.toBeNull();
  });

  it('counts guesses sent at once before any of them is checked', async () => {
    const guesses = await Promise.allSettled(Array.from({ length: 20 }, () => registry.auth.signIn('cat', 'wrong password', '198.51.100.1')));
    expect(guesses.filter((g) => g.status === 'fulfilled')).toHaveLength(SIGN_IN_LIMIT);
    expect(guesses.filter((g) => g.status === 'rejected' && g.reason instanceof TooManyAttemptsError)).toHaveLength(20 - SIGN_IN_LIMIT);
  });

  it('records failed sign-ins, with the name tried and the address, in the registry audit log', async () => {
    const db = await openDatabase(registry.locations.registry);
    const failed = await db.query<{ actor: string; detail: string }>(`SELECT actor, detail FROM registry_audit WHERE action = 'sign in failed' ORDER BY logged_at`);
    expect(failed.slice(0, 2)).toEqual([
      { actor: 'ann', detail: 'from 10.0.0.0' },
      { actor: 'ann', detail: 'from 10.0.0.1' }
    ]);
    expect(failed).toHaveLength(3 * SIGN_IN_LIMIT);
  });
});

describe('the throttle', () => {
  it('lets a key try again once its oldest counted failure leaves the window; a success is forgiven', () => {
    let now = 0;
    const throttle = createThrottle({ limit: 2, windowMs: 60_000, now: () => now });
    throttle.attempt(['a']);
    now = 10_000;
    const second = throttle.attempt(['a', 'b']);
    expect(throttle.wait(['a'])).toBe(50);
    expect(throttle.wait(['b'])).toBe(0);
    throttle.forgive('a', second);
    expect(throttle.wait(['a'])).toBe(0);
    throttle.attempt(['a']);
    now = 59_999;
    expect(throttle.wait(['b', 'a'])).toBe(1);
    now = 60_001;
    expect(throttle.wait(['a'])).toBe(0);
    throttle.attempt(['a']);
    throttle.reset('a');
    expect(throttle.wait(['a'])).toBe(0);
  });

  it('remembers at most maxKeys keys, dropping the oldest', () => {
    const throttle = createThrottle({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) throttle.attempt([key]);
    expect(['a', 'b', 'c'].map((k) => throttle.wait([k]) > 0)).toEqual([false, true, true]);
  });
});
