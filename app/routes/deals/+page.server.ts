import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { apiOf, type DealFilters } from '$lib/filters';
import { reportPage } from '$lib/server';

/** Rows sent to the page; the CSV link has them all. */
const SHOWN = 200;
const STATUSES = ['open', 'won', 'lost', 'closed'] as const;

export const load: PageServerLoad = async ({ url, locals }) => {
  const page = await reportPage({ locals, url });
  const { filters, options } = page;
  const get = (k: string) => url.searchParams.get(k)?.trim() || undefined;
  const status = get('status');
  const dateField = get('date_field');
  if (status && !(STATUSES as readonly string[]).includes(status)) error(400, 'status must be open, won, lost or closed');
  if (dateField && dateField !== 'close' && dateField !== 'created') error(400, 'date_field must be close or created');
  const drill: DealFilters = {
    stage: get('stage'),
    reached: get('reached'),
    furthest: get('furthest'),
    check: get('check'),
    status: status as DealFilters['status'],
    forecast_category: get('forecast_category'),
    date_field: dateField as DealFilters['date_field']
  };
  const { workspace, ...pageFilters } = filters;
  const params: Record<string, string | undefined> = { ...pageFilters, ...drill };
  const result = await page.metric('deals', params);
  const rows = result.rows;
  const query = new URLSearchParams(Object.entries({ ...params, format: 'csv' }).filter((e): e is [string, string] => !!e[1])).toString();
  return {
    empty: result.snapshot_id === null,
    filters,
    drill,
    options,
    note: result.note,
    total: rows.length,
    rows: rows.slice(0, SHOWN),
    shown: SHOWN,
    csvHref: `${apiOf(workspace)}/metrics/deals?${query}`
  };
};
