import type { LayoutServerLoad } from './$types';
import { localeFromAcceptLanguage } from '$lib/format';
import { workspaceSlug } from '$lib/filters';
import { actorIn, allows, signInRequired, workspaces } from '$lib/server';

/**
 * Every page gets the reader's locale and who is signed in, the workspaces they may switch
 * to, and for a workspace's pages that workspace and its snapshot list (for the snapshot
 * selector). `linkSlug` is the slug the URL carries (null on the default workspace's plain
 * paths), so links stay in the same kind of address.
 */
export const load: LayoutServerLoad = async ({ request, url, locals }) => {
  const principal = locals.principal;
  const current = locals.workspace;
  const registry = await workspaces();
  const [visible, snapshots] = await Promise.all([
    principal ? registry.visibleTo(principal) : [],
    current ? current.ws.snapshots() : []
  ]);
  const info = current ? (visible.find((w) => w.slug === current.slug) ?? null) : null;
  return {
    signedIn: signInRequired() && principal ? { name: principal.name, role: current?.actor.role ?? null } : null,
    isAdmin: current ? allows(current.actor, 'admin') : false,
    serverAdmin: principal?.serverAdmin ?? false,
    locale: localeFromAcceptLanguage(request.headers.get('accept-language')),
    workspaces: visible.map((w) => ({ slug: w.slug, name: w.name, demo: w.demo, role: principal ? actorIn(principal, w.slug)!.role : null })),
    workspace: info && { slug: info.slug, name: info.name, demo: info.demo },
    linkSlug: workspaceSlug(url),
    snapshots: snapshots.map((s) => ({ snapshot_id: s.snapshot_id, as_of: s.as_of })),
    selected: url.searchParams.get('snapshot') ?? ''
  };
};
