import type { RequestHandler } from './$types';
import { createApi, workspaces } from '$lib/server';

const api = createApi({ workspaces });

export const fallback: RequestHandler = ({ request }) => api.fetch(request);
