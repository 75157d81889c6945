/**
 * The engine's front door holds: routes reach the engine only through $lib/server, the
 * engine imports nothing of the app or its frameworks and speaks no HTTP, client code
 * (charts, components, lib helpers) takes nothing but types from the engine's front
 * door, and no SQL lives outside analytics/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

function files(dir: string, ext = /\.(ts|svelte|js)$/): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}

interface Import {
  file: string;
  spec: string;
  typeOnly: boolean;
}

/** Every import and re-export of a file, with whether it takes types only. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(/\b(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    found.push({ file, spec: m[4], typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ file, spec: m[1], typeOnly: /import\(['"][^'"]+['"]\)\.\w|import\(['"][^'"]+['"]\)\[/.test(m[0]) });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ file, spec: m[1], typeOnly: false });
  return found;
}

const resolved = (i: Import) => (i.spec.startsWith('.') ? relative(ROOT, resolve(dirname(i.file), i.spec)) : i.spec);
const show = (list: Import[]) => list.map((i) => `${relative(ROOT, i.file)} → ${i.spec}`);

describe('the front door', () => {
  it('keeps routes and hooks on $lib/server: no import of analytics/ or of a $lib/server module by path', () => {
    const imports = [...files(join(ROOT, 'app/routes')), join(ROOT, 'app/hooks.server.ts'), join(ROOT, 'app/hooks.ts')].flatMap((f) => importsOf(f));
    const leaks = imports.filter((i) => resolved(i).startsWith('analytics') || /(^|\/)analytics(\/|$)/.test(i.spec) || /^\$lib\/server\/./.test(i.spec));
    expect(show(leaks)).toEqual([]);
    expect(imports.filter((i) => i.spec === '$lib/server').length).toBeGreaterThan(10);
  });

  it('keeps the engine free of the app, Svelte, SvelteKit and Hono', () => {
    const imports = files(join(ROOT, 'analytics')).flatMap((f) => importsOf(f));
    const leaks = imports.filter((i) => resolved(i).startsWith('app') || /^(svelte|@sveltejs\/|hono|\$lib|\$app)/.test(i.spec));
    expect(show(leaks)).toEqual([]);
  });

  it('keeps HTTP out of the engine: no headers, cookies or status codes', () => {
    const offenders = files(join(ROOT, 'analytics')).filter((f) => /\bcookie|\bauthorization\b|new Headers\(|new Response\(|\bstatus:\s*\d{3}|\b(?:401|403|409|413|415|422)\b/i.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('lets client code (charts, components, lib helpers) take only types from the engine, and nothing from the server', () => {
    const client = files(join(ROOT, 'app/lib')).filter((f) => !f.includes(`${join('app', 'lib', 'server')}`));
    const imports = client.flatMap((f) => importsOf(f));
    const server = imports.filter((i) => i.spec.startsWith('$lib/server') || resolved(i).startsWith(join('app', 'lib', 'server')));
    const engine = imports.filter((i) => resolved(i).startsWith('analytics') && (!i.typeOnly || resolved(i) !== 'analytics'));
    expect(show([...server, ...engine])).toEqual([]);
  });

  it('keeps SQL inside analytics/', () => {
    const offenders = files(join(ROOT, 'app')).filter((f) => /\bSELECT\b[\s\S]{0,400}?\bFROM\b/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('catches the leaks it is there for', () => {
    const leak = importsOf('app/routes/x/+page.server.ts', `import { runMetric } from '../../../analytics/metrics';\nimport type { Row } from '$lib/server/page-data';`);
    expect(leak.map(resolved)).toEqual(['analytics/metrics', '$lib/server/page-data']);
    expect(importsOf('a.ts', `import type { A } from '../../analytics';`)[0].typeOnly).toBe(true);
  });
});
