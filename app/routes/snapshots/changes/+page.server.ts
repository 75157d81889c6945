import type { PageServerLoad } from './$types';
import { apiOf, workspaceSlug } from '$lib/filters';
import { filterOptions, metric, pageWorkspace, snapshotId } from '$lib/server';

/** The deals behind one movement of the snapshot comparison waterfall. */
export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const { ws } = pageWorkspace({ locals, url });
  const params = {
    snapshot: url.searchParams.get('snapshot') ?? undefined,
    base: url.searchParams.get('base') ?? undefined,
    period: url.searchParams.get('period') || undefined,
    bucket: url.searchParams.get('bucket') ?? undefined
  };
  const [{ locale }, result, options] = await Promise.all([
    parent(),
    metric(ws, 'pipeline-change-deals', params),
    snapshotId(ws, params.snapshot).then((id) => filterOptions(ws, id))
  ]);
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]);
  return { locale, currency: options.corporate_currency, params, rows: result.rows, note: result.note, csvHref: `${apiOf(workspaceSlug(url))}/metrics/pipeline-change-deals?${query}&format=csv`, linkSlug: workspaceSlug(url) };
};
