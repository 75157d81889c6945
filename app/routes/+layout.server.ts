import type { LayoutServerLoad } from './$types';
import { localeFromAcceptLanguage } from '$lib/format';
import { getDatabase } from '$lib/server/gateway';
import { listSnapshots } from '$lib/server/engine';
import { allows, authEnabled } from '../../analytics/auth';

/** Every page gets the snapshot list (for the snapshot selector), the reader's locale and who is signed in. */
export const load: LayoutServerLoad = async ({ request, url, locals }) => {
  const snapshots = locals.actor ? await listSnapshots(await getDatabase()) : [];
  return {
    signedIn: authEnabled() && locals.actor ? locals.actor : null,
    isAdmin: locals.actor ? allows(locals.actor, 'admin') : false,
    locale: localeFromAcceptLanguage(request.headers.get('accept-language')),
    snapshots: snapshots.map((s) => ({ snapshot_id: s.snapshot_id, as_of: s.as_of })),
    selected: url.searchParams.get('snapshot') ?? ''
  };
};
