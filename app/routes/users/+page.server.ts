import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signInRequired, workspaces, type Principal } from '$lib/server';

/**
 * People and script tokens, for server admins: the way to take access away while the
 * server runs (the CLI cannot open the registry then). Removing a person ends their
 * sessions and takes their roles; revoking a token stops it at once.
 */
function serverAdmin(principal: Principal | null): Principal {
  if (!principal?.serverAdmin) error(403, 'This page is for server admins.');
  return principal;
}

export const load: PageServerLoad = async ({ locals }) => {
  const me = serverAdmin(locals.principal);
  const registry = await workspaces();
  const [users, tokens] = await Promise.all([registry.auth.users(), registry.auth.tokens()]);
  return { me: me.name, signInRequired: signInRequired(), users, tokens };
};

export const actions: Actions = {
  remove: async ({ request, locals }) => {
    const me = serverAdmin(locals.principal);
    const name = String((await request.formData()).get('name') ?? '');
    if (name === me.name) return fail(409, { error: 'You cannot remove yourself: another server admin can.' });
    const registry = await workspaces();
    if (!(await registry.auth.removeUser(name))) return fail(404, { error: `There is no user ${name}.` });
    await registry.audit(me.name, 'remove user', null, name);
    return { done: `${name} removed; their sessions ended.` };
  },
  revoke: async ({ request, locals }) => {
    const me = serverAdmin(locals.principal);
    const id = String((await request.formData()).get('token_id') ?? '');
    const registry = await workspaces();
    if (!(await registry.auth.revokeToken(id))) return fail(404, { error: `There is no token ${id}.` });
    await registry.audit(me.name, 'revoke token', null, id);
    return { done: `Token ${id} revoked.` };
  }
};
