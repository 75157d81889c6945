import { redirect, type Handle } from '@sveltejs/kit';
import { actorFromSession, authEnabled, crossSiteWrite, OPEN_ACTOR, SESSION_COOKIE } from '../analytics/auth';
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
  // a page's forms always come with Origin; a write without one is not from our pages either
  const origin = event.request.headers.get('origin');
  if (!['GET', 'HEAD'].includes(event.request.method) && (!origin || crossSiteWrite(event.request.method, origin, event.request.headers.get('host')))) {
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
