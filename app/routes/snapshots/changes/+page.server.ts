import type { PageServerLoad } from './$types';
import { filterOptions, metric, snapshotId } from '$lib/server/page-data';

/** The deals behind one movement of the snapshot comparison waterfall. */
export const load: PageServerLoad = async ({ url, parent }) => {
  const params = {
    snapshot: url.searchParams.get('snapshot') ?? undefined,
    base: url.searchParams.get('base') ?? undefined,
    period: url.searchParams.get('period') || undefined,
    bucket: url.searchParams.get('bucket') ?? undefined
  };
  const [{ locale }, result, options] = await Promise.all([
    parent(),
    metric('pipeline-change-deals', params),
    snapshotId(params.snapshot).then((id) => filterOptions(id))
  ]);
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]);
  return { locale, currency: options.corporate_currency, params, rows: result.rows, note: result.note, csvHref: `/api/metrics/pipeline-change-deals?${query}&format=csv` };
};
