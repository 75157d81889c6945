// Deterministic demo data: several weekly Salesforce Data Exports (Setup → Data Export)
// of one fictional B2B company, so the dashboard has a first screen and trends have history.
//
//   npx tsx data/generate-demo.ts OUTDIR [--deals N] [--weeks N] [--seed N] [--last-export YYYY-MM-DD]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportFiles } from './demo-gen/export-view';
import { DAY, formatDate, formatIso } from './demo-gen/time';
import { buildWorld } from './demo-gen/world';

export interface DemoOptions {
  seed?: number;
  deals?: number;
  weeks?: number;
  /** 'YYYY-MM-DD'; the export runs at 06:00 UTC that day. */
  lastExport?: string;
}

export interface DemoExport {
  /** ISO timestamp of the export, e.g. '2026-11-16T06:00:00Z'. */
  asOf: string;
  /** File name → CSV text. */
  files: Record<string, string>;
}

const DEFAULTS = { seed: 42, deals: 2000, weeks: 8, lastExport: '2026-11-16' };

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** The weekly exports, oldest first. */
export function generateDemo(opts: DemoOptions = {}): DemoExport[] {
  const seed = opts.seed ?? DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const deals = positiveInteger('deals', opts.deals ?? DEFAULTS.deals);
  const weeks = positiveInteger('weeks', opts.weeks ?? DEFAULTS.weeks);
  const world = buildWorld({ seed, deals, lastExport: opts.lastExport ?? DEFAULTS.lastExport });
  return Array.from({ length: weeks }, (_, index) => {
    const asOf = world.lastExportAt - (weeks - 1 - index) * 7 * DAY;
    return { asOf: formatIso(asOf), files: exportFiles(world, asOf) };
  });
}

/** Writes OUTDIR/export-YYYY-MM-DD/<file>.csv per week; returns the folders, oldest first. */
export function writeDemo(outDir: string, opts: DemoOptions = {}): string[] {
  return generateDemo(opts).map((demoExport) => {
    const folder = join(outDir, `export-${formatDate(Date.parse(demoExport.asOf))}`);
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(demoExport.files)) writeFileSync(join(folder, name), text, 'utf8');
    return folder;
  });
}

const USAGE = 'usage: npx tsx data/generate-demo.ts OUTDIR [--deals N] [--weeks N] [--seed N] [--last-export YYYY-MM-DD]';

function parseArguments(args: string[]): { outDir: string; options: DemoOptions } {
  const options: DemoOptions = {};
  const positional: string[] = [];
  const numberFlags = { '--deals': 'deals', '--weeks': 'weeks', '--seed': 'seed' } as const;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg in numberFlags) {
      const value = Number(args[++i]);
      if (args[i] === undefined || Number.isNaN(value)) throw new Error(`${arg} needs a number\n${USAGE}`);
      options[numberFlags[arg as keyof typeof numberFlags]] = value;
    } else if (arg === '--last-export') {
      options.lastExport = args[++i];
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new Error(USAGE);
  return { outDir: positional[0], options };
}

function main(): void {
  try {
    const { outDir, options } = parseArguments(process.argv.slice(2));
    for (const folder of writeDemo(outDir, options)) console.log(folder);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
