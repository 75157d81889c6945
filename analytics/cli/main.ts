import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import {
  authEnabled,
  BadParameterError,
  ConflictError,
  dataLocations,
  DEFAULT_WORKSPACE,
  formatProblem,
  openWorkspaces,
  readInputPaths,
  RejectedFileError,
  EngineError,
  qualityToCsv,
  toCsv,
  type Workspaces
} from '../index';

const USAGE = `usage (every command takes [--data DIR] [--db FILE] [--workspace SLUG]; without --workspace, the default workspace):
  pipelens ingest [--as-of ISO] [--format auto|salesforce|hubspot|pipedrive|mapped] [--mapping NAME|FILE] [--force] PATH…
  pipelens metric NAME [--snapshot ID|latest] [--from DATE] [--to DATE] [--period FY2024Q3]
                       [--owner X] [--lead-source X] [--type X] [--pipeline X] [--by DIM] [--base ID] [--format json|csv]
                       deals only: [--stage X] [--reached STAGE] [--furthest STAGE] [--check CHECK_ID] [--status open|won|lost|closed] [--forecast-category X] [--date-field close|created]
  pipelens quality [--snapshot ID|latest] [--format json|csv]   (the snapshot's data-quality checks)
  pipelens serve [--port N] [--no-demo]
  pipelens workspace list | create NAME | rename SLUG NAME | delete SLUG
  pipelens user add NAME [--server-admin] [--role viewer|uploader|admin --workspace SLUG]   (password read from standard input)
  pipelens user grant NAME --role viewer|uploader|admin|none --workspace SLUG
  pipelens user remove NAME   (ends their sessions and takes their roles)
  pipelens token create NAME --role viewer|uploader|admin [--workspace SLUG]  (prints the token once; it acts in that workspace only)
  pipelens token revoke TOKEN_ID
  pipelens prune [--dry-run]  (retention: fewer old snapshots, see the settings' retention)
  pipelens backup DIR         (Parquet files and a manifest into an empty or new DIR)
  pipelens restore DIR        (into a workspace whose database does not exist yet)`;

const OPTIONS = {
  db: { type: 'string' },
  data: { type: 'string' },
  workspace: { type: 'string' },
  'as-of': { type: 'string' },
  format: { type: 'string' },
  mapping: { type: 'string' },
  force: { type: 'boolean' },
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
  furthest: { type: 'string' },
  check: { type: 'string' },
  status: { type: 'string' },
  'forecast-category': { type: 'string' },
  'date-field': { type: 'string' },
  port: { type: 'string' },
  role: { type: 'string' },
  'server-admin': { type: 'boolean' },
  'no-demo': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  try {
    if (command === 'serve') return await serveCommand(values);
    if (command === 'restore') return await restoreCommand(values, rest);
    const run = COMMANDS[command];
    if (!run) {
      console.error(`unknown command: ${command}\n${USAGE}`);
      return 1;
    }
    const registry = await openRegistry(values);
    try {
      await registry.start();
      return await run(registry, values, rest);
    } finally {
      await registry.close();
    }
  } catch (err) {
    return reportError(err);
  }
}

type Command = (registry: Workspaces, values: Values, args: string[]) => Promise<number>;

/**
 * The data directory's registry. DuckDB lets one process open a file: while `pipelens serve`
 * runs on the directory, say what to do instead of DuckDB's lock error.
 */
async function openRegistry(values: Values): Promise<Workspaces> {
  const locations = dataLocations({ data: values.data, db: values.db }, process.env);
  try {
    return await openWorkspaces(locations);
  } catch (err) {
    if (!/Could not set lock on file/.test(String(err))) throw err;
    throw new ConflictError(
      `the data directory ${locations.dataDir} is in use by a running Pipelens server (one process at a time may open it).\n` +
        `While it runs, a server admin manages people and tokens on its Users page (/users) or through its API ` +
        `(GET /api/users, PUT or DELETE /api/users/NAME, POST /api/tokens, DELETE /api/tokens/ID), and uploads with POST /api/snapshots; ` +
        `else stop the server and run this again.`
    );
  }
}

const slugOf = (values: Values) => values.workspace ?? DEFAULT_WORKSPACE;
const cliActor = () => `cli:${userInfo().username}`;
const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

const COMMANDS: Record<string, Command> = {
  async ingest(registry, values, paths) {
    if (!paths.length) throw new BadParameterError('PATH', 'give at least one file, folder or ZIP');
    const missing = paths.filter((p) => !existsSync(p));
    if (missing.length) throw new BadParameterError('PATH', `not found: ${missing.join(', ')}`);
    const ws = await registry.open(slugOf(values));
    const mapping = values.mapping ? ws.mapping(values.mapping) : undefined;
    const result = await ws.ingest(readInputPaths(paths), {
      asOf: values['as-of'],
      format: values.format ?? (mapping ? 'mapped' : undefined),
      mapping,
      force: values.force,
      actor: cliActor()
    });
    print({ ...result.snapshot, duplicate: !result.created, quality: result.quality.filter((c) => c.severity !== 'ok') });
    return 0;
  },

  async quality(registry, values) {
    const ws = await registry.open(slugOf(values));
    const id = await ws.resolveSnapshot(values.snapshot);
    if (id === null) throw new BadParameterError('snapshot', 'no snapshot is loaded yet');
    const checks = await ws.quality(id);
    if ((values.format ?? 'json') === 'csv') process.stdout.write(qualityToCsv(checks));
    else print(checks);
    return 0;
  },

  async metric(registry, values, [name]) {
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
      furthest: values.furthest,
      check: values.check,
      status: values.status,
      forecast_category: values['forecast-category'],
      date_field: values['date-field']
    };
    const result = await (await registry.open(slugOf(values))).metricByName(name, params);
    process.stdout.write(format === 'csv' ? toCsv(result.rows) : JSON.stringify(result.rows, null, 2) + '\n');
    return 0;
  },

  async workspace(registry, _values, [verb, a, b]) {
    if (verb === 'list') print(await registry.list());
    else if (verb === 'create' && a) print(await registry.create(a, {}, cliActor()));
    else if (verb === 'rename' && a && b) print(await registry.rename(a, b, cliActor()));
    else if (verb === 'delete' && a) {
      await registry.delete(a, cliActor());
      console.log(`workspace ${a} deleted`);
    } else throw new BadParameterError('workspace', 'pipelens workspace list | create NAME | rename SLUG NAME | delete SLUG');
    return 0;
  },

  async user(registry, values, [verb, name]) {
    if (verb === 'add' && name) {
      const password = (await readStdin()).replace(/\r?\n$/, '');
      await registry.auth.addUser(name, password, { serverAdmin: values['server-admin'] });
      if (values.role) await registry.auth.grant(name, slugOf(values), values.role as 'viewer');
      await registry.audit(cliActor(), 'add user', values.role ? slugOf(values) : null, `${name}${values['server-admin'] ? ' (server admin)' : ''}${values.role ? ` (${values.role})` : ''}`);
      console.log(`user ${name} saved${values['server-admin'] ? ' (server admin)' : ''}${values.role ? `, ${values.role} in ${slugOf(values)}` : ''}`);
      return 0;
    }
    if (verb === 'grant' && name && values.role) {
      await registry.auth.grant(name, slugOf(values), values.role === 'none' ? null : (values.role as 'viewer'));
      await registry.audit(cliActor(), 'grant role', slugOf(values), `${name}: ${values.role}`);
      console.log(`user ${name}: ${values.role} in ${slugOf(values)}`);
      return 0;
    }
    if (verb === 'remove' && name) {
      if (!(await registry.auth.removeUser(name))) throw new BadParameterError('NAME', `no user ${name}`);
      await registry.audit(cliActor(), 'remove user', null, name);
      console.log(`user ${name} removed; their sessions ended`);
      return 0;
    }
    throw new BadParameterError(
      'user',
      'pipelens user add NAME [--server-admin] [--role ROLE --workspace SLUG], pipelens user grant NAME --role ROLE|none --workspace SLUG, or pipelens user remove NAME'
    );
  },

  async token(registry, values, [verb, arg]) {
    if (verb === 'create' && arg && values.role) {
      const token = await registry.auth.createToken(arg, slugOf(values), values.role);
      await registry.audit(cliActor(), 'create token', slugOf(values), `${arg} (${values.role}), id ${token.slice(0, 10)}`);
      console.log(token);
      return 0;
    }
    if (verb === 'revoke' && arg) {
      if (!(await registry.auth.revokeToken(arg))) throw new BadParameterError('TOKEN_ID', `no token ${arg}`);
      await registry.audit(cliActor(), 'revoke token', null, arg);
      console.log(`token ${arg} revoked`);
      return 0;
    }
    throw new BadParameterError('token', 'pipelens token create NAME --role ROLE [--workspace SLUG], or pipelens token revoke TOKEN_ID');
  },

  async prune(registry, values) {
    const plan = await (await registry.open(slugOf(values))).prune({ dryRun: values['dry-run'] }, cliActor());
    print({ ...plan, dry_run: Boolean(values['dry-run']) });
    return 0;
  },

  async backup(registry, values, [dir]) {
    if (!dir) throw new BadParameterError('DIR', 'give the folder to write the backup to');
    print(await (await registry.open(slugOf(values))).backup(dir));
    return 0;
  }
};

/** Restores a backup into a workspace whose database does not exist yet (registering it when new). */
async function restoreCommand(values: Values, [dir]: string[]): Promise<number> {
  if (!dir) throw new BadParameterError('DIR', 'give the folder of the backup');
  const registry = await openRegistry(values);
  try {
    await registry.start();
    print(await registry.restore(slugOf(values), dir, cliActor()));
    return 0;
  } finally {
    await registry.close();
  }
}

const demoWanted = (values: Values) => !values['no-demo'] && !['off', '0', 'false', 'no'].includes((process.env.PIPELENS_DEMO ?? '').trim().toLowerCase());

/** Loads the demo company into its own workspace (once), then runs the built server (npm run build first). */
async function serveCommand(values: Values): Promise<number> {
  const server = resolve('build/index.js');
  if (!existsSync(server)) throw new BadParameterError('build', 'no build/ found: run `npm run build` first');
  const registry = await openRegistry(values);
  const { locations } = registry;
  try {
    const demo = demoWanted(values);
    if (demo) console.log('loading the demo company into its own workspace (first start only)…');
    const { demoSnapshots } = await registry.start({ demo });
    if (demoSnapshots) console.log(`loaded ${demoSnapshots} demo snapshots into workspace demo`);
  } finally {
    await registry.close();
  }
  // the app finds the same data directory through the environment
  process.env.PIPELENS_DATA = resolve(locations.dataDir);
  process.env.PIPELENS_DB = resolve(locations.defaults.db);
  if (values.port) process.env.PORT = values.port;
  process.env.PORT ??= '3000';
  // Bodies are limited per route, not by adapter-node: uploads by the API (max_upload_bytes),
  // everything else to 64 KB by the API and the page hook; each answered with 413.
  process.env.BODY_SIZE_LIMIT ??= 'Infinity';
  // open (no sign-in) means this machine only, unless HOST says otherwise
  if (!authEnabled(process.env) && !process.env.HOST) {
    process.env.HOST = '127.0.0.1';
    console.log('sign-in is off (PIPELENS_AUTH not set): listening on this machine only');
  }
  console.log(`Pipelens on http://${process.env.HOST ?? 'localhost'}:${process.env.PORT} (data in ${resolve(locations.dataDir)})`);
  await import(pathToFileURL(server).href);
  // The first page a process renders pays for loading and compiling the renderer (~0.5 s):
  // render one now rather than for the first visitor.
  void fetch(`http://${process.env.HOST === '0.0.0.0' || !process.env.HOST ? '127.0.0.1' : process.env.HOST}:${process.env.PORT}/`).catch(() => undefined);
  return -1; // keep running
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

function reportError(err: unknown): number {
  if (err instanceof RejectedFileError) {
    console.log(JSON.stringify({ error: err.message, problems: err.problems }, null, 2));
    for (const p of err.problems) console.error(formatProblem(p));
    return 1;
  }
  if (err instanceof EngineError) {
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
