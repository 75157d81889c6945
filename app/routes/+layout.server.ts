import type { LayoutServerLoad } from './$types';
import { localeFromAcceptLanguage } from '$lib/format';
import { getDatabase } from '$lib/server/gateway';
import { listSnapshots } from '$lib/server/engine';

/** Every page gets the snapshot list (for the snapshot selector) and the reader's locale. */
export const load: LayoutServerLoad = async ({ request, url }) => {
  const snapshots = await listSnapshots(await getDatabase());
  return {
    locale: localeFromAcceptLanguage(request.headers.get('accept-language')),
    snapshots: snapshots.map((s) => ({ snapshot_id: s.snapshot_id, as_of: s.as_of })),
    selected: url.searchParams.get('snapshot') ?? ''
  };
};
