import type { PageServerLoad } from './$types';
import { waterfallChart, type WaterfallOptions, type WaterfallRow } from '$lib/charts/waterfall-chart';
import { dealsHref } from '$lib/filters';
import { formatQuarter } from '$lib/format';
import { inWorkspace, workspaceSlug } from '$lib/filters';
import { BadParameterError, fiscalQuarterOf, pageWorkspace, renderChart } from '$lib/server';

/**
 * The list of snapshots, and a comparison of two of them: `compare` (default the latest)
 * against `base` (default the one before) for the open pipeline of `period` (default the
 * fiscal quarter of the later snapshot).
 */
export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const { ws } = pageWorkspace({ locals, url });
  const workspace = workspaceSlug(url) ?? undefined;
  const settings = ws.settings();
  const snapshots = await ws.snapshots();
  const get = (k: string) => url.searchParams.get(k)?.trim() || undefined;
  const ids = snapshots.map((s) => String(s.snapshot_id));
  const compareId = get('compare') && ids.includes(get('compare')!) ? get('compare')! : ids[0];
  const later = snapshots.find((s) => String(s.snapshot_id) === compareId);
  const earlier = later ? snapshots.find((s) => s.as_of < later.as_of) : undefined;
  const baseId = get('base') && ids.includes(get('base')!) ? get('base')! : earlier ? String(earlier.snapshot_id) : undefined;
  const period = get('period')?.toUpperCase() ?? (later ? fiscalQuarterOf(later.as_of, settings.fiscal_year_start_month).label : undefined);

  if (!later || !baseId || snapshots.length < 2) return { snapshots, compare: null };

  const [{ locale }, options] = await Promise.all([parent(), ws.filterOptions(Number(compareId))]);
  const compare = { base: baseId, compare: compareId, period: period ?? '', quarters: options.quarters, error: null as string | null };
  let rows: WaterfallRow[] = [];
  try {
    const result = await ws.metric('pipeline-changes', { snapshot: compareId, base: baseId, period });
    rows = result.rows;
  } catch (err) {
    if (!(err instanceof BadParameterError)) throw err;
    compare.error = err.message;
  }
  const chartOptions: WaterfallOptions = {
    currency: options.corporate_currency,
    locale,
    periodLabel: period ? formatQuarter(period) : undefined,
    startHref: dealsHref({ workspace, snapshot: baseId }, { status: 'open', period }),
    endHref: dealsHref({ workspace, snapshot: compareId }, { status: 'open', period }),
    bucketHref: `${inWorkspace(workspace, '/snapshots/changes')}?${new URLSearchParams({ snapshot: compareId, base: baseId, ...(period ? { period } : {}) })}&bucket=`
  };
  return {
    snapshots,
    compare: {
      ...compare,
      rows,
      chartOptions,
      chartSvg: rows.length ? renderChart(waterfallChart, rows, { ...chartOptions, width: 960 }) : ''
    }
  };
};
