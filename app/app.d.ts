import type { Actor, Principal, Workspace } from '$lib/server';

declare global {
  namespace App {
    interface Locals {
      /** who is asking; null only on the sign-in page when sign-in is required */
      principal: Principal | null;
      /** the workspace the page addresses (/w/<slug>/…, else the default) and the asker's role in it; null when they have none there */
      workspace: { slug: string; ws: Workspace; actor: Actor } | null;
    }
    /** adapter-node's: the Node request (the API watches its socket to stop an upload whose client went away) */
    interface Platform {
      req?: import('node:http').IncomingMessage;
    }
  }
}

export {};
