import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase, resolveDbPath, type Database } from '../db';
import { loadMapping } from '../mappings';
import { BadParameterError, formatProblem, NotFoundError, RejectedFileError, UnknownMetricError, UploadTooLargeError } from '../errors';
import { ingest } from '../ingest/ingest';
import { readInputPaths } from '../ingest/inputs';
import { runMetric } from '../metrics';
import { toCsv } from '../output';
import { openWorkspace } from '../workspace';
import { backup, restore } from '../backup';
import { prune } from '../retention';
import { addUser, audit, authEnabled, createToken, revokeToken } from '../auth';
import { userInfo } from 'node:os';
import { loadDemoIfEmpty } from '../demo';

const USAGE = `usage:
  pipelens ingest [--db FILE] [--as-of ISO] [--format auto|salesforce|hubspot|pipedrive|mapped] [--mapping FILE] PATH…
  pipelens metric NAME [--db FILE] [--snapshot ID|latest] [--from DATE] [--to DATE] [--period FY2024Q3]
                       [--owner X] [--lead-source X] [--type X] [--pipeline X] [--by DIM] [--base ID] [--format json|csv]
                       deals only: [--stage X] [--reached STAGE] [--status open|won|lost|closed] [--forecast-category X] [--date-field close|created]
  pipelens serve [--db FILE] [--port N]
  pipelens user add NAME --role viewer|uploader|admin [--db FILE]   (password read from standard input)
  pipelens token create NAME --role viewer|uploader|admin [--db FILE] (prints the token once)
  pipelens token revoke TOKEN_ID [--db FILE]
  pipelens prune [--db FILE] [--dry-run]  (retention: fewer old snapshots, see the settings' retention)
  pipelens backup [--db FILE] DIR        (Parquet files and a manifest into an empty or new DIR)
  pipelens restore [--db FILE] DIR       (into a database file that does not exist yet)`;

const OPTIONS = {
  db: { type: 'string' },
  'as-of': { type: 'string' },
  format: { type: 'string' },
  mapping: { type: 'string' },
  snapshot: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  period: { type: 'string' },
  owner: { type: 'string' },
  'lead-source': { type: 'string' },
  type: { type: 'string' },
  pipeline: { type: 'string' },
  by: { type: 'string' },
  base: { type: 'string' },
  stage: { type: 'string' },
  reached: { type: 'string' },
  status: { type: 'string' },
  'forecast-category': { type: 'string' },
  'date-field': { type: 'string' },
  port: { type: 'string' },
  role: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  try {
    switch (command) {
      case 'ingest':
        return await ingestCommand(values, rest);
      case 'metric':
        return await metricCommand(values, rest);
      case 'serve':
        return await serveCommand(values);
      case 'user':
        return await userCommand(values, rest);
      case 'token':
        return await tokenCommand(values, rest);
      case 'prune':
        return await pruneCommand(values);
      case 'backup':
        return await backupCommand(values, rest);
      case 'restore':
        return await restoreCommand(values, rest);
      default:
        console.error(`unknown command: ${command}\n${USAGE}`);
        return 1;
    }
  } catch (err) {
    return reportError(err);
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

async function ingestCommand(values: Values, paths: string[]): Promise<number> {
  if (!paths.length) throw new BadParameterError('PATH', 'give at least one file, folder or ZIP');
  const mapping = values.mapping ? loadMapping(values.mapping) : undefined;
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw new BadParameterError('PATH', `not found: ${missing.join(', ')}`);
  const { db, settings } = await openWorkspace(resolveDbPath(values.db));
  try {
    const result = await ingest(db, readInputPaths(paths), { asOf: values['as-of'], format: values.format ?? (mapping ? 'mapped' : undefined), mapping, settings });
    console.log(JSON.stringify({ ...result.snapshot, duplicate: !result.created }, null, 2));
    return 0;
  } finally {
    db.close();
  }
}

async function metricCommand(values: Values, [name]: string[]): Promise<number> {
  if (!name) throw new BadParameterError('NAME', 'give a metric name');
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new BadParameterError('format', 'json or csv');
  const params: Record<string, string | undefined> = {
    snapshot: values.snapshot,
    from: values.from,
    to: values.to,
    period: values.period,
    owner: values.owner,
    lead_source: values['lead-source'],
    type: values.type,
    pipeline: values.pipeline,
    by: values.by,
    base: values.base,
    stage: values.stage,
    reached: values.reached,
    status: values.status,
    forecast_category: values['forecast-category'],
    date_field: values['date-field']
  };
  const { db, settings } = await openWorkspace(resolveDbPath(values.db));
  try {
    const result = await runMetric(db, settings, name, params);
    process.stdout.write(format === 'csv' ? toCsv(result.rows) : JSON.stringify(result.rows, null, 2) + '\n');
    return 0;
  } finally {
    db.close();
  }
}

async function userCommand(values: Values, [verb, name]: string[]): Promise<number> {
  if (verb !== 'add' || !name || !values.role) throw new BadParameterError('user', 'pipelens user add NAME --role viewer|uploader|admin');
  const password = (await readStdin()).replace(/\r?\n$/, '');
  const db = await openDatabase(resolveDbPath(values.db));
  try {
    await addUser(db, name, values.role, password);
    await audit(db, cliActor(), 'add user', null, `${name} (${values.role})`);
    console.log(`user ${name} (${values.role}) saved`);
    return 0;
  } finally {
    db.close();
  }
}

async function tokenCommand(values: Values, [verb, arg]: string[]): Promise<number> {
  const db = await openDatabase(resolveDbPath(values.db));
  try {
    if (verb === 'create' && arg && values.role) {
      const token = await createToken(db, arg, values.role);
      await audit(db, cliActor(), 'create token', null, `${arg} (${values.role}), id ${token.slice(0, 10)}`);
      console.log(token);
      return 0;
    }
    if (verb === 'revoke' && arg) {
      if (!(await revokeToken(db, arg))) throw new BadParameterError('TOKEN_ID', `no token ${arg}`);
      await audit(db, cliActor(), 'revoke token', null, arg);
      console.log(`token ${arg} revoked`);
      return 0;
    }
    throw new BadParameterError('token', 'pipelens token create NAME --role ROLE, or pipelens token revoke TOKEN_ID');
  } finally {
    db.close();
  }
}

const cliActor = () => `cli:${userInfo().username}`;

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

async function pruneCommand(values: Values): Promise<number> {
  const { db, settings } = await openWorkspace(resolveDbPath(values.db));
  try {
    const plan = await prune(db, settings, { dryRun: values['dry-run'] });
    if (!values['dry-run'] && plan.remove.length) await audit(db, cliActor(), 'prune', null, `removed ${plan.remove.join(', ')}`);
    console.log(JSON.stringify({ ...plan, dry_run: Boolean(values['dry-run']) }, null, 2));
    return 0;
  } finally {
    db.close();
  }
}

async function backupCommand(values: Values, [dir]: string[]): Promise<number> {
  if (!dir) throw new BadParameterError('DIR', 'give the folder to write the backup to');
  const db = await openDatabase(resolveDbPath(values.db));
  try {
    console.log(JSON.stringify(await backup(db, dir), null, 2));
    return 0;
  } finally {
    db.close();
  }
}

async function restoreCommand(values: Values, [dir]: string[]): Promise<number> {
  if (!dir) throw new BadParameterError('DIR', 'give the folder of the backup');
  console.log(JSON.stringify(await restore(dir, resolveDbPath(values.db)), null, 2));
  return 0;
}

/** Loads the demo company into an empty database, then runs the built server (npm run build first). */
async function serveCommand(values: Values): Promise<number> {
  const dbPath = resolve(resolveDbPath(values.db));
  const server = resolve('build/index.js');
  if (!existsSync(server)) throw new BadParameterError('build', 'no build/ found: run `npm run build` first');
  const db: Database = await openDatabase(dbPath);
  try {
    const loaded = await loadDemoIfEmpty(db);
    if (loaded) console.log(`empty database: loaded ${loaded} demo snapshots`);
  } finally {
    db.close();
  }
  process.env.PIPELENS_DB = dbPath;
  if (values.port) process.env.PORT = values.port;
  process.env.PORT ??= '3000';
  // Uploads are limited by the API (max_upload_bytes, answered with 413), not by adapter-node.
  process.env.BODY_SIZE_LIMIT ??= 'Infinity';
  // open (no sign-in) means this machine only, unless HOST says otherwise
  if (!authEnabled() && !process.env.HOST) {
    process.env.HOST = '127.0.0.1';
    console.log('sign-in is off (PIPELENS_AUTH not set): listening on this machine only');
  }
  console.log(`Pipelens on http://${process.env.HOST ?? 'localhost'}:${process.env.PORT} (database ${dbPath})`);
  await import(pathToFileURL(server).href);
  // The first page a process renders pays for loading and compiling the renderer (~0.5 s):
  // render one now rather than for the first visitor.
  void fetch(`http://${process.env.HOST === '0.0.0.0' || !process.env.HOST ? '127.0.0.1' : process.env.HOST}:${process.env.PORT}/`).catch(() => undefined);
  return -1; // keep running
}

function reportError(err: unknown): number {
  if (err instanceof RejectedFileError) {
    console.log(JSON.stringify({ error: err.message, problems: err.problems }, null, 2));
    for (const p of err.problems) console.error(formatProblem(p));
    return 1;
  }
  if (err instanceof BadParameterError || err instanceof UnknownMetricError || err instanceof NotFoundError || err instanceof UploadTooLargeError) {
    console.error(err.message);
    return 1;
  }
  console.error(err);
  return 1;
}

/** Runs the CLI and sets the exit code; `serve` keeps the process alive. */
export async function runCli(argv: string[]): Promise<void> {
  const code = await main(argv);
  if (code >= 0) process.exitCode = code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await runCli(process.argv.slice(2));
