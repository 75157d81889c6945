import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { allows, auditLog } from '../../../analytics/auth';
import { getDatabase } from '$lib/server/gateway';

export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.actor || !allows(locals.actor, 'admin')) error(403, 'The audit log is for admins.');
  return { entries: await auditLog(await getDatabase()) };
};
