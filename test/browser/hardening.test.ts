/**
 * The built server's edge, as raw HTTP (node:http, which sends whatever Host and Origin it
 * is given): behind a proxy (ORIGIN set, the proxy's internal Host forwarded), with sign-in
 * on. Host names that are not the server's are refused (DNS rebinding); sign-in works with
 * the public Origin; `next` never leaves the site; a huge form is refused before it is
 * read; a malformed cookie or snapshot id is no crash; failed sign-ins are throttled.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataLocations, openWorkspaces, SIGN_IN_LIMIT } from '../../analytics';
import { removeDir, requireBuild, startServer, tempDir, type RunningServer } from './harness';

const ORIGIN = 'https://pipelens.example.com';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('the server behind a proxy, with sign-in on', () => {
  const dir = tempDir('hardening');
  const db = join(dir, 'pipelens.duckdb');
  let server: RunningServer;
  let internal: string; // the Host a proxy forwards: 127.0.0.1:<port>
  const saved = { auth: process.env.PIPELENS_AUTH, origin: process.env.ORIGIN };

  /** One request as a proxy or a script would send it; `partial` sends that many bytes of a body whose Content-Length says more. */
  function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; partial?: number; timeoutMs?: number } = {}): Promise<Answer> {
    const { method = 'GET', headers = {}, body, partial, timeoutMs = 20_000 } = opts;
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}${path}`, { method, headers: { host: internal, ...headers }, timeout: timeoutMs }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      if (partial) req.write(Buffer.alloc(partial, 'a'));
      else req.end(body);
    });
  }
  const signInForm = (name: string, password: string, next = '/') => new URLSearchParams({ name, password, next }).toString();
  // as a browser posts a form without JavaScript (Kit answers Accept: */* with JSON)
  const formHeaders = (body: string, origin = ORIGIN) => ({
    accept: 'text/html',
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
    origin
  });
  const signIn = (name: string, password: string, next?: string) => {
    const body = signInForm(name, password, next);
    return send('/signin?/signin', { method: 'POST', headers: formHeaders(body), body });
  };

  beforeAll(async () => {
    requireBuild();
    const registry = await openWorkspaces(dataLocations({ data: dir, db }, {}));
    await registry.start();
    await registry.auth.addUser('ann', 'a long enough password', { serverAdmin: true });
    await registry.close();
    process.env.PIPELENS_AUTH = 'on';
    process.env.ORIGIN = ORIGIN;
    server = await startServer(db, { demo: false });
    internal = new URL(server.url).host;
  });
  afterAll(async () => {
    for (const [key, value] of [['PIPELENS_AUTH', saved.auth], ['ORIGIN', saved.origin]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await server?.stop();
    removeDir(dir);
  });

  it("refuses a Host that is neither a loopback name nor ORIGIN's (421), pages and API alike", async () => {
    for (const host of ['evil.example', `evil.example:${new URL(server.url).port}`]) {
      expect((await send('/signin', { headers: { host } })).status).toBe(421);
      expect((await send('/api/health', { headers: { host } })).status).toBe(421);
    }
    for (const host of [internal, `localhost:${new URL(server.url).port}`, 'pipelens.example.com']) {
      expect([host, (await send('/api/health', { headers: { host } })).status]).toEqual([host, 200]);
    }
  });

  it('signs in with the public Origin though the proxy forwards its internal Host, and refuses another Origin', async () => {
    const signed = await signIn('ann', 'a long enough password', '/snapshots');
    expect(signed.status).toBe(303);
    expect(signed.headers.location).toBe('/snapshots');
    expect(String(signed.headers['set-cookie'])).toMatch(/^pipelens_session=[\w-]+;.*HttpOnly; Secure; SameSite=Lax/);
    const body = signInForm('ann', 'a long enough password');
    expect((await send('/signin?/signin', { method: 'POST', headers: formHeaders(body, server.url), body })).status).toBe(403);
    expect((await send('/signin?/signin', { method: 'POST', headers: formHeaders(body, 'https://evil.example'), body })).status).toBe(403);
  });

  it('sends people only to paths of this site after sign-in', async () => {
    for (const next of ['/\\evil.example', '/\t/evil.example', '//evil.example', '/%2F/evil.example', 'https://evil.example']) {
      const signed = await signIn('ann', 'a long enough password', next);
      expect([next, signed.status, signed.headers.location]).toEqual([next, 303, '/']);
    }
    const page = await send(`/signin?next=${encodeURIComponent('/\\evil.example')}`);
    expect(page.body).toContain('name="next" value="/"');
  });

  it('refuses a 400 MB sign-in form with 413 before reading it, and a form of unknown length with 411', async () => {
    const started = performance.now();
    const huge = await send('/signin?/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(400 * 1024 ** 2), origin: ORIGIN },
      partial: 1024 ** 2
    });
    expect(huge.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(10_000);
    const chunked = await send('/signin?/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked', origin: ORIGIN },
      body: 'name=ann&password=x'
    });
    expect(chunked.status).toBe(411);
  });

  it('takes a malformed session cookie for none, and answers a malformed snapshot id without a crash', async () => {
    for (const value of ['%', '%E0%A4%A']) {
      const page = await send('/', { headers: { cookie: `pipelens_session=${value}` } });
      expect([value, page.status, page.headers.location]).toEqual([value, 303, '/signin?next=%2F']);
      expect((await send('/api/snapshots', { headers: { cookie: `pipelens_session=${value}` } })).status).toBe(401);
    }
    const cookie = String((await signIn('ann', 'a long enough password')).headers['set-cookie']).split(';')[0];
    expect((await send('/api/snapshots/1e21', { headers: { cookie } })).status).toBe(404);
    expect((await send('/api/w/default/snapshots/1e21', { headers: { cookie } })).status).toBe(404);
    expect((await send('/funnel?snapshot=1e21', { headers: { cookie } })).status).toBe(404);
  });

  // last: it leaves this client's address refused for a quarter of an hour
  it(`refuses sign-in with 429 and Retry-After after ${SIGN_IN_LIMIT} failures`, async () => {
    for (let i = 0; i < SIGN_IN_LIMIT; i++) expect((await signIn('ann', 'not the password')).status).toBe(400);
    const refused = await signIn('ann', 'a long enough password');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(refused.body).toContain('Too many failed sign-ins');
    expect(refused.headers['set-cookie']).toBeUndefined();
  });
});
