import { redirect, type Handle } from '@sveltejs/kit';
import {
  actorIn,
  crossSiteWrite,
  DEFAULT_WORKSPACE,
  hostAllowed,
  OPEN_PRINCIPAL,
  oversizedForm,
  SESSION_COOKIE,
  signInRequired,
  workspaceOfPath,
  workspaces
} from '$lib/server';

/** Pages that belong to no workspace. */
const GLOBAL_PAGES = new Set(['/signin', '/workspaces', '/users']);

/**
 * Every request: a Host that is not this server's (DNS rebinding) is refused. Pages: with
 * PIPELENS_AUTH set, a valid session is required (else the sign-in page). Form posts from
 * another site, and forms larger than a form needs, are refused here, since Kit's own origin
 * check is off for the API's sake (see svelte.config.js); the API checks origins, bodies and
 * credentials itself. The workspace a page addresses is opened here when the asker has a
 * role in it.
 */
export const handle: Handle = async ({ event, resolve }) => {
  const { pathname } = event.url;
  const { request } = event;
  event.locals.principal = null;
  event.locals.workspace = null;
  if (!event.isSubRequest && !hostAllowed(request.headers.get('host'))) {
    return new Response('misdirected request: this server does not answer to that host name (see PIPELENS_ALLOWED_HOSTS)\n', { status: 421 });
  }
  if (pathname.startsWith('/api/')) return resolve(event);
  if (!['GET', 'HEAD'].includes(request.method)) {
    const oversized = oversizedForm(request);
    if (oversized) return oversized;
    // a page's forms always come with Origin; a write without one is not from our pages either
    const origin = request.headers.get('origin');
    if (!origin || crossSiteWrite(request.method, origin, event.url)) return new Response('cross-site form submission refused', { status: 403 });
  }
  const registry = await workspaces();
  const session = event.cookies.get(SESSION_COOKIE);
  const principal = !signInRequired() ? OPEN_PRINCIPAL : session ? await registry.auth.authenticate({ session }) : null;
  event.locals.principal = principal;
  if (!principal) {
    if (pathname !== '/signin') redirect(303, `/signin?next=${encodeURIComponent(pathname + event.url.search)}`);
    return resolve(event);
  }
  const slug = workspaceOfPath(pathname);
  if (!slug && GLOBAL_PAGES.has(pathname)) return resolve(event);
  const actor = actorIn(principal, slug ?? DEFAULT_WORKSPACE);
  if (!actor && !slug && pathname === '/') {
    // no role in the default workspace: go to the first workspace they have one in
    const [first] = await registry.visibleTo(principal);
    redirect(303, first ? `/w/${first.slug}` : '/workspaces');
  }
  const known = actor ? (await registry.list()).some((w) => w.slug === (slug ?? DEFAULT_WORKSPACE)) : false;
  if (actor && known) event.locals.workspace = { slug: slug ?? DEFAULT_WORKSPACE, ws: await registry.open(slug ?? DEFAULT_WORKSPACE), actor };
  return resolve(event);
};
