import type { PageServerLoad } from './$types';
import { apiOf } from '$lib/filters';
import { engineError, reportPage } from '$lib/server';

const SEVERITY_ORDER = { unusable: 0, warning: 1, info: 2, ok: 3 } as const;

export const load: PageServerLoad = async ({ url, locals }) => {
  const page = await reportPage({ locals, url }, []);
  const { filters, options, id } = page;
  if (id === null) return { empty: true as const, filters, options, checks: [], csvHref: null };
  const checks = await page.ws.quality(id).catch((err) => engineError(err, filters.snapshot));
  return {
    empty: false as const,
    filters,
    options,
    snapshotId: id,
    checks: [...checks].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]),
    csvHref: `${apiOf(filters.workspace)}/snapshots/${id}/quality?format=csv`
  };
};
