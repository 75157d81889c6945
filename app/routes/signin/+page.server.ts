import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { safeNext, signInRequired, SESSION_COOKIE, SESSION_DAYS, TooManyAttemptsError, workspaces } from '$lib/server';

/** HTTPS as the proxy or ORIGIN says: adapter-node alone cannot tell. */
const servedOverHttps = (request: Request) =>
  request.headers.get('x-forwarded-proto') === 'https' || (process.env.ORIGIN ?? '').startsWith('https:');

export const load: PageServerLoad = ({ locals, url }) => ({
  required: signInRequired(),
  actor: locals.principal && {
    name: locals.principal.name,
    role: locals.principal.serverAdmin
      ? 'server admin'
      : Object.entries(locals.principal.roles).map(([workspace, role]) => `${role} in ${workspace}`).join(', ') || 'none in any workspace yet'
  },
  next: safeNext(url.searchParams.get('next'))
});

export const actions: Actions = {
  signin: async ({ request, cookies, getClientAddress, setHeaders }) => {
    const form = await request.formData();
    const name = String(form.get('name') ?? '');
    // a crafted ?next= must not send people elsewhere
    const next = safeNext(String(form.get('next') ?? '/'));
    let result;
    try {
      result = await (await workspaces()).auth.signIn(name, String(form.get('password') ?? ''), getClientAddress());
    } catch (err) {
      if (!(err instanceof TooManyAttemptsError)) throw err;
      setHeaders({ 'retry-after': String(err.retryAfterSeconds) });
      return fail(429, { name, next, error: `Too many failed sign-ins: try again in ${Math.ceil(err.retryAfterSeconds / 60)} minutes.` });
    }
    if (!result) return fail(400, { name, next, error: 'Wrong name or password.' });
    cookies.set(SESSION_COOKIE, result.session, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: servedOverHttps(request),
      maxAge: SESSION_DAYS * 86400
    });
    redirect(303, next);
  },
  signout: async ({ cookies }) => {
    const session = cookies.get(SESSION_COOKIE);
    if (session) await (await workspaces()).auth.signOut(session);
    cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/signin');
  }
};
