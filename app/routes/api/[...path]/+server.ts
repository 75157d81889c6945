import type { RequestHandler } from './$types';
import { createApi } from '$lib/server/api';
import { getDatabase, getSettings } from '$lib/server/gateway';

const api = createApi({ database: getDatabase, settings: getSettings });

export const fallback: RequestHandler = ({ request }) => api.fetch(request);
