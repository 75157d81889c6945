import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  actorIn,
  allows,
  BadParameterError,
  ConflictError,
  DEFAULT_WORKSPACE,
  ForbiddenError,
  MixedDataError,
  NotFoundError,
  OPEN_PRINCIPAL,
  parseSnapshotId,
  RejectedFileError,
  qualityToCsv,
  ROLES,
  toArrow,
  toCsv,
  UploadTooLargeError,
  type Actor,
  type InputFile,
  type Principal,
  type Role,
  type Workspace,
  type Workspaces
} from '../../../analytics';
import { credentialsOf, crossSiteWrite, SMALL_BODY, statusOf } from './edge';
import { signInRequired } from './registry';

export interface ApiDeps {
  workspaces: () => Promise<Workspaces>;
  /** whether sign-in is required (PIPELENS_AUTH); tests switch it */
  authRequired?: () => boolean;
}

/** `signal`: when to give up on an upload's work (the route's untilStopped); without it, the request's own. */
type Env = { Bindings: { signal?: AbortSignal } | undefined; Variables: { principal: Principal; ws: Workspace; actor: Actor } };

/**
 * The HTTP API under /api (DESIGN.md "Contracts"). Every workspace's endpoints answer at
 * /api/w/<slug>/…, and at /api/… for the default workspace, so scripts written before
 * workspaces keep working. A workspace the caller has no role in answers 404, as one that
 * does not exist does, so names do not leak.
 */
export function createApi({ workspaces, authRequired = signInRequired }: ApiDeps) {
  const api = new Hono<Env>().basePath('/api');
  const need =
    (role: Role): MiddlewareHandler<Env> =>
    async (c, next) => {
      if (!allows(c.get('actor'), role)) throw new ForbiddenError(role);
      await next();
    };
  const serverAdmin: MiddlewareHandler<Env> = async (c, next) => {
    if (!c.get('principal').serverAdmin) throw new ForbiddenError('server admin');
    await next();
  };

  api.use(async (c, next) => {
    if (crossSiteWrite(c.req.method, c.req.header('origin'), c.req.url)) {
      return c.json({ error: 'cross-site request refused' }, 403);
    }
    await next();
  });

  api.use(async (c, next) => {
    if (c.req.path === '/api/health') return next();
    const principal = authRequired() ? await (await workspaces()).auth.authenticate(credentialsOf(c.req.raw.headers)) : OPEN_PRINCIPAL;
    if (!principal) return c.json({ error: 'sign in, or send Authorization: Bearer <token>' }, 401);
    c.set('principal', principal);
    await next();
  });

  // small JSON bodies everywhere but uploads
  api.use(async (c, next) => {
    if (c.req.method === 'GET' || isUpload(c.req.path)) return next();
    return bodyLimit({ maxSize: SMALL_BODY, onError: (c) => c.json({ error: `a request body here is at most ${SMALL_BODY} bytes` }, 413) })(c, next);
  });

  api.get('/health', async (c) => {
    const registry = await workspaces();
    const health = await (await registry.open(DEFAULT_WORKSPACE)).health();
    return c.json({ status: 'ok', ...health, workspaces: (await registry.list()).length });
  });

  api.get('/workspaces', async (c) => {
    const principal = c.get('principal');
    const list = await (await workspaces()).visibleTo(principal);
    return c.json(list.map((w) => ({ ...w, role: actorIn(principal, w.slug)!.role })));
  });

  api.post('/workspaces', serverAdmin, async (c) => {
    const body = await jsonBody(c);
    const created = await (await workspaces()).create(body.name as string, {}, c.get('principal').name);
    return c.json(created, 201);
  });

  api.get('/workspaces/:slug', async (c) => c.json(await visible(c, c.req.param('slug'))));

  api.patch('/workspaces/:slug', async (c) => {
    const slug = c.req.param('slug');
    await visible(c, slug, 'admin');
    const body = await jsonBody(c);
    return c.json(await (await workspaces()).rename(slug, body.name as string, c.get('principal').name));
  });

  api.delete('/workspaces/:slug', async (c) => {
    const slug = c.req.param('slug');
    await visible(c, slug);
    if (!c.get('principal').serverAdmin) throw new ForbiddenError('server admin');
    await (await workspaces()).delete(slug, c.get('principal').name);
    return c.body(null, 204);
  });

  // people and tokens, while the server holds the registry (the CLI cannot open it then)
  api.get('/users', serverAdmin, async (c) => c.json(await (await workspaces()).auth.users()));

  api.put('/users/:name', serverAdmin, async (c) => {
    const registry = await workspaces();
    const name = c.req.param('name');
    const body = await jsonBody(c);
    const password = optional(body, 'password', 'string');
    const serverAdmin = optional(body, 'server_admin', 'boolean');
    const roles = optional(body, 'roles', 'object') ?? {};
    for (const [slug, role] of Object.entries(roles)) {
      await registry.info(slug);
      if (role !== 'none' && !ROLES.includes(role as Role)) throw new BadParameterError(`roles.${slug}`, `one of ${ROLES.join(', ')}, none`);
    }
    const existed = (await registry.auth.users()).some((u) => u.name === name);
    if (existed) await registry.auth.updateUser(name, { password, serverAdmin });
    else if (password === undefined) throw new BadParameterError('password', 'a new user needs one');
    else await registry.auth.addUser(name, password, { serverAdmin });
    for (const [slug, role] of Object.entries(roles)) await registry.auth.grant(name, slug, role === 'none' ? null : (role as Role));
    const changed = [password !== undefined && 'password', serverAdmin !== undefined && `server admin: ${serverAdmin}`, ...Object.entries(roles).map(([w, r]) => `${w}: ${r}`)];
    await registry.audit(c.get('principal').name, existed ? 'change user' : 'add user', null, [name, ...changed.filter(Boolean)].join(', '));
    return c.json((await registry.auth.users()).find((u) => u.name === name), existed ? 200 : 201);
  });

  api.delete('/users/:name', serverAdmin, async (c) => {
    const registry = await workspaces();
    const name = c.req.param('name');
    if (name === c.get('principal').name) throw new ConflictError('you cannot remove yourself: another server admin can');
    if (!(await registry.auth.removeUser(name))) throw new NotFoundError(`user ${name}`);
    await registry.audit(c.get('principal').name, 'remove user', null, name);
    return c.body(null, 204);
  });

  api.get('/tokens', serverAdmin, async (c) => c.json(await (await workspaces()).auth.tokens()));

  api.post('/tokens', serverAdmin, async (c) => {
    const registry = await workspaces();
    const body = await jsonBody(c);
    const name = optional(body, 'name', 'string') ?? '';
    const role = optional(body, 'role', 'string') ?? '';
    const workspace = optional(body, 'workspace', 'string') ?? DEFAULT_WORKSPACE;
    const token = await registry.auth.createToken(name, workspace, role);
    const info = (await registry.auth.tokens()).find((t) => t.token_id === token.slice(0, 10))!;
    await registry.audit(c.get('principal').name, 'create token', workspace, `${name} (${role}), id ${info.token_id}`);
    return c.json({ ...info, token }, 201);
  });

  api.delete('/tokens/:id', serverAdmin, async (c) => {
    const registry = await workspaces();
    const id = c.req.param('id');
    if (!(await registry.auth.revokeToken(id))) throw new NotFoundError(`token ${id}`);
    await registry.audit(c.get('principal').name, 'revoke token', null, id);
    return c.body(null, 204);
  });

  const ws = workspaceRoutes();
  api.route('/w/:slug', ws);
  api.route('/', ws);

  api.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  api.onError((err, c) => {
    const status = statusOf(err);
    if (status === null) {
      console.error(err);
      return c.json({ error: 'internal error' }, 500);
    }
    const body: Record<string, unknown> = { error: err.message };
    if (err instanceof RejectedFileError) body.problems = err.problems;
    if (err instanceof BadParameterError) body.parameter = err.parameter;
    if (err instanceof MixedDataError) body.belongs_to = err.belongsTo;
    return c.json(body, status as 400);
  });
  return api;

  /** The workspace's info when the principal has a role in it (at least `role`), else 404 / 403. */
  async function visible(c: Context<Env>, slug: string, role: Role = 'viewer') {
    const actor = actorIn(c.get('principal'), slug);
    if (!actor) throw new NotFoundError(`workspace ${slug}`);
    if (!allows(actor, role)) throw new ForbiddenError(role);
    return (await workspaces()).info(slug);
  }

  function workspaceRoutes() {
    const w = new Hono<Env>();
    w.use(async (c, next) => {
      // an address that is none of a workspace's endpoints is answered "no such endpoint", whoever asks
      if (!WORKSPACE_ENDPOINT.test(c.req.path.replace(/^\/api(\/w\/[^/]+)?/, ''))) return next();
      const slug = c.req.param('slug') ?? DEFAULT_WORKSPACE;
      const actor = actorIn(c.get('principal'), slug);
      if (!actor) throw new NotFoundError(`workspace ${slug}`);
      c.set('actor', actor);
      c.set('ws', await (await workspaces()).open(slug));
      await next();
    });

    w.get('/snapshots', need('viewer'), async (c) => c.json(await c.get('ws').snapshots()));

    w.get('/snapshots/:id', need('viewer'), async (c) => {
      const snapshot = await c.get('ws').snapshot(snapshotId(c.req.param('id')));
      if (!snapshot) throw new NotFoundError(`snapshot ${c.req.param('id')}`);
      return c.json(snapshot);
    });

    w.get('/snapshots/:id/quality', need('viewer'), async (c) => {
      const checks = await c.get('ws').quality(snapshotId(c.req.param('id')));
      const format = c.req.query('format') ?? 'json';
      if (!['json', 'csv'].includes(format)) throw new BadParameterError('format', 'json or csv');
      if (format === 'json') return c.json(checks);
      return c.body(qualityToCsv(checks), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="quality.csv"' });
    });

    w.delete('/snapshots/:id', need('admin'), async (c) => {
      await c.get('ws').deleteSnapshot(snapshotId(c.req.param('id')), c.get('actor'));
      return c.body(null, 204);
    });

    w.post('/prune', need('admin'), async (c) => {
      const dryRun = ['1', 'true'].includes(c.req.query('dry_run') ?? '');
      return c.json({ ...(await c.get('ws').prune({ dryRun }, c.get('actor'))), dry_run: dryRun });
    });

    w.get('/audit', need('admin'), async (c) => c.json(await c.get('ws').auditLog()));

    w.get('/settings', need('viewer'), (c) => c.json(c.get('ws').settings()));

    w.put('/settings', need('admin'), async (c) => {
      const ws = c.get('ws');
      const next = { ...ws.settings(), ...(await jsonBody(c)) };
      await ws.replaceSettings(next, c.get('actor'), 'replaced through the API');
      return c.json(ws.settings());
    });

    const uploadLimit: MiddlewareHandler<Env> = (c, next) => {
      const limit = c.get('ws').settings().max_upload_bytes;
      return bodyLimit({
        maxSize: limit,
        onError: () => {
          throw new UploadTooLargeError(limit);
        }
      })(c, next);
    };

    w.post('/snapshots', need('uploader'), uploadLimit, async (c) => {
      const { files, fields } = await readUpload(c);
      const mapping = mappingParam(c.req.query('mapping') ?? fields.mapping);
      const result = await c.get('ws').ingest(files, {
        asOf: c.req.query('as_of') ?? fields.as_of,
        format: c.req.query('format') ?? fields.format ?? (mapping ? 'mapped' : undefined),
        mapping,
        force: ['1', 'true'].includes(c.req.query('force') ?? fields.force ?? ''),
        signal: c.env?.signal ?? c.req.raw.signal,
        actor: c.get('actor'),
        visible: (slug) => actorIn(c.get('principal'), slug) !== null
      });
      return c.json({ ...result.snapshot, duplicate: !result.created, quality: result.quality }, result.created ? 201 : 200);
    });

    w.get('/mappings', need('viewer'), (c) => c.json(c.get('ws').mappings()));

    w.put('/mappings/:name', need('uploader'), bodyLimit({ maxSize: 1024 ** 2, onError: (c) => c.json({ error: 'a mapping is at most 1 MiB' }, 413) }), async (c) => {
      return c.json(await c.get('ws').saveMapping(c.req.param('name'), await jsonBody(c), c.get('actor')));
    });

    w.delete('/mappings/:name', need('admin'), async (c) => {
      await c.get('ws').deleteMapping(c.req.param('name'), c.get('actor'));
      return c.body(null, 204);
    });

    // the upload page's mapping step: headers, a proposed mapping and the first rows as read
    w.post('/mappings/inspect', need('uploader'), uploadLimit, async (c) => {
      const { files, fields } = await readUpload(c);
      const file = c.req.query('file') ?? fields.file;
      const mapping = mappingParam(c.req.query('mapping') ?? fields.mapping) ?? null;
      return c.json(await c.get('ws').inspectUpload(files, mapping, file || undefined, c.env?.signal ?? c.req.raw.signal));
    });

    w.get('/metrics/:name', need('viewer'), async (c) => {
      const { format = 'json', ...params } = c.req.query();
      if (!['json', 'csv', 'arrow'].includes(format)) throw new BadParameterError('format', 'json, csv or arrow');
      const result = await c.get('ws').metricByName(c.req.param('name'), params);
      if (format === 'csv') {
        return c.body(toCsv(result.rows), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${result.metric}.csv"`
        });
      }
      if (format === 'arrow') {
        return c.body(toArrow(result.rows) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/vnd.apache.arrow.stream' });
      }
      return c.json(result);
    });
    return w;
  }
}

const WORKSPACE_ENDPOINT = /^\/(snapshots|prune|audit|settings|mappings|metrics)(\/|$)/;
const isUpload = (path: string) => /\/(snapshots|mappings\/inspect|mappings\/[^/]+)$/.test(path);

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => null);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadParameterError('body', 'a JSON object');
  return body as Record<string, unknown>;
}

/** A snapshot id in a path: digits within DuckDB's INTEGER; anything else names no snapshot (404, not a crash). */
function snapshotId(raw: string): number {
  const id = parseSnapshotId(raw);
  if (id === null) throw new NotFoundError(`snapshot ${raw}`);
  return id;
}

/** A body field of the given type, or undefined when absent; BadParameterError for another type. */
function optional<T extends 'string' | 'boolean' | 'object'>(
  body: Record<string, unknown>,
  key: string,
  type: T
): (T extends 'string' ? string : T extends 'boolean' ? boolean : Record<string, unknown>) | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== type || value === null || Array.isArray(value)) throw new BadParameterError(key, `a ${type === 'object' ? 'JSON object' : type}`);
  return value as never;
}

/** A saved mapping's name, or a mapping as JSON text; never a path. */
function mappingParam(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/** Multipart form (any number of file fields) or a raw ZIP/CSV body. */
async function readUpload(c: Context): Promise<{ files: InputFile[]; fields: Record<string, string> }> {
  const type = c.req.header('content-type') ?? '';
  const fields: Record<string, string> = {};
  const files: InputFile[] = [];
  if (type.startsWith('multipart/form-data')) {
    const body = await c.req.parseBody({ all: true });
    for (const [key, value] of Object.entries(body)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string') fields[key] = v;
        else files.push({ name: v.name || key, bytes: new Uint8Array(await v.arrayBuffer()) });
      }
    }
  } else {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const name = c.req.query('filename') ?? (type.includes('zip') ? 'upload.zip' : 'upload.csv');
    if (bytes.length) files.push({ name, bytes });
  }
  if (!files.length) throw new RejectedFileError([{ file: '(upload)', line: null, column: null, reason: 'no file in the request' }]);
  return { files, fields };
}
