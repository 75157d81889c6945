/**
 * With PIPELENS_AUTH set, pages need a signed-in user: a page sends an anonymous visitor
 * to the sign-in page, a wrong password is refused, the right one opens the page, and the
 * audit page lists the sign-in. Users are the server's, roles per workspace: ann is an
 * admin of the demo company's workspace only (the default workspace answers her 404).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { dataLocations, openWorkspaces } from '../../analytics';
import { SCREENSHOTS, launchBrowser, requireBuild, startServer, tempDir, watchPage, type RunningServer } from './harness';

describe('sign-in', () => {
  const dir = tempDir('auth');
  const db = join(dir, 'pipelens.duckdb');
  let server: RunningServer;
  let browser: BrowserContext;
  let token: string;
  const saved = process.env.PIPELENS_AUTH;

  beforeAll(async () => {
    requireBuild();
    // the first start loads the demo company into workspace demo; a role there needs the workspace
    await (await startServer(db)).stop();
    execFileSync(process.execPath, [resolve('analytics/cli/bin.js'), 'user', 'add', 'ann', '--role', 'admin', '--workspace', 'demo', '--db', db], { input: 'a long enough password\n' });
    // a server admin, a viewer and a script token for the Users page
    const registry = await openWorkspaces(dataLocations({ data: dir, db }, {}));
    await registry.auth.addUser('root', 'the server admin pass', { serverAdmin: true });
    await registry.auth.addUser('bob', 'bob has a long password');
    await registry.auth.grant('bob', 'demo', 'viewer');
    token = await registry.auth.createToken('nightly', 'demo', 'uploader');
    await registry.close();
    process.env.PIPELENS_AUTH = 'on';
    server = await startServer(db);
    browser = await launchBrowser(join(dir, 'chromium'));
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PIPELENS_AUTH;
    else process.env.PIPELENS_AUTH = saved;
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a visitor to sign in, refuses a wrong password, then shows the pages', async () => {
    const page = await browser.newPage();
    const watch = watchPage(page);
    watch.expect('POST', '/signin', 400); // the wrong password
    await page.goto(`${server.demo}/funnel?period=FY2026Q3`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('input[name=name]', 'ann');
    await page.fill('input[name=password]', 'not the password');
    await page.click('form[action="?/signin"] button');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Wrong name or password');
    await page.fill('input[name=password]', 'a long enough password');
    await page.click('form[action="?/signin"] button');
    await page.waitForURL(/\/w\/demo\/funnel\?period=FY2026Q3$/);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'pipelens_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    await page.click('nav >> text=Audit log');
    await page.waitForURL(/\/w\/demo\/audit$/);
    expect(await page.locator('table').textContent()).toContain('sign in');
    await page.screenshot({ path: join(SCREENSHOTS, 'audit.png'), fullPage: true });
    const api = await page.request.get(`${server.demoApi}/snapshots`);
    expect(api.status()).toBe(200);
    expect((await fetch(`${server.demoApi}/snapshots`)).status).toBe(401);
    // no role in the default workspace: it answers 404, as one that does not exist
    expect((await page.request.get(`${server.url}/api/snapshots`)).status()).toBe(404);
    // the pages too: the plain / leads to her workspace, the default's pages answer 404, the switcher shows hers only
    watch.expect('GET', '/funnel', 404);
    expect((await page.goto(`${server.url}/funnel`))?.status()).toBe(404);
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/w/demo');
    expect(await page.getByTestId('workspace-switcher').locator('option').allTextContents()).toEqual(['Demo company (fictional)']);
    await page.click('nav >> text=Sign out');
    await page.waitForURL(/\/signin$/);
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(watch.problems).toEqual([]);
  });

  it("lets a server admin take access away while the server runs: a person's session and a token stop at once", async () => {
    // bob signs in elsewhere: his session works
    const form = new URLSearchParams({ name: 'bob', password: 'bob has a long password', next: '/' });
    const signed = await fetch(`${server.url}/signin?/signin`, { method: 'POST', body: form, headers: { origin: server.url, accept: 'text/html' }, redirect: 'manual' });
    const bob = { cookie: signed.headers.getSetCookie()[0].split(';')[0] };
    expect((await fetch(`${server.demoApi}/snapshots`, { headers: bob })).status).toBe(200);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.demoApi}/snapshots`, { headers: bearer })).status).toBe(200);
    // the command line cannot open the data directory meanwhile, and says where to go instead
    const cli = spawnSync(process.execPath, [resolve('analytics/cli/bin.js'), 'user', 'remove', 'bob', '--db', db], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('Users page (/users)');

    const page = await browser.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/signin`);
    await page.fill('input[name=name]', 'root');
    await page.fill('input[name=password]', 'the server admin pass');
    await page.click('form[action="?/signin"] button');
    await page.waitForURL((url) => url.pathname !== '/signin');
    await page.click('nav >> text=Users');
    await page.waitForURL(/\/users$/);
    expect(await page.getByTestId('users').locator('tbody tr td:first-child').allTextContents()).toEqual(['ann', 'bob', 'root']);
    expect(await page.getByTestId('tokens').textContent()).toContain(token.slice(0, 10));
    await page.screenshot({ path: join(SCREENSHOTS, 'users.png'), fullPage: true });

    await page.getByRole('button', { name: 'Remove bob' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('bob removed');
    expect(await page.getByTestId('users').locator('tbody tr td:first-child').allTextContents()).toEqual(['ann', 'root']);
    expect((await fetch(`${server.demoApi}/snapshots`, { headers: bob })).status).toBe(401);

    await page.getByRole('button', { name: `Revoke ${token.slice(0, 10)}` }).click();
    await page.getByText(`Token ${token.slice(0, 10)} revoked.`).waitFor();
    expect(await page.getByTestId('tokens').textContent()).toContain('No tokens.');
    expect((await fetch(`${server.demoApi}/snapshots`, { headers: bearer })).status).toBe(401);
    expect(watch.problems).toEqual([]);

    // the page is a server admin's only
    const ann = await browser.newPage();
    await ann.context().clearCookies();
    await ann.goto(`${server.url}/signin`);
    await ann.fill('input[name=name]', 'ann');
    await ann.fill('input[name=password]', 'a long enough password');
    await ann.click('form[action="?/signin"] button');
    await ann.waitForURL((url) => url.pathname !== '/signin');
    expect((await ann.goto(`${server.url}/users`))?.status()).toBe(403);
    expect(await ann.locator('nav >> text=Users').count()).toBe(0);
  });
});
