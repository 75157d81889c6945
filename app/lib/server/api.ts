import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { allows, audit, auditLog, authEnabled, authenticate, crossSiteWrite, OPEN_ACTOR, type Actor, type Role } from '../../../analytics/auth';
import { bodyLimit } from 'hono/body-limit';
import type { Database } from '../../../analytics/db';
import { BadParameterError, NotFoundError, RejectedFileError, UnknownMetricError, UploadTooLargeError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import { parseMapping, type Mapping } from '../../../analytics/ingest/mapping';
import { inspectUpload } from '../../../analytics/ingest/mapping-upload';
import { loadSavedMapping, savedMappings, saveMapping } from '../../../analytics/mappings';
import type { InputFile } from '../../../analytics/ingest/inputs';
import { runMetric } from '../../../analytics/metrics';
import { toArrow, toCsv } from '../../../analytics/output';
import { SCHEMA_VERSION } from '../../../analytics/schema';
import type { Settings } from '../../../analytics/settings';
import { prune } from '../../../analytics/retention';
import { deleteSnapshot, getSnapshot, listSnapshots } from '../../../analytics/snapshots';

export interface ApiDeps {
  database: () => Promise<Database>;
  settings: () => Settings;
  /** whether sign-in is required (PIPELENS_AUTH); tests switch it */
  authRequired?: () => boolean;
}

type Env = { Variables: { actor: Actor } };

/** The HTTP API under /api (DESIGN.md "Contracts"). */
export function createApi({ database, settings, authRequired = () => authEnabled() }: ApiDeps) {
  const api = new Hono<Env>().basePath('/api');
  const need =
    (role: Role): MiddlewareHandler<Env> =>
    async (c, next) => {
      if (!allows(c.get('actor'), role)) return c.json({ error: `needs the ${role} role` }, 403);
      await next();
    };

  api.use(async (c, next) => {
    if (crossSiteWrite(c.req.method, c.req.header('origin'), new URL(c.req.url).host)) {
      return c.json({ error: 'cross-site request refused' }, 403);
    }
    await next();
  });

  api.use(async (c, next) => {
    if (c.req.path === '/api/health') return next();
    const actor = authRequired()
      ? await authenticate(await database(), { authorization: c.req.header('authorization'), cookie: c.req.header('cookie') })
      : OPEN_ACTOR;
    if (!actor) return c.json({ error: 'sign in, or send Authorization: Bearer <token>' }, 401);
    c.set('actor', actor);
    await next();
  });

  api.get('/health', async (c) => {
    const db = await database();
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM snapshots');
    return c.json({ status: 'ok', schema_version: SCHEMA_VERSION, snapshots: n });
  });

  api.get('/snapshots', need('viewer'), async (c) => c.json(await listSnapshots(await database())));

  api.get('/snapshots/:id', need('viewer'), async (c) => {
    const snapshot = await getSnapshot(await database(), snapshotId(c.req.param('id')));
    if (!snapshot) throw new NotFoundError(`snapshot ${c.req.param('id')}`);
    return c.json(snapshot);
  });

  api.delete('/snapshots/:id', need('admin'), async (c) => {
    const id = snapshotId(c.req.param('id'));
    const db = await database();
    await deleteSnapshot(db, id);
    await audit(db, c.get('actor'), 'delete snapshot', id);
    return c.body(null, 204);
  });

  api.post('/prune', need('admin'), async (c) => {
    const db = await database();
    const dryRun = ['1', 'true'].includes(c.req.query('dry_run') ?? '');
    const plan = await prune(db, settings(), { dryRun });
    if (!dryRun && plan.remove.length) await audit(db, c.get('actor'), 'prune', null, `removed ${plan.remove.join(', ')}`);
    return c.json({ ...plan, dry_run: dryRun });
  });

  api.get('/audit', need('admin'), async (c) => c.json(await auditLog(await database())));

  const uploadLimit: MiddlewareHandler<Env> = (c, next) =>
    bodyLimit({
      maxSize: settings().max_upload_bytes,
      onError: () => {
        throw new UploadTooLargeError(settings().max_upload_bytes);
      }
    })(c, next);

  api.post('/snapshots', need('uploader'), uploadLimit, async (c) => {
    const { files, fields } = await readUpload(c);
    const db = await database();
    const mapping = mappingParam(c.req.query('mapping') ?? fields.mapping);
    const result = await ingest(db, files, {
      asOf: c.req.query('as_of') ?? fields.as_of,
      format: c.req.query('format') ?? fields.format ?? (mapping ? 'mapped' : undefined),
      mapping,
      settings: settings()
    });
    const names = files.map((f) => f.name).join(', ');
    await audit(db, c.get('actor'), result.created ? 'upload' : 'upload (already loaded)', result.snapshot.snapshot_id, names);
    return c.json({ ...result.snapshot, duplicate: !result.created }, result.created ? 201 : 200);
  });

  api.get('/mappings', need('viewer'), (c) => c.json(savedMappings()));

  api.put('/mappings/:name', need('uploader'), bodyLimit({ maxSize: 1024 ** 2, onError: (c) => c.json({ error: 'a mapping is at most 1 MiB' }, 413) }), async (c) => {
    const saved = saveMapping(c.req.param('name'), await c.req.json().catch(() => {
      throw new BadParameterError('body', 'a mapping as JSON');
    }));
    await audit(await database(), c.get('actor'), 'save mapping', null, saved.name);
    return c.json(saved);
  });

  // the upload page's mapping step: headers, a proposed mapping and the first rows as read
  api.post('/mappings/inspect', need('uploader'), uploadLimit, async (c) => {
    const { files, fields } = await readUpload(c);
    return c.json(await inspectUpload(await database(), files, mappingParam(c.req.query('mapping') ?? fields.mapping) ?? null));
  });

  api.get('/metrics/:name', need('viewer'), async (c) => {
    const { format = 'json', ...params } = c.req.query();
    if (!['json', 'csv', 'arrow'].includes(format)) throw new BadParameterError('format', 'json, csv or arrow');
    const result = await runMetric(await database(), settings(), c.req.param('name'), params);
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

  api.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  api.onError((err, c) => {
    if (err instanceof RejectedFileError) return c.json({ error: err.message, problems: err.problems }, err.status);
    if (err instanceof UploadTooLargeError) return c.json({ error: err.message }, 413);
    if (err instanceof BadParameterError) return c.json({ error: err.message, parameter: err.parameter }, 400);
    if (err instanceof UnknownMetricError || err instanceof NotFoundError) return c.json({ error: err.message }, 404);
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return api;
}

function snapshotId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new NotFoundError(`snapshot ${raw}`);
  return id;
}

/** Multipart form (any number of file fields) or a raw ZIP/CSV body. */
/** A saved mapping's name, or a mapping as JSON text; never a path. */
function mappingParam(value: string | undefined): Mapping | undefined {
  if (!value?.trim()) return undefined;
  return value.trim().startsWith('{') ? parseMapping(value, 'mapping') : loadSavedMapping(value.trim());
}

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
