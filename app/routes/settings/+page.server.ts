import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { inWorkspace, workspaceSlug } from '$lib/filters';
import { allows, BadParameterError, FORECAST_CATEGORIES, pageWorkspace, stageOverridesAfterEdit, type Outcome, type Settings, type StageEdit, type Workspace } from '$lib/server';

const NUMBERS = ['fiscal_year_start_month', 'stall_threshold_days', 'stall_min_visits', 'inactivity_days', 'calibration_min_deals'] as const;

/** Stages of the latest snapshot (the export's values beside what applies), and the team's thresholds. */
async function current(ws: Workspace) {
  const [latest] = await ws.snapshots();
  return { latest, stages: latest ? await ws.stageSettingRows(latest.snapshot_id) : [] };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const { ws, actor } = pageWorkspace({ locals, url });
  const { latest, stages } = await current(ws);
  const settings = ws.settings();
  return {
    canEdit: allows(actor, 'admin'),
    saved: url.searchParams.has('saved'),
    file: ws.files.settings ?? null,
    snapshot: latest ? { id: latest.snapshot_id, as_of: latest.as_of } : null,
    stages,
    categories: [...FORECAST_CATEGORIES],
    numbers: Object.fromEntries(NUMBERS.map((k) => [k, settings[k]])) as Record<(typeof NUMBERS)[number], number>,
    leadStatuses: settings.lead_statuses
  };
};

const number = (form: FormData, name: string) => {
  const raw = String(form.get(name) ?? '').trim();
  if (raw === '' || !Number.isFinite(Number(raw))) throw new BadParameterError(name, 'a number');
  return Number(raw);
};

function stageEdits(form: FormData, count: number): StageEdit[] {
  return Array.from({ length: count }, (_, i) => {
    const field = (k: string) => String(form.get(`stage.${i}.${k}`) ?? '');
    const stage = field('stage');
    const probability = field('probability').trim();
    if (probability !== '' && !Number.isFinite(Number(probability))) throw new BadParameterError(`${stage} probability`, 'a number from 0 to 100');
    return {
      pipeline: field('pipeline'),
      stage,
      merge_into: field('merge_into') || null,
      sort_order: number(form, `stage.${i}.sort_order`),
      probability: probability === '' ? null : Number(probability),
      forecast_category: field('forecast_category') || null,
      outcome: (['open', 'won', 'lost'].includes(field('outcome')) ? field('outcome') : 'open') as Outcome
    };
  });
}

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const { ws, actor } = pageWorkspace({ locals, url });
    if (!allows(actor, 'admin')) error(403, 'Only admins change settings.');
    const form = await request.formData();
    const { stages } = await current(ws);
    const before = ws.settings();
    let next: Settings;
    try {
      const numbers = Object.fromEntries(NUMBERS.map((k) => [k, number(form, k)]));
      next = { ...before, ...numbers, stages: stageOverridesAfterEdit(before.stages, stages, stageEdits(form, stages.length)) };
      const changed = [...NUMBERS.filter((k) => next[k] !== before[k]), ...(JSON.stringify(next.stages) !== JSON.stringify(before.stages) ? ['stages'] : [])];
      await ws.replaceSettings(next, actor, changed.length ? `changed ${changed.join(', ')}` : 'saved unchanged');
    } catch (err) {
      if (err instanceof BadParameterError) return fail(400, { error: err.message });
      throw err;
    }
    redirect(303, `${inWorkspace(workspaceSlug(url), '/settings')}?saved`);
  }
};
