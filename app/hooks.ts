import type { Reroute } from '@sveltejs/kit';

/**
 * Pages live at /w/<slug>/…; the route files are the workspace-free paths, so
 * /w/acme/funnel is answered by routes/funnel, and /funnel (the default workspace, as
 * before workspaces) by the same file. The server hook reads the slug from the URL.
 */
export const reroute: Reroute = ({ url }) => {
  const m = /^\/w\/[^/]+(\/.*)?$/.exec(url.pathname);
  if (m) return m[1] || '/';
};
