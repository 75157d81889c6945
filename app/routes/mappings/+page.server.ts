import type { PageServerLoad } from './$types';
import { allows, pageWorkspace } from '$lib/server';

/**
 * The workspace's saved column mappings as the engine reads them (files that do not parse
 * are left out, as uploads leave them out), each with its JSON for an admin to edit; the
 * page saves and deletes through the API (PUT, DELETE /api/…/mappings/<name>).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const { ws, actor } = pageWorkspace({ locals, url });
  return {
    canEdit: allows(actor, 'admin'),
    folder: ws.files.mappings ?? null,
    mappings: ws.mappings().map(({ name, mapping }) => {
      const { name: title, deals, leads, formats } = mapping;
      return {
        name,
        // a mapping's own name, when it says more than its file name (the shipped ones describe their data)
        title: title && title !== name ? title : null,
        deals: deals ? { detect: deals.detect.headers, fields: Object.keys(deals.columns), stages: deals.stages.map((s) => s.stage) } : null,
        leads: leads ? { detect: leads.detect.headers, fields: Object.keys(leads.columns) } : null,
        // what the editor shows: the mapping without its name (the file name is its name)
        json: JSON.stringify({ formats, ...(deals ? { deals } : {}), ...(leads ? { leads } : {}) }, null, 2)
      };
    })
  };
};
