import type { PageServerLoad } from './$types';
import { listSnapshots } from '$lib/server/engine';
import { getDatabase } from '$lib/server/gateway';

export const load: PageServerLoad = async () => ({ snapshots: await listSnapshots(await getDatabase()) });
