import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Database } from '../../../analytics/db';
import { BadParameterError, NotFoundError, RejectedFileError, UnknownMetricError, UploadTooLargeError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import type { InputFile } from '../../../analytics/ingest/inputs';
import { runMetric } from '../../../analytics/metrics';
import { toArrow, toCsv } from '../../../analytics/output';
import { SCHEMA_VERSION } from '../../../analytics/schema';
import type { Settings } from '../../../analytics/settings';
import { deleteSnapshot, getSnapshot, listSnapshots } from '../../../analytics/snapshots';

export interface ApiDeps {
  database: () => Promise<Database>;
  settings: () => Settings;
}

/** The HTTP API under /api (DESIGN.md "Contracts"). */
export function createApi({ database, settings }: ApiDeps) {
  const api = new Hono().basePath('/api');

  // Browsers send Origin on cross-site writes; scripts (curl, the CLI) send none.
  api.use(async (c, next) => {
    const origin = c.req.header('origin');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) && origin && new URL(origin).host !== new URL(c.req.url).host) {
      return c.json({ error: 'cross-site request refused' }, 403);
    }
    await next();
  });

  api.get('/health', async (c) => {
    const db = await database();
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM snapshots');
    return c.json({ status: 'ok', schema_version: SCHEMA_VERSION, snapshots: n });
  });

  api.get('/snapshots', async (c) => c.json(await listSnapshots(await database())));

  api.get('/snapshots/:id', async (c) => {
    const snapshot = await getSnapshot(await database(), snapshotId(c.req.param('id')));
    if (!snapshot) throw new NotFoundError(`snapshot ${c.req.param('id')}`);
    return c.json(snapshot);
  });

  api.delete('/snapshots/:id', async (c) => {
    await deleteSnapshot(await database(), snapshotId(c.req.param('id')));
    return c.body(null, 204);
  });

  api.post(
    '/snapshots',
    (c, next) =>
      bodyLimit({
        maxSize: settings().max_upload_bytes,
        onError: () => {
          throw new UploadTooLargeError(settings().max_upload_bytes);
        }
      })(c, next),
    async (c) => {
      const { files, fields } = await readUpload(c);
      const result = await ingest(await database(), files, {
        asOf: c.req.query('as_of') ?? fields.as_of,
        format: c.req.query('format') ?? fields.format,
        settings: settings()
      });
      return c.json({ ...result.snapshot, duplicate: !result.created }, result.created ? 201 : 200);
    }
  );

  api.get('/metrics/:name', async (c) => {
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
