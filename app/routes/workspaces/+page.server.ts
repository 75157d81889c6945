import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/**
 * The list comes from the layout (the workspaces the asker may see); this page needs
 * someone signed in. The switcher's form (without JavaScript) lands here with the chosen
 * slug and goes on to that workspace.
 */
export const load: PageServerLoad = ({ locals, url }) => {
  if (!locals.principal) error(401, 'Sign in first.');
  const chosen = url.searchParams.get('workspace');
  if (chosen && /^[a-z0-9-]{1,40}$/.test(chosen)) redirect(303, `/w/${chosen}`);
  return {};
};
