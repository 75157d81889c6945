/**
 * What every report page's load() does: find the page's workspace, resolve the snapshot
 * once, read the filter options for the filter bar, run metrics, and turn the engine's
 * errors into the page's 4xx.
 */
import { error, redirect } from '@sveltejs/kit';
import { FILTER_KEYS, readFilters, type FilterKey, type PageFilters } from '$lib/filters';
import { BadParameterError, isCalendarDate, NotFoundError, type FilterOptions, type MetricName, type MetricParams, type MetricResult, type MetricRows, type Workspace } from '../../../analytics';
import { statusOf } from './edge';

type Locals = App.Locals;

/**
 * The page's workspace and the asker's role in it; 404 when there is none or it is not
 * theirs. The hook found it from the path; reading the path here makes the load depend on
 * it, so SvelteKit runs the load again when the same page of another workspace is opened.
 */
export function pageWorkspace({ locals, url }: { locals: Locals; url: URL }): NonNullable<Locals['workspace']> {
  void url.pathname;
  if (!locals.workspace) error(404, 'There is no such workspace, or it is not yours to see.');
  return locals.workspace;
}

/**
 * Maps the engine's errors to the page's 4xx; anything else stays a 500. A snapshot that
 * is gone (resolved by the page, or by a metric, which names the parameter) is a 404.
 */
export function engineError(err: unknown, snapshot?: string): never {
  const gone = (err instanceof NotFoundError && err.message.startsWith('not found: snapshot')) || (err instanceof BadParameterError && err.parameter === 'snapshot');
  if (gone) error(404, `There is no snapshot ${snapshot}: it may have been deleted.`);
  const status = statusOf(err);
  if (status !== null) error(status as 400, (err as Error).message);
  throw err;
}

export function metric<N extends MetricName>(ws: Workspace, name: N, params: MetricParams): Promise<MetricResult<MetricRows[N]>> {
  return ws.metric(name, params).catch((err) => engineError(err, params.snapshot));
}

/** The snapshot id a `snapshot` parameter names (null: nothing loaded yet), 404 when it is gone. */
export function snapshotId(ws: Workspace, snapshot: string | undefined): Promise<number | null> {
  return ws.resolveSnapshot(snapshot).catch((err) => engineError(err, snapshot));
}

export interface ReportPage {
  ws: Workspace;
  filters: PageFilters;
  /** the snapshot shown; null when the workspace has none yet */
  id: number | null;
  options: FilterOptions;
  /** A metric on the snapshot resolved for this request (a `snapshot` in the params is replaced by its id). */
  metric<N extends MetricName>(name: N, params: MetricParams): Promise<MetricResult<MetricRows[N]>>;
}

/**
 * The skeleton every report page's load shares: the workspace, the filters from the URL
 * (`keys`: the ones the page offers), the snapshot resolved once for the whole request
 * (so "latest" cannot move between two metrics of one page), and the filter options.
 */
export async function reportPage({ locals, url }: { locals: Locals; url: URL }, keys: readonly FilterKey[] = FILTER_KEYS): Promise<ReportPage> {
  const { ws } = pageWorkspace({ locals, url });
  const filters = readFilters(url, keys);
  // checked before anything reads them (the durations page queries visits beside its metric)
  for (const key of ['from', 'to'] as const) {
    if (filters[key] !== undefined && !isCalendarDate(filters[key])) error(400, `bad parameter ${key}: a date YYYY-MM-DD the calendar has`);
  }
  const id = await snapshotId(ws, filters.snapshot);
  const options = await ws.filterOptions(id);
  const pinned = (params: MetricParams): MetricParams => (id === null ? params : { ...params, snapshot: String(id) });
  return { ws, filters, id, options, metric: (name, params) => metric(ws, name, pinned(params)) };
}

/**
 * Pages that list stages in funnel order (funnel, durations) show one pipeline at a time:
 * each pipeline has its own stages, and several may share a name. Without a pipeline in
 * the URL they go to the first one's.
 */
export function onePipelineAtATime(url: URL, options: FilterOptions): void {
  if (options.pipelines.length < 2 || url.searchParams.get('pipeline')) return;
  const target = new URL(url);
  target.searchParams.set('pipeline', options.pipelines[0]);
  redirect(307, target.pathname + target.search);
}
