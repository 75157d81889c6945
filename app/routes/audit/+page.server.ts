import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { allows, pageWorkspace } from '$lib/server';

export const load: PageServerLoad = async ({ locals, url }) => {
  const { ws, actor } = pageWorkspace({ locals, url });
  if (!allows(actor, 'admin')) error(403, 'The audit log is for admins.');
  return { entries: await ws.auditLog() };
};
