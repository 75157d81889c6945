import type { PageServerLoad } from './$types';
import { apiOf, toQuery } from '$lib/filters';
import { reportPage } from '$lib/server';

/** The deals behind one movement of the snapshot comparison waterfall. */
export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url }, ['period']);
  const get = (k: string) => url.searchParams.get(k) || undefined;
  const params = { snapshot: page.filters.snapshot, base: get('base'), period: page.filters.period, bucket: get('bucket') };
  const [{ locale }, result] = await Promise.all([parent(), page.metric('pipeline-change-deals', params)]);
  const linkSlug = page.filters.workspace ?? null;
  return {
    locale,
    currency: page.options.corporate_currency,
    params,
    rows: result.rows,
    note: result.note,
    csvHref: `${apiOf(linkSlug)}/metrics/pipeline-change-deals${toQuery({ ...params, format: 'csv' })}`,
    linkSlug
  };
};
