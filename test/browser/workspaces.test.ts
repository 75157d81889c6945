/**
 * Workspaces in a real browser against the built server, at laptop width (1280×800) and
 * phone width (390×844): the fresh start (the plain `/` is the default workspace, empty,
 * inviting an upload and offering the demo), the demo banner on the demo's pages only, the
 * switcher there and back, a new workspace made with the form and filled through its own
 * API without touching the others, and the demo removed in one action, for good (a
 * restart does not bring it back). Screenshots land in test/browser/screenshots/.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers';
import {
  SCREENSHOTS,
  VIEWPORT,
  inWorkspace,
  launchBrowser,
  removeDir,
  requireBuild,
  startServer,
  tempDir,
  watchPage,
  workspaceDir,
  type PageWatch,
  type RunningServer
} from './harness';

const PHONE = { width: 390, height: 844 };
const NEW_NAME = 'Acme Corp';
const NEW_SLUG = 'acme-corp';

describe('workspaces in Chromium', () => {
  const dir = tempDir('workspaces');
  const dbPath = join(dir, 'pipelens.duckdb');
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  beforeAll(async () => {
    requireBuild();
    server = await startServer(dbPath);
    browser = await launchBrowser(join(dir, 'chromium'));
    page = await browser.newPage();
    watch = watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    removeDir(dir);
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, body: await res.text() };
  };

  /** Opens a page and waits until the layout is hydrated (the switcher's "Go" button is then hidden). */
  async function open(path: string) {
    await page.mouse.move(0, 0);
    const res = await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.workspace-form button.visually-hidden', { state: 'attached' });
    return res;
  }

  /** Full-page screenshots of the page as it is, at laptop and at phone width. */
  async function atBothWidths(name: string) {
    for (const [width, size] of [['laptop', VIEWPORT], ['phone', PHONE]] as const) {
      await page.setViewportSize(size);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, `workspaces-${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORT);
  }

  const switcherOptions = () =>
    page
      .locator('[data-testid="workspace-switcher"] option')
      .evaluateAll((els) => els.map((el) => [(el as HTMLOptionElement).value, el.textContent!.trim()]).filter(([slug]) => slug !== '')); // not "Choose a workspace" (on /workspaces)
  const banner = () => page.getByTestId('demo-banner');

  it("starts on the default workspace's empty first page, inviting an upload and offering the demo", async () => {
    const res = await open('/');
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('Overview · Pipelens');
    await expect(page.locator('h1').innerText()).resolves.toBe('Welcome to Default workspace');
    await expect(page.locator('#empty-title').innerText()).resolves.toBe('No snapshot yet: upload your first CRM export');
    const upload = page.locator('section.empty a[href="/snapshots"]');
    await expect(upload.innerText()).resolves.toBe('Upload an export on the Snapshots page');
    await expect(page.getByTestId('explore-demo').getAttribute('href')).resolves.toBe('/w/demo');
    await expect(page.getByTestId('explore-demo').innerText()).resolves.toBe('Or explore the demo company');
    await expect(banner().count()).resolves.toBe(0);
    await expect(page.getByLabel('Workspace', { exact: true }).inputValue()).resolves.toBe('default');
    const options = await switcherOptions();
    expect(options.map(([slug]) => slug)).toEqual(['default', 'demo']);
    expect(options[0][1]).toBe('Default workspace');
    expect(options[1][1]).toMatch(/demo/i);
    await expect(page.getByRole('link', { name: 'All workspaces' }).getAttribute('href')).resolves.toBe('/workspaces');
    expect(JSON.parse((await get('/api/workspaces')).body).map((w: { slug: string; demo: boolean }) => [w.slug, w.demo])).toEqual([
      ['default', false],
      ['demo', true]
    ]);
    await atBothWidths('empty');

    // the invitation opens this (the default) workspace's Snapshots page, empty, with the upload
    await upload.click();
    await page.waitForURL((url) => url.pathname === '/snapshots');
    await page.waitForLoadState('networkidle');
    await expect(page.getByTestId('upload-input').count()).resolves.toBe(1);
    await expect(page.getByTestId('snapshot-row').count()).resolves.toBe(0);
    expect(watch.problems).toEqual([]);
  });

  it("shows the demo banner on the demo's pages, and not on the default workspace's", async () => {
    for (const path of ['/', '/funnel', '/forecast', '/snapshots']) {
      await open(inWorkspace('demo', path));
      await expect(banner().innerText(), path).resolves.toMatch(/^You are looking at a fictional demo company/);
      await expect(banner().getByRole('link', { name: 'Remove the demo' }).getAttribute('href'), path).resolves.toBe('/workspaces');
      await expect(page.getByLabel('Workspace', { exact: true }).inputValue(), path).resolves.toBe('demo');
      // the sidebar's links stay in the demo workspace
      const hrefs = await page.locator('nav[aria-label="Main"] ul a').evaluateAll((els) => els.map((el) => el.getAttribute('href')!));
      expect(hrefs.length, path).toBeGreaterThan(5);
      for (const href of hrefs) expect(href, path).toMatch(/^\/w\/demo(\/|\?|$)/);
    }
    // the overview with the demo's figures
    await open('/w/demo');
    await expect(page.locator('[data-testid="kpi-open-pipeline"] .kpi-value').innerText()).resolves.toMatch(/\d/);
    await atBothWidths('demo-banner');
    await open('/w/demo/funnel');
    await atBothWidths('demo-funnel');

    for (const path of ['/', '/funnel', '/forecast', '/snapshots', '/w/default']) {
      await open(path);
      await expect(banner().count(), path).resolves.toBe(0);
      await expect(page.getByLabel('Workspace', { exact: true }).inputValue(), path).resolves.toBe('default');
    }
    expect(watch.problems).toEqual([]);
  });

  it('fits the switcher in the sidebar and the banner in the page, at laptop and at phone width', async () => {
    const misfits: string[] = [];
    for (const path of ['/', '/w/demo', '/w/demo/forecast', '/workspaces']) {
      for (const size of [VIEWPORT, PHONE]) {
        await page.setViewportSize(size);
        await open(path);
        const where = `${path} at ${size.width}px`;
        await expect(page.getByTestId('workspace-switcher').isVisible(), where).resolves.toBe(true);
        const box = await page.evaluate(() => {
          const rect = (el: Element | null) => el && { left: el.getBoundingClientRect().left, right: el.getBoundingClientRect().right };
          return {
            switcher: rect(document.querySelector('#workspace-switcher'))!,
            sidebar: rect(document.querySelector('nav.sidebar'))!,
            banner: rect(document.querySelector('[data-testid="demo-banner"]')),
            pageWidth: document.documentElement.scrollWidth
          };
        });
        if (box.switcher.left < box.sidebar.left || box.switcher.right > box.sidebar.right) {
          misfits.push(`${where}: the switcher spans ${Math.round(box.switcher.left)}–${Math.round(box.switcher.right)} px, the sidebar ${Math.round(box.sidebar.left)}–${Math.round(box.sidebar.right)} px`);
        }
        if (box.banner && box.banner.right > size.width) misfits.push(`${where}: the demo banner ends at ${Math.round(box.banner.right)} px`);
        if (path.startsWith('/w/demo')) await expect(banner().isVisible(), where).resolves.toBe(true);
        if (box.pageWidth > size.width) misfits.push(`${where}: the page is ${box.pageWidth} px wide`);
      }
    }
    await page.setViewportSize(VIEWPORT);
    expect(misfits).toEqual([]);
    expect(watch.problems).toEqual([]);
  });

  /** The demo's overview with its figures (not an empty first page under the demo's banner). */
  async function expectDemoOverview() {
    await banner().waitFor();
    await expect(page.getByLabel('Workspace', { exact: true }).inputValue()).resolves.toBe('demo');
    await expect(page.locator('main h1').innerText(), "the demo's overview, not an empty first page").resolves.toBe('Overview');
    await expect(page.locator('#empty-title').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="kpi-open-pipeline"] .kpi-value').innerText()).resolves.toMatch(/\d/);
  }

  it("switches from the demo to the default workspace with the switcher", async () => {
    await open('/w/demo');
    await expectDemoOverview();
    await page.getByLabel('Workspace', { exact: true }).selectOption('default');
    await page.waitForURL((url) => url.pathname === '/w/default' || url.pathname === '/');
    await page.waitForLoadState('networkidle');
    await page.locator('#empty-title').waitFor();
    await expect(page.locator('main h1').innerText()).resolves.toBe('Welcome to Default workspace');
    await expect(banner().count()).resolves.toBe(0);
    await expect(page.getByLabel('Workspace', { exact: true }).inputValue()).resolves.toBe('default');
    expect(watch.problems).toEqual([]);
  });

  it("switches from the default workspace's empty first page to the demo with the switcher", async () => {
    await open('/');
    await page.locator('#empty-title').waitFor();
    await page.getByLabel('Workspace', { exact: true }).selectOption('demo');
    await page.waitForURL((url) => url.pathname === '/w/demo');
    await page.waitForLoadState('networkidle');
    await expectDemoOverview();
    expect(watch.problems).toEqual([]);
  });

  it("follows the empty first page's \"Or explore the demo company\" link to the demo's overview", async () => {
    await open('/');
    await page.getByTestId('explore-demo').click();
    await page.waitForURL((url) => url.pathname === '/w/demo');
    await page.waitForLoadState('networkidle');
    await expectDemoOverview();
    expect(watch.problems).toEqual([]);
  });

  it("creates a workspace with the form; an upload through its API shows on its overview only", async () => {
    await open('/workspaces');
    await expect(page.getByTestId('workspace-list').locator('> li').count()).resolves.toBe(2);
    await atBothWidths('list');
    await page.getByTestId('new-workspace').fill(NEW_NAME);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL((url) => url.pathname === `/w/${NEW_SLUG}`);
    await page.waitForLoadState('networkidle');
    await expect(page.locator('h1').innerText()).resolves.toBe(`Welcome to ${NEW_NAME}`);
    await expect(page.locator(`section.empty a[href="/w/${NEW_SLUG}/snapshots"]`).count()).resolves.toBe(1);
    await expect(page.getByTestId('explore-demo').getAttribute('href')).resolves.toBe('/w/demo');
    await expect(banner().count()).resolves.toBe(0);
    await expect(page.getByLabel('Workspace', { exact: true }).inputValue()).resolves.toBe(NEW_SLUG);
    expect((await switcherOptions()).map(([slug]) => slug).sort()).toEqual([NEW_SLUG, 'default', 'demo'].sort());
    await atBothWidths('new-empty');

    // the others' answers before the upload
    const others = ['/api/w/demo/snapshots', '/api/w/demo/metrics/overview', '/api/w/demo/metrics/open-pipeline', '/api/snapshots', '/api/metrics/overview'];
    const before = await Promise.all(others.map(get));
    for (const [i, r] of before.entries()) expect(r.status, others[i]).toBe(200);

    const body = new FormData();
    const fixture = join(FIXTURES, 'pipeline', 'a');
    for (const name of readdirSync(fixture).filter((f) => f.endsWith('.csv'))) body.append('files', new File([readFileSync(join(fixture, name))], name));
    body.append('as_of', '2024-06-30T12:00:00Z');
    const res = await fetch(`${server.url}/api/w/${NEW_SLUG}/snapshots`, { method: 'POST', body });
    expect(res.status).toBe(201);
    const uploaded = (await res.json()) as { snapshot_id: number; as_of: string; counts: { deals: number } };
    expect(uploaded.as_of).toMatch(/^2024-06-30/);
    expect(existsSync(join(workspaceDir(server, NEW_SLUG), 'pipelens.duckdb'))).toBe(true);

    await open(`/w/${NEW_SLUG}`);
    await expect(page.locator('#empty-title').count()).resolves.toBe(0);
    await expect(page.locator('h1 + p').innerText()).resolves.toContain(`Snapshot #${uploaded.snapshot_id}`);
    await expect(page.locator('[data-testid="kpi-open-pipeline"]').innerText()).resolves.toMatch(/\d+ open deals?/);
    await expect(page.locator('#snapshot-select option').count()).resolves.toBe(1);
    const snapshots = JSON.parse((await get(`/api/w/${NEW_SLUG}/snapshots`)).body) as { snapshot_id: number }[];
    expect(snapshots.map((s) => s.snapshot_id)).toEqual([uploaded.snapshot_id]);

    // isolation: the demo's and the default's answers are byte for byte what they were
    const after = await Promise.all(others.map(get));
    for (const [i, r] of after.entries()) expect(r, others[i]).toEqual(before[i]);
    await open('/');
    await page.locator('#empty-title').waitFor();
    expect(watch.problems).toEqual([]);
  });

  it('removes the demo in one action, for good: gone from the list, the switcher, its pages and its API; the others untouched', async () => {
    const others = ['/api/snapshots', '/api/metrics/overview', `/api/w/${NEW_SLUG}/snapshots`, `/api/w/${NEW_SLUG}/metrics/overview`, `/api/w/${NEW_SLUG}/metrics/open-pipeline`];
    const before = await Promise.all(others.map(get));
    const listBefore = JSON.parse((await get('/api/workspaces')).body) as { slug: string }[];
    expect(listBefore.map((w) => w.slug).sort()).toEqual([NEW_SLUG, 'default', 'demo'].sort());

    await open('/workspaces');
    await expect(page.getByTestId('workspace-demo').count()).resolves.toBe(1);
    await expect(page.getByTestId('delete-default').count()).resolves.toBe(0); // the default cannot be deleted
    const dialogs: string[] = [];
    const onDialog = (d: import('playwright-core').Dialog) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.accept();
    };
    page.on('dialog', onDialog);
    try {
      const [deleted] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'DELETE' && new URL(r.url()).pathname === '/api/workspaces/demo'),
        page.getByTestId('delete-demo').click()
      ]);
      expect(deleted.status()).toBe(204);
      await page.getByTestId('workspace-demo').waitFor({ state: 'detached' });
    } finally {
      page.off('dialog', onDialog);
    }
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toMatch(/^confirm: Delete workspace .*demo/i);
    await expect(page.getByRole('status').innerText()).resolves.toMatch(/deleted/);
    await expect(page.getByTestId('workspace-list').locator('> li').count()).resolves.toBe(2);
    expect((await switcherOptions()).map(([slug]) => slug).sort()).toEqual([NEW_SLUG, 'default'].sort());
    await atBothWidths('after-delete');

    // its pages and its API answer 404, its folder is gone
    watch.expect('GET', '/w/demo', 404);
    const gone = await page.goto(`${server.url}/w/demo`, { waitUntil: 'networkidle' });
    expect(gone?.status()).toBe(404);
    expect((await get('/w/demo/funnel')).status).toBe(404);
    expect((await get('/api/w/demo/metrics/overview')).status).toBe(404);
    expect((await get('/api/w/demo/snapshots')).status).toBe(404);
    expect(existsSync(workspaceDir(server, 'demo'))).toBe(false);
    const listAfter = JSON.parse((await get('/api/workspaces')).body) as { slug: string }[];
    expect(listAfter.map((w) => w.slug).sort()).toEqual([NEW_SLUG, 'default'].sort());

    // the other workspaces answer exactly as before
    for (const [i, r] of (await Promise.all(others.map(get))).entries()) expect(r, others[i]).toEqual(before[i]);
    // the empty first page offers no demo any more
    await open('/');
    await page.locator('#empty-title').waitFor();
    await expect(page.getByTestId('explore-demo').count()).resolves.toBe(0);
    expect(watch.problems).toEqual([]);

    // a restart on the same data directory does not bring the demo back
    await server.stop();
    server = await startServer(dbPath);
    expect(JSON.parse((await get('/api/workspaces')).body)).toEqual(listAfter);
    expect((await get('/api/w/demo/snapshots')).status).toBe(404);
    expect(existsSync(workspaceDir(server, 'demo'))).toBe(false);
    for (const [i, r] of (await Promise.all(others.map(get))).entries()) expect(r, others[i]).toEqual(before[i]);
    await open('/');
    expect((await switcherOptions()).map(([slug]) => slug).sort()).toEqual([NEW_SLUG, 'default'].sort());
    await expect(page.getByTestId('explore-demo').count()).resolves.toBe(0);
    expect(watch.problems).toEqual([]);
  });
});
