/**
 * The report filters as they live in the URL (GET forms, shareable links): reading them
 * with defaults, turning them into metric parameters, building links that keep them
 * (the drill-down to /deals in particular) and describing them in words.
 */
import { formatDate, formatQuarter } from './format';

export const FILTER_KEYS = ['period', 'from', 'to', 'owner', 'lead_source', 'type', 'pipeline'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface PageFilters {
  /** the workspace of a /w/<slug>/… page: links keep it; absent on the default workspace's plain paths */
  workspace?: string;
  snapshot?: string;
  period?: string;
  from?: string;
  to?: string;
  owner?: string;
  lead_source?: string;
  type?: string;
  /** a pipeline name (HubSpot and Pipedrive exports may hold several) */
  pipeline?: string;
}

export type Params = Record<string, string | number | null | undefined>;

/** Non-empty, trimmed values of the given keys; a period wins over from/to (a form may send both). */
export function readFilters(url: URL | URLSearchParams, keys: readonly FilterKey[] = FILTER_KEYS): PageFilters {
  const search = url instanceof URL ? url.searchParams : url;
  const get = (k: string) => {
    const v = search.get(k)?.trim();
    return v ? v : undefined;
  };
  const f: PageFilters = {};
  const workspace = url instanceof URL ? workspaceSlug(url) : null;
  if (workspace) f.workspace = workspace;
  const snapshot = get('snapshot');
  if (snapshot) f.snapshot = snapshot;
  for (const k of keys) {
    const v = get(k);
    if (v !== undefined) f[k] = k === 'period' ? v.toUpperCase().replace(/\s+/g, '') : v;
  }
  if (f.period) {
    delete f.from;
    delete f.to;
  }
  return f;
}

/** Only the keys a metric accepts (plus snapshot), for runMetric. */
export function metricParams(f: PageFilters, accepts: readonly FilterKey[] = FILTER_KEYS, extra: Params = {}): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (f.snapshot) out.snapshot = f.snapshot;
  for (const k of accepts) if (f[k] !== undefined) out[k] = f[k];
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

/** `?a=1&b=2` from the non-empty values, in the order given; '' when there are none. */
export function toQuery(params: Params): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** The slug of a /w/<slug>/… URL; null on the default workspace's plain paths. */
export function workspaceSlug(url: URL): string | null {
  const m = /^\/w\/([^/]+)/.exec(url.pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

/** A page path in a workspace: `/w/<slug>/deals`, or `/deals` for the plain paths. */
export function inWorkspace(workspace: string | null | undefined, path: string): string {
  if (!workspace) return path;
  return `/w/${encodeURIComponent(workspace)}${path === '/' ? '' : path}`;
}

/** The API of a workspace: `/api/w/<slug>`, or `/api` for the plain paths. */
export function apiOf(workspace: string | null | undefined): string {
  return workspace ? `/api/w/${encodeURIComponent(workspace)}` : '/api';
}

export function withFilters(path: string, f: PageFilters, extra: Params = {}): string {
  const { workspace, ...query } = f;
  return inWorkspace(workspace, path) + toQuery({ ...query, ...extra });
}

/** Drill-down parameters the deals list understands beyond the page filters. */
export interface DealFilters {
  stage?: string;
  /** the deals the funnel counts as having reached this stage */
  reached?: string;
  /** the deals whose furthest open stage is this one */
  furthest?: string;
  /** the deals a data-quality check hits */
  check?: string;
  status?: 'open' | 'won' | 'lost' | 'closed';
  forecast_category?: string;
  date_field?: 'close' | 'created';
  period?: string;
  owner?: string;
  lead_source?: string;
  type?: string;
  pipeline?: string;
}

/** The list of deals behind a figure: the page's filters narrowed by `extra` (which wins). */
export function dealsHref(f: PageFilters, extra: DealFilters = {}): string {
  const base: PageFilters = { ...f };
  if (extra.period) {
    delete base.from;
    delete base.to;
  }
  return withFilters('/deals', base, extra as Params);
}

const STATUS_WORDS: Record<string, string> = { open: 'Open', won: 'Won', lost: 'Lost', closed: 'Closed' };

/** "Won deals · closing in FY2026 Q3 · pipeline Renewals · owner Emma Lindqvist": what a deals list shows. */
export function describeFilters(f: PageFilters & DealFilters, locale?: string): string[] {
  const parts: string[] = [];
  const dateWord = f.date_field === 'created' ? 'created' : 'closing';
  if (f.period) parts.push(`${dateWord} in ${formatQuarter(f.period)}`);
  else if (f.from && f.to) parts.push(`${dateWord} ${formatDate(f.from, locale)} – ${formatDate(f.to, locale)}`);
  else if (f.from) parts.push(`${dateWord} on or after ${formatDate(f.from, locale)}`);
  else if (f.to) parts.push(`${dateWord} on or before ${formatDate(f.to, locale)}`);
  if (f.pipeline) parts.push(`pipeline ${f.pipeline}`);
  if (f.stage) parts.push(`stage ${f.stage}`);
  if (f.reached) parts.push(`that reached ${f.reached}`);
  if (f.furthest) parts.push(`whose furthest stage was ${f.furthest}`);
  if (f.check) parts.push(`hit by the data-quality check ${f.check}`);
  if (f.forecast_category) parts.push(`forecast category ${f.forecast_category}`);
  if (f.owner) parts.push(`owner ${f.owner}`);
  if (f.lead_source) parts.push(`lead source ${f.lead_source}`);
  if (f.type) parts.push(`type ${f.type}`);
  return parts;
}

export function statusWord(status: string | undefined): string {
  return status ? (STATUS_WORDS[status] ?? status) : 'All';
}

/** Whether any filter besides the snapshot is set. */
export function hasFilters(f: PageFilters): boolean {
  return FILTER_KEYS.some((k) => f[k] !== undefined);
}
