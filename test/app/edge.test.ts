/**
 * The HTTP edge's checks, as pure functions: where a sign-in may send people next, which
 * Host names the server answers to, which writes are cross-site (behind a proxy too), and
 * which form bodies are refused before they are read.
 */
import { describe, expect, it } from 'vitest';
import { crossSiteWrite, hostAllowed, oversizedForm, safeNext, SMALL_BODY } from '../../app/lib/server/edge';

describe('the address after sign-in', () => {
  it('keeps paths of this site, with their query', () => {
    for (const next of ['/', '/w/demo/funnel?period=FY2026Q3', '/deals?owner=Emma%20Lindqvist&stage=Closed%2FWon', '/w/acme#top']) expect(safeNext(next)).toBe(next);
  });

  it('sends everything that could leave the site to /', () => {
    const offSite = [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example', // ?next=/%5Cevil.example: browsers read a backslash as a slash
      '\\/evil.example',
      '/\t/evil.example', // ?next=/%09/…: browsers drop tabs and line breaks
      '/\n/evil.example',
      '/ /evil.example',
      '/%2F/evil.example', // '//' once decoded
      '/%5Cevil.example',
      '/%09/evil.example',
      '/%E0%A4%A', // not decodable
      'evil.example',
      'javascript:alert(1)'
    ];
    for (const next of offSite) expect([next, safeNext(next)]).toEqual([next, '/']);
  });
});

describe('the Host header', () => {
  it('answers to loopback names on any port, without configuration', () => {
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:41234', '[::1]:3000', 'LOCALHOST:3000']) expect([host, hostAllowed(host, {})]).toEqual([host, true]);
  });

  it('refuses any other name (a DNS-rebinding page reaches a local server under its own), a missing or a malformed Host', () => {
    for (const host of ['evil.example', 'evil.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', 'evil.example@127.0.0.1', null, '']) {
      expect([host, hostAllowed(host, {})]).toEqual([host, false]);
    }
  });

  it("answers to ORIGIN's host, HOST's and PIPELENS_ALLOWED_HOSTS' (`*`: any)", () => {
    const env = { ORIGIN: 'https://pipelens.example.com', HOST: '10.1.2.3', PIPELENS_ALLOWED_HOSTS: 'pipelens.lan, Other.Example' };
    for (const host of ['pipelens.example.com', 'pipelens.example.com:443', '10.1.2.3:3000', 'pipelens.lan:3000', 'other.example']) expect([host, hostAllowed(host, env)]).toEqual([host, true]);
    expect(hostAllowed('evil.example', env)).toBe(false);
    expect(hostAllowed('evil.example', { PIPELENS_ALLOWED_HOSTS: '*' })).toBe(true);
  });
});

describe('cross-site writes', () => {
  it('compares the Origin header with the host the request was sent to', () => {
    expect(crossSiteWrite('POST', 'http://localhost:3000', 'https://localhost:3000/signin', {})).toBe(false);
    expect(crossSiteWrite('POST', 'https://evil.example', 'https://localhost:3000/signin', {})).toBe(true);
    expect(crossSiteWrite('POST', 'null', 'https://localhost:3000/signin', {})).toBe(true);
    expect(crossSiteWrite('POST', null, 'https://localhost:3000/api/snapshots', {})).toBe(false); // a script
    expect(crossSiteWrite('GET', 'https://evil.example', 'https://localhost:3000/', {})).toBe(false);
  });

  it('behind a proxy that forwards its internal Host, compares the Origin header with ORIGIN', () => {
    const env = { ORIGIN: 'https://pipelens.example.com' };
    // nginx's proxy_pass sends Host: 127.0.0.1:3000; the browser sends the public origin
    expect(crossSiteWrite('POST', 'https://pipelens.example.com', 'http://127.0.0.1:3000/signin', env)).toBe(false);
    expect(crossSiteWrite('POST', 'http://127.0.0.1:3000', 'http://127.0.0.1:3000/signin', env)).toBe(true);
    expect(crossSiteWrite('POST', 'http://pipelens.example.com', 'http://127.0.0.1:3000/signin', env)).toBe(true); // another scheme
    expect(crossSiteWrite('POST', 'https://evil.example', 'https://pipelens.example.com/signin', env)).toBe(true);
  });
});

describe('form bodies', () => {
  const post = (headers: Record<string, string>, body: BodyInit | null = 'name=ann') => new Request('http://localhost/signin?/signin', { method: 'POST', headers, body });

  it(`refuses a form longer than ${SMALL_BODY} bytes by its Content-Length, before reading it, and closes the connection`, async () => {
    const refused = oversizedForm(post({ 'content-length': String(400 * 1024 ** 2) }))!;
    expect(refused.status).toBe(413);
    expect(refused.headers.get('connection')).toBe('close');
    expect(oversizedForm(post({ 'content-length': String(SMALL_BODY + 1) }))?.status).toBe(413);
    expect(oversizedForm(post({ 'content-length': 'lots' }))?.status).toBe(413);
  });

  it('refuses a form of unknown length, lets a small one and a bodiless request through', () => {
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('name=ann')), c.close()) });
    expect(oversizedForm(new Request('http://localhost/signin', { method: 'POST', body: stream, duplex: 'half' } as RequestInit))?.status).toBe(411);
    expect(oversizedForm(post({ 'content-length': '8' }))).toBeNull();
    expect(oversizedForm(post({}, null))).toBeNull();
  });
});
