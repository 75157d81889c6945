import type { RequestHandler } from './$types';
import { createApi, untilStopped, workspaces } from '$lib/server';

const api = createApi({ workspaces });

// adapter-node gives the Node request as platform.req: its socket tells when the client goes away
export const fallback: RequestHandler = async ({ request, platform }) => {
  const stop = untilStopped(request, platform?.req);
  try {
    return await api.fetch(request, { signal: stop.signal });
  } finally {
    stop.done();
  }
};
