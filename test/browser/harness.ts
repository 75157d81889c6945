/**
 * Browser-test plumbing: the real server (`pipelens serve` on the built app, which on its
 * first start loads the demo company into its own workspace, `demo`, beside an empty
 * `default` workspace) on a free port, and Debian's Chromium
 * driven by playwright-core, with every console error, page error, failed request and
 * 4xx/5xx response collected so a test can insist there were none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(process.cwd(), 'test/browser/screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pipelens-${prefix}-`));
}

export function requireBuild(): void {
  if (!existsSync(resolve(process.cwd(), 'build/index.js'))) {
    throw new Error('build/index.js is missing: run `npm run build` (or `npm test`, which builds first) before the browser tests');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export const DEMO_SLUG = 'demo';

export interface RunningServer {
  url: string;
  dbPath: string;
  /** the data directory (the folder of dbPath): workspaces.duckdb, and workspaces/<slug>/ for every workspace but the default */
  dataDir: string;
  /** the demo workspace's pages: `${url}/w/demo` */
  demo: string;
  /** the demo workspace's API: `${url}/api/w/demo` */
  demoApi: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  /** load the demo company on the first start (default true; false runs `serve --no-demo`) */
  demo?: boolean;
  timeoutMs?: number;
}

/**
 * A page path in a workspace: `/w/<slug>` + path (`/` and `/?…` become `/w/<slug>`,
 * `/w/<slug>?…`); the default workspace (null or 'default') keeps the plain path.
 */
export function inWorkspace(slug: string | null | undefined, path: string): string {
  if (!slug || slug === 'default') return path;
  if (path === '/' || path.startsWith('/?')) return `/w/${slug}${path.slice(1)}`;
  return `/w/${slug}${path}`;
}

/** The demo workspace's page path for a workspace-free path (`/funnel` → `/w/demo/funnel`). */
export const inDemo = (path: string) => inWorkspace(DEMO_SLUG, path);

/** A workspace's files in the data directory (the default's are the --db file and its neighbours). */
export function workspaceDir(server: Pick<RunningServer, 'dataDir'>, slug: string): string {
  return slug === 'default' ? server.dataDir : join(server.dataDir, 'workspaces', slug);
}

/**
 * `npx tsx analytics/cli/main.ts serve --db dbPath` in its own process group, ready when
 * /api/health answers. The folder of dbPath is the data directory (PIPELENS_DATA is set to
 * it, so an outer one is never written): the registry, the default workspace (dbPath, its
 * settings file and mappings folder beside it) and workspaces/<slug>/ for the others, the
 * demo's included, so a test that saves settings or a mapping never writes the checkout's
 * data/. Started again on the same dbPath, it finds the same workspaces.
 */
export async function startServer(dbPath: string, opts: number | ServerOptions = {}): Promise<RunningServer> {
  const { demo = true, timeoutMs = 90_000 } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = dirname(dbPath);
  const args = ['tsx', 'analytics/cli/main.ts', 'serve', '--db', dbPath, '--port', String(port), ...(demo ? [] : ['--no-demo'])];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    PIPELENS_DATA: dataDir,
    PIPELENS_SETTINGS: join(dataDir, 'settings.json'),
    PIPELENS_MAPPINGS: join(dataDir, 'mappings')
  };
  delete env.PIPELENS_DEMO; // the demo is this function's choice, not the caller's shell's
  delete env.PIPELENS_DB;
  const child: ChildProcess = spawn('npx', args, {
    cwd: process.cwd(),
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  let exited = false;
  child.once('exit', () => (exited = true));

  /** Whether any process of the group we started (npx, tsx, the server) is still running (zombies do not count). */
  const groupAlive = (pgid: number) => {
    if (!existsSync('/proc/self/stat')) {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    }
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
      } catch {
        // gone meanwhile
      }
    }
    return false;
  };
  /**
   * SIGTERM to the group, SIGKILL after 5 s; resolves once every process of the group is
   * gone (npx may exit before the server under it, which still holds the database files'
   * locks: a restart on the same data directory would then fail to open them).
   */
  const stop = async () => {
    const pgid = child.pid;
    if (pgid === undefined || !groupAlive(pgid)) return;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      return;
    }
    const killAt = Date.now() + 5000;
    while (groupAlive(pgid)) {
      if (Date.now() > killAt) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited before answering:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { url, dbPath, dataDir, demo: `${url}/w/${DEMO_SLUG}`, demoApi: `${url}/api/w/${DEMO_SLUG}`, output: () => log, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`the server did not answer /api/health within ${timeoutMs / 1000} s:\n${log}`);
}

export async function launchBrowser(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: VIEWPORT,
    locale: 'en-US',
    colorScheme: 'light'
  });
}

export interface PageWatch {
  problems: string[];
  /** Lets through one expected failing response (method and path prefix, status). */
  expect: (method: string, path: string, status: number) => void;
}

/** Records console errors, page errors, failed requests and 4xx/5xx answers of a page. */
export function watchPage(page: Page): PageWatch {
  const problems: string[] = [];
  const expected: { method: string; path: string; status: number }[] = [];
  const isExpected = (method: string, url: string, status: number) => {
    const path = new URL(url).pathname;
    return expected.some((e) => e.method === method && path.startsWith(e.path) && e.status === status);
  };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every failed response as a console error; the expected ones are fine.
    const m = /status of (\d{3})/.exec(msg.text());
    const at = msg.location().url;
    if (m && at && expected.some((e) => new URL(at).pathname.startsWith(e.path) && e.status === Number(m[1]))) return;
    problems.push(`console error: ${msg.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A navigation cancels SvelteKit's in-flight data preloads (hovered links): not a failure.
    if (req.failure()?.errorText === 'net::ERR_ABORTED' && new URL(req.url()).pathname.endsWith('/__data.json')) return;
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status >= 400 && !isExpected(res.request().method(), res.url(), status)) problems.push(`HTTP ${status}: ${res.request().method()} ${res.url()}`);
  });
  return { problems, expect: (method, path, status) => expected.push({ method, path, status }) };
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface BrowserSession {
  server: RunningServer;
  page: Page;
  watch: PageWatch;
  /** Full-page screenshot from the top (sticky bars would otherwise sit where the page was scrolled). */
  screenshot: (name: string) => Promise<void>;
}

/**
 * For a test file: the built server on a fresh data directory (the demo company in
 * workspace `demo`, the default workspace empty) and one watched
 * Chromium page, started before the tests and removed after. Fields fill in at beforeAll.
 */
export function useBrowserSession(): BrowserSession {
  const session = {} as BrowserSession;
  let serverDir: string | undefined;
  let browserDir: string | undefined;
  let browser: BrowserContext | undefined;
  beforeAll(async () => {
    requireBuild();
    mkdirSync(SCREENSHOTS, { recursive: true });
    serverDir = tempDir('server');
    browserDir = tempDir('chromium');
    session.server = await startServer(join(serverDir, 'pipelens.duckdb'));
    browser = await launchBrowser(browserDir);
    session.page = await browser.newPage();
    session.watch = watchPage(session.page);
    session.screenshot = async (name) => {
      await session.page.evaluate(() => window.scrollTo(0, 0));
      await session.page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
    };
  });
  afterAll(async () => {
    await browser?.close();
    await session.server?.stop();
    removeDir(browserDir);
    removeDir(serverDir);
  });
  return session;
}

/**
 * Steps on the report pages of a session's workspace (the demo's unless another slug is
 * given; 'default' for the plain paths): open a page, pick a filter, follow a drill-down
 * to that workspace's /deals.
 */
export function reportPage(session: BrowserSession, workspace: string = DEMO_SLUG) {
  /** this workspace's page path for a workspace-free one (`/funnel` → `/w/demo/funnel`) */
  const path = (p: string) => inWorkspace(workspace, p);

  /** Waits until the page is hydrated (every server chart replaced by the live one). */
  async function hydrated() {
    await session.page.waitForFunction(() => !document.querySelector('.plot-server') && document.documentElement.dataset.hydrated !== 'no');
  }

  /** Opens a workspace-free path in this workspace: `/funnel` is `/w/demo/funnel`, `/` is `/w/demo`. */
  async function open(p: string) {
    await session.page.mouse.move(0, 0);
    await session.page.goto(`${session.server.url}${path(p)}`, { waitUntil: 'networkidle' });
    await hydrated();
  }

  /** Picks an option of a filter select (by default the second; the first is "All …"); the form submits itself. */
  async function chooseFilter(id: string, param: string, option?: string): Promise<string> {
    const page = session.page;
    const choice = option ? page.locator(`#${id} option`, { hasText: option }) : page.locator(`#${id} option`).nth(1);
    const value = await choice.getAttribute('value');
    expect(value).toBeTruthy();
    await page.selectOption(`#${id}`, value!);
    await page.waitForURL((url) => url.searchParams.get(param) === value);
    await page.waitForLoadState('networkidle');
    await hydrated();
    return value!;
  }

  /** Follows a drill-down link and checks the deals list shows rows with the filter kept. */
  async function drillDown(link: Locator, keeps: Record<string, string>) {
    const page = session.page;
    await link.click();
    await page.waitForURL((url) => url.pathname === path('/deals'));
    await page.waitForLoadState('networkidle');
    const url = new URL(page.url());
    for (const [k, v] of Object.entries(keeps)) expect(url.searchParams.get(k), k).toBe(v);
    await expect(page.getByTestId('deal-row').count()).resolves.toBeGreaterThan(0);
    return url;
  }

  return { open, hydrated, chooseFilter, drillDown, path };
}
