import { redirect, type Handle } from '@sveltejs/kit';
import { actorFromSession, authEnabled, OPEN_ACTOR, SESSION_COOKIE } from '../analytics/auth';
import { getDatabase } from '$lib/server/gateway';

/**
 * Pages: with PIPELENS_AUTH set, a valid session is required (else the sign-in page).
 * Form posts from another site are refused here, since Kit's own origin check is off
 * for the API's sake (see svelte.config.js); the API checks origins and credentials itself.
 */
export const handle: Handle = async ({ event, resolve }) => {
  const { pathname } = event.url;
  if (pathname.startsWith('/api/')) {
    event.locals.actor = null;
    return resolve(event);
  }
  // hosts, not origins: without ORIGIN set, adapter-node takes every request for https
  const origin = event.request.headers.get('origin');
  const host = event.request.headers.get('host');
  if (!['GET', 'HEAD'].includes(event.request.method) && (!origin || new URL(origin).host !== host)) {
    return new Response('cross-site form submission refused', { status: 403 });
  }
  if (!authEnabled()) {
    event.locals.actor = OPEN_ACTOR;
    return resolve(event);
  }
  const session = event.cookies.get(SESSION_COOKIE);
  event.locals.actor = session ? await actorFromSession(await getDatabase(), session) : null;
  if (!event.locals.actor && pathname !== '/signin') {
    redirect(303, `/signin?next=${encodeURIComponent(pathname + event.url.search)}`);
  }
  return resolve(event);
};
