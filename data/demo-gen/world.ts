// The one underlying history of the fictional company. Weekly exports are views of it.
import { LEAD_SOURCES, type DealType } from './catalog';
import { AccountPicker, createCompany, isActiveAt, type Company, type User } from './company';
import { planDeal, replayDeal, type DealPlan, type DealSeed } from './deals';
import { salesforceId } from './ids';
import { activeRepIn, cancelConversion, isEditableAt, planLeads, type LeadPlan } from './leads';
import { between, chance, intBetween, pickWeighted, rngFor, type Rng } from './random';
import { addMonths, DAY, HOUR, MINUTE, parseDate, startOfQuarter, workingMomentInGrowingWindow, type Region } from './time';

export interface WorldOptions {
  seed: number;
  deals: number;
  lastExport: string;
}

export interface World {
  company: Company;
  /** In id order (= creation order). */
  leads: LeadPlan[];
  /** In id order (= creation order). */
  deals: DealPlan[];
  windowStart: number;
  lastExportAt: number;
}

/** Exports run at 06:00 UTC, after the nightly sync. */
export const EXPORT_HOUR_UTC = 6;
const LEADS_PER_DEAL = 3;
const DEALS_PER_ACCOUNT = 5;

const DIRECT_DEAL_TYPES: readonly (readonly [DealType, number])[] = [
  ['Existing Customer - Upgrade', 0.45],
  ['Existing Customer - Replacement', 0.22],
  ['Existing Customer - Downgrade', 0.1],
  ['New Customer', 0.23],
];
const DIRECT_DEAL_SOURCES = LEAD_SOURCES.map((source) => [source, source.directShare] as const);

function dealFromLead(seed: number, lead: LeadPlan, reps: User[]): DealSeed {
  const conversion = lead.conversion!;
  const rng = rngFor(seed, 'lead-deal', lead.key);
  const owner = isActiveAt(lead.owner, conversion.at) ? lead.owner : activeRepIn(rng, reps, lead.region, conversion.at);
  return {
    key: `lead-${lead.key}`,
    createdAt: conversion.at,
    owner,
    account: conversion.account,
    source: lead.source,
    sourceLabel: lead.sourceLabel,
    type: chance(rng, 0.88) ? 'New Customer' : 'Existing Customer - Upgrade',
    lead,
  };
}

function directDeal(rng: Rng, key: number, world: Pick<World, 'company' | 'windowStart' | 'lastExportAt'>, accounts: AccountPicker): DealSeed {
  const region: Region = chance(rng, 0.25) ? 'EMEA' : 'NA';
  const createdAt = workingMomentInGrowingWindow(rng, world.windowStart, world.lastExportAt, region);
  const account = accounts.pick(rng, region);
  const accountOwner = world.company.reps.find((rep) => rep.id === account.originalOwnerId)!;
  const owner = isActiveAt(accountOwner, createdAt) && chance(rng, 0.85)
    ? accountOwner
    : activeRepIn(rng, world.company.reps, region, createdAt);
  const source = pickWeighted(rng, DIRECT_DEAL_SOURCES);
  return {
    key: `direct-${key}`,
    createdAt,
    owner,
    account,
    source,
    sourceLabel: source.name,
    type: pickWeighted(rng, DIRECT_DEAL_TYPES),
    lead: null,
  };
}

function byCreation<T extends { createdAt: number; key: number | string }>(a: T, b: T): number {
  return a.createdAt - b.createdAt || String(a.key).localeCompare(String(b.key));
}

/** Index of the first element whose `createdAt` is after `at` (= how many were created by then). */
function countCreatedBy(sorted: { createdAt: number }[], at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].createdAt <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A record created in the `recentDays` before `at` that `usable` accepts, if one turns up. */
function pickRecent<T extends { createdAt: number }>(rng: Rng, sorted: T[], at: number, recentDays: number, usable: (item: T) => boolean): T | null {
  const first = countCreatedBy(sorted, at - recentDays * DAY);
  const end = countCreatedBy(sorted, at - 1);
  for (let attempt = 0; attempt < 20 && end > first; attempt++) {
    const item = sorted[first + Math.floor(rng() * (end - first))];
    if (usable(item)) return item;
  }
  return null;
}

/**
 * The marketing-automation sync runs every night shortly before the 06:00 export and
 * updates a few records, so the newest modification in every export is within the hour
 * before it (the engine takes `as_of` from it).
 */
function addNightlySync(seed: number, world: World): void {
  const syncUserId = world.company.integrationUser.id;
  for (let day = world.windowStart; day <= world.lastExportAt; day += DAY) {
    const rng = rngFor(seed, 'nightly-sync', day);
    const at = day + (EXPORT_HOUR_UTC - 1) * HOUR + Math.floor(between(rng, 3, 57) * MINUTE / 1000) * 1000;
    for (let i = intBetween(rng, 1, 2); i > 0; i--) {
      const deal = pickRecent(rng, world.deals, at, 90, (candidate) => candidate.deletedAt === null || at < candidate.deletedAt);
      deal?.patches.push({ at, byId: syncUserId });
    }
    for (let i = intBetween(rng, 1, 3); i > 0; i--) {
      pickRecent(rng, world.leads, at, 60, (lead) => isEditableAt(lead, at))?.modifiedAt.push(at);
    }
  }
}

function assignHistoryIds(deals: DealPlan[]): void {
  const tracked = deals.flatMap((deal, dealIndex) =>
    deal.events.filter((event) => event.tracked).map((event) => ({ event, dealIndex })));
  tracked.sort((a, b) => a.event.at - b.event.at || a.dealIndex - b.dealIndex);
  tracked.forEach(({ event }, sequence) => (event.historyId = salesforceId('008', sequence + 1)));
}

export function buildWorld(options: WorldOptions): World {
  const lastExportAt = parseDate(options.lastExport) + EXPORT_HOUR_UTC * HOUR;
  // Six fiscal quarters: the current one and the five before it.
  const windowStart = addMonths(startOfQuarter(lastExportAt), -15);
  const repLeavesAt = windowStart + Math.round(0.6 * (lastExportAt - windowStart) / DAY) * DAY;
  const company = createCompany(options.seed, Math.max(40, Math.round(options.deals / DEALS_PER_ACCOUNT)), repLeavesAt);
  const accounts = new AccountPicker(company.accounts);

  const leads = planLeads({ seed: options.seed, windowStart, horizon: lastExportAt, reps: company.reps, accounts }, LEADS_PER_DEAL * options.deals)
    .sort(byCreation);
  leads.forEach((lead, index) => (lead.id = salesforceId('00Q', index + 1)));

  const converted = leads.filter((lead) => lead.conversion !== null).sort((a, b) => a.conversion!.at - b.conversion!.at);
  // Only when leads convert better than the deal count allows: the surplus never converts.
  converted.slice(options.deals).forEach(cancelConversion);
  const seeds = converted.slice(0, options.deals).map((lead) => dealFromLead(options.seed, lead, company.reps));
  const directRng = rngFor(options.seed, 'direct-deals');
  const partial = { company, windowStart, lastExportAt };
  for (let key = 0; seeds.length < options.deals; key++) seeds.push(directDeal(directRng, key, partial, accounts));

  const deals = seeds.map((seed) => planDeal(seed, options.seed, lastExportAt)).sort(byCreation);
  deals.forEach((deal, index) => {
    deal.id = salesforceId('006', index + 1);
    if (deal.lead) deal.lead.convertedOpportunityId = deal.id;
  });

  const world: World = { company, leads, deals, windowStart, lastExportAt };
  addNightlySync(options.seed, world);
  deals.forEach(replayDeal);
  assignHistoryIds(deals);
  for (const lead of leads) lead.modifiedAt.sort((a, b) => a - b);
  return world;
}
