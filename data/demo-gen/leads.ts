// Leads: created over the window, worked by a rep, then converted into an opportunity or
// closed. Conversion chances differ by lead source.
import { LEAD_SOURCES, MISSPELLED_WEB, PERSON_NAMES, type LeadSource } from './catalog';
import { generatedCompanyName, isActiveAt, type Account, type AccountPicker, type User } from './company';
import { between, chance, intBetween, lognormal, pick, pickWeighted, rngFor, type Rng } from './random';
import { DAY, workingMomentInGrowingWindow, workingTimeAfter, workingTimeOn, type Region } from './time';

export type LeadStatus = 'Open - Not Contacted' | 'Working - Contacted' | 'Closed - Converted' | 'Closed - Not Converted';

export interface LeadStatusChange {
  at: number;
  status: LeadStatus;
}

export interface LeadPlan {
  key: number;
  id: string;
  createdAt: number;
  firstName: string;
  lastName: string;
  company: string;
  source: LeadSource;
  /** The LeadSource text as typed, which is sometimes a misspelling of the source. */
  sourceLabel: string;
  region: Region;
  owner: User;
  statusChanges: LeadStatusChange[];
  /** Every moment the record was modified (status changes, edits, syncs, deletion), sorted at the end. */
  modifiedAt: number[];
  conversion: { at: number; account: Account } | null;
  deletedAt: number | null;
  /** Set once the opportunity created by the conversion has its id. */
  convertedOpportunityId: string;
}

export interface LeadContext {
  seed: number;
  windowStart: number;
  horizon: number;
  reps: User[];
  accounts: AccountPicker;
}

const LEAD_SOURCE_WEIGHTS = LEAD_SOURCES.map((source) => [source, source.leadShare] as const);

function sourceLabelFor(rng: Rng, source: LeadSource): string {
  if (source.name === 'Web' && chance(rng, 0.05)) return pick(rng, MISSPELLED_WEB);
  return source.name;
}

export function activeRepIn(rng: Rng, reps: User[], region: Region, at: number): User {
  return pick(rng, reps.filter((rep) => rep.region === region && isActiveAt(rep, at)));
}

function planStatusChanges(rng: Rng, lead: LeadPlan, horizon: number, accounts: AccountPicker): void {
  const changes = lead.statusChanges;
  const region = lead.region;
  if (!chance(rng, 0.85)) {
    if (chance(rng, 0.5)) {
      changes.push({ at: workingTimeAfter(rng, lead.createdAt, lognormal(rng, 30, 0.5), region), status: 'Closed - Not Converted' });
    }
    return;
  }
  const contactedAt = workingTimeAfter(rng, lead.createdAt, lognormal(rng, 1.5, 0.8), region);
  changes.push({ at: contactedAt, status: 'Working - Contacted' });
  if (chance(rng, lead.source.leadConversion / 0.85)) {
    const convertedAt = workingTimeAfter(rng, contactedAt, lognormal(rng, 8, 0.7), region);
    // A conversion after the last export belongs to a future the exports never show.
    if (convertedAt <= horizon) {
      const account = accounts.pick(rng, region);
      lead.conversion = { at: convertedAt, account };
      lead.company = account.name;
      changes.push({ at: convertedAt, status: 'Closed - Converted' });
    }
    return;
  }
  if (chance(rng, 0.8)) {
    changes.push({ at: workingTimeAfter(rng, contactedAt, lognormal(rng, 18, 0.8), region), status: 'Closed - Not Converted' });
  }
}

/** Manual edits (phone number, notes) that touch the record without changing its status. */
function planEdits(rng: Rng, lead: LeadPlan): number[] {
  const editableUntil = lead.conversion?.at ?? lead.createdAt + 60 * DAY;
  const edits: number[] = [];
  for (let i = intBetween(rng, 0, 2); i > 0; i--) {
    const at = workingTimeOn(rng, between(rng, lead.createdAt, editableUntil), lead.region);
    if (at > lead.createdAt && at < editableUntil) edits.push(at);
  }
  return edits;
}

function planLead(context: LeadContext, key: number): LeadPlan {
  const rng = rngFor(context.seed, 'lead', key);
  const region: Region = chance(rng, 0.25) ? 'EMEA' : 'NA';
  const createdAt = workingMomentInGrowingWindow(rng, context.windowStart, context.horizon, region);
  const source = pickWeighted(rng, LEAD_SOURCE_WEIGHTS);
  const lead: LeadPlan = {
    key,
    id: '',
    createdAt,
    firstName: pick(rng, PERSON_NAMES.first),
    lastName: pick(rng, PERSON_NAMES.last),
    company: generatedCompanyName(rng, region === 'EMEA' ? 'EUR' : 'USD'),
    source,
    sourceLabel: sourceLabelFor(rng, source),
    region,
    owner: activeRepIn(rng, context.reps, region, createdAt),
    statusChanges: [{ at: createdAt, status: 'Open - Not Contacted' }],
    modifiedAt: [],
    conversion: null,
    deletedAt: null,
    convertedOpportunityId: '',
  };
  // Duplicates get deleted within days, before anyone converts them.
  if (chance(rng, 0.004)) {
    lead.deletedAt = workingTimeAfter(rng, createdAt, lognormal(rng, 2, 0.8), region);
  } else {
    planStatusChanges(rng, lead, context.horizon, context.accounts);
  }
  const edits = lead.deletedAt === null ? planEdits(rng, lead) : [];
  lead.modifiedAt = [...lead.statusChanges.map((change) => change.at), ...edits];
  if (lead.deletedAt !== null) lead.modifiedAt.push(lead.deletedAt);
  return lead;
}

/** `count` leads created over the window. */
export function planLeads(context: LeadContext, count: number): LeadPlan[] {
  return Array.from({ length: count }, (_, key) => planLead(context, key));
}

export function isEditableAt(lead: LeadPlan, at: number): boolean {
  return lead.createdAt < at && (lead.deletedAt === null || at < lead.deletedAt) && (lead.conversion === null || at < lead.conversion.at);
}

export function cancelConversion(lead: LeadPlan): void {
  if (lead.conversion === null) return;
  const convertedAt = lead.conversion.at;
  lead.conversion = null;
  lead.statusChanges = lead.statusChanges.filter((change) => change.status !== 'Closed - Converted');
  lead.modifiedAt = lead.modifiedAt.filter((at) => at !== convertedAt);
}
