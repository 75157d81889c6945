/**
 * Browser-test plumbing: the real server (`pipelens serve` on the built app, which
 * loads the demo company into an empty database) on a free port, and Debian's Chromium
 * driven by playwright-core, with every console error, page error, failed request and
 * 4xx/5xx response collected so a test can insist there were none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

export interface RunningServer {
  url: string;
  dbPath: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `npx tsx analytics/cli/main.ts serve` in its own process group, ready when /api/health
 * answers. Its settings file and mappings folder sit beside the database, so a test that
 * saves settings or a mapping never writes the checkout's data/settings.json or data/mappings.
 */
export async function startServer(dbPath: string, timeoutMs = 90_000): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('npx', ['tsx', 'analytics/cli/main.ts', 'serve', '--db', dbPath, '--port', String(port)], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      PIPELENS_SETTINGS: join(dirname(dbPath), 'settings.json'),
      PIPELENS_MAPPINGS: join(dirname(dbPath), 'mappings')
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  let exited = false;
  child.once('exit', () => (exited = true));

  const stop = () =>
    new Promise<void>((res) => {
      if (exited || child.pid === undefined) return res();
      child.once('exit', () => res());
      try {
        process.kill(-child.pid, 'SIGTERM'); // the group we started: npx, tsx and the server
      } catch {
        return res();
      }
      setTimeout(() => {
        if (!exited && child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }, 5000).unref();
    });

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited before answering:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { url, dbPath, output: () => log, stop };
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
 * For a test file: the built server on a fresh database (demo loaded) and one watched
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

/** Steps on the report pages of a session: open a page, pick a filter, follow a drill-down to /deals. */
export function reportPage(session: BrowserSession) {
  /** Waits until the page is hydrated (every server chart replaced by the live one). */
  async function hydrated() {
    await session.page.waitForFunction(() => !document.querySelector('.plot-server') && document.documentElement.dataset.hydrated !== 'no');
  }

  async function open(path: string) {
    await session.page.mouse.move(0, 0);
    await session.page.goto(`${session.server.url}${path}`, { waitUntil: 'networkidle' });
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
    await page.waitForURL((url) => url.pathname === '/deals');
    await page.waitForLoadState('networkidle');
    const url = new URL(page.url());
    for (const [k, v] of Object.entries(keeps)) expect(url.searchParams.get(k), k).toBe(v);
    await expect(page.getByTestId('deal-row').count()).resolves.toBeGreaterThan(0);
    return url;
  }

  return { open, hydrated, chooseFilter, drillDown };
}
