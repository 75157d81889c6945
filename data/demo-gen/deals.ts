// One opportunity's whole life, planned up front: the stages it walks through and when,
// then close-date pushes, amount changes, forecast overrides and edits. A replay turns
// those changes into the sequence of states the exports show.
import {
  CLOSED_LOST, CLOSED_WON, DEAL_TYPES, LAST_OPEN_STAGE, STAGES,
  type DealType, type ForecastCategoryName, type LeadSource,
} from './catalog';
import type { Account, User } from './company';
import type { LeadPlan } from './leads';
import { between, chance, intBetween, lognormal, pick, pickWeighted, rngFor, type Rng } from './random';
import { DAY, endOfMonth, startOfDay, workingTimeAfter, workingTimeOn, type Region } from './time';

/** EUR per USD, the rate CurrencyType.csv publishes. */
export const EUR_PER_USD = 0.92;

export interface DealState {
  stage: number;
  amount: number | null;
  closeDate: number;
  probability: number;
  forecast: ForecastCategoryName;
}

export interface DealEvent {
  at: number;
  byId: string;
  state: DealState;
  /** Stage, amount, probability or close date changed: Salesforce writes an OpportunityHistory row. */
  tracked: boolean;
  stageChanged: boolean;
  historyId: string;
}

/** A change to some fields at one moment; a change to none is a plain edit. */
export interface DealPatch {
  at: number;
  byId: string;
  stage?: number;
  amount?: number | null;
  closeDate?: number;
  probability?: number;
  forecast?: ForecastCategoryName;
}

export interface DealSeed {
  key: string;
  createdAt: number;
  owner: User;
  account: Account;
  source: LeadSource;
  sourceLabel: string;
  type: DealType;
  lead: LeadPlan | null;
}

export interface DealPlan extends DealSeed {
  id: string;
  name: string;
  patches: DealPatch[];
  /** Filled by `replayDeal`, in time order. */
  events: DealEvent[];
  activityAt: number[];
  deletedAt: number | null;
}

interface StageStep {
  stage: number;
  at: number;
}

interface Visit {
  stage: number;
  start: number;
  /** The next step's time, or the horizon while the visit is still going on. */
  end: number;
  stalled: boolean;
}

type Outcome = 'won' | 'lost' | 'abandoned';

const ENTRY_STAGE_WEIGHTS = {
  newCustomer: [[0, 50], [1, 22], [2, 14], [3, 7], [4, 4], [5, 2], [6, 1]],
  existingCustomer: [[0, 20], [1, 25], [2, 25], [3, 15], [4, 8], [5, 4], [6, 3]],
} as const;
/** Relative chance of being lost in each open stage: most deals die early. */
const LOSS_STAGE_WEIGHTS = [30, 22, 16, 11, 8, 6, 4, 3];

const isClosedStage = (stage: number) => STAGES[stage].isClosed;

function chooseOutcome(rng: Rng, seed: DealSeed): Outcome {
  if (chance(rng, 0.03)) return 'abandoned';
  const winChance = Math.min(0.85, seed.source.winRate * DEAL_TYPES[seed.type].winFactor * seed.owner.skill);
  return chance(rng, winChance) ? 'won' : 'lost';
}

function lastOpenStageOf(rng: Rng, from: number, outcome: Outcome): number {
  if (outcome === 'won') return chance(rng, 0.1) ? Math.max(from, LAST_OPEN_STAGE - 1) : LAST_OPEN_STAGE;
  const candidates = LOSS_STAGE_WEIGHTS.map((weight, stage) => [stage, weight] as const).filter(([stage]) => stage >= from);
  return pickWeighted(rng, candidates);
}

/** Open stages visited after `from` up to `to`: mostly in order, some skipped, rarely one step back. */
function openStagesBetween(rng: Rng, from: number, to: number): number[] {
  const path: number[] = [];
  let stage = from;
  let steppedBack = false;
  while (stage < to) {
    if (!steppedBack && stage > from && chance(rng, 0.05)) {
      stage -= 1;
      steppedBack = true;
    } else {
      stage = Math.min(to, stage + (chance(rng, 0.03) ? 3 : chance(rng, 0.15) ? 2 : 1));
    }
    path.push(stage);
  }
  return path;
}

function planStageSteps(rng: Rng, seed: DealSeed): { steps: StageStep[]; stalledVisit: number } {
  const region = seed.account.region;
  const entryWeights = seed.type === 'New Customer' ? ENTRY_STAGE_WEIGHTS.newCustomer : ENTRY_STAGE_WEIGHTS.existingCustomer;
  const steps: StageStep[] = [{ stage: pickWeighted(rng, entryWeights), at: seed.createdAt }];
  const stalledVisit = chance(rng, 0.08) ? intBetween(rng, 0, 4) : -1;

  const moveTo = (stage: number) => {
    const current = steps[steps.length - 1];
    const slowDeath = stage === CLOSED_LOST ? 1.4 : 1;
    const stall = steps.length - 1 === stalledVisit ? between(rng, 5, 12) : 1;
    const days = lognormal(rng, STAGES[current.stage].medianDays * slowDeath, 0.8) * stall;
    steps.push({ stage, at: workingTimeAfter(rng, current.at, days, region) });
  };
  const runTo = (outcome: Outcome) => {
    const from = steps[steps.length - 1].stage;
    for (const stage of openStagesBetween(rng, from, lastOpenStageOf(rng, from, outcome))) moveTo(stage);
    if (outcome === 'won') moveTo(CLOSED_WON);
    if (outcome === 'lost') moveTo(CLOSED_LOST);
  };

  const outcome = chooseOutcome(rng, seed);
  runTo(outcome);
  if (outcome === 'lost' && chance(rng, 0.06)) {
    // Re-opened: the customer comes back weeks later, a stage or so before where it died.
    const lostFrom = steps[steps.length - 2].stage;
    const lostAt = steps[steps.length - 1].at;
    steps.push({ stage: Math.max(1, lostFrom - 1), at: workingTimeAfter(rng, lostAt, lognormal(rng, 35, 0.6), region) });
    runTo(chance(rng, 0.4) ? 'won' : 'lost');
  }
  return { steps, stalledVisit };
}

function visitsOf(steps: StageStep[], stalledVisit: number, horizon: number): Visit[] {
  return steps.map((step, index) => {
    const next = steps[index + 1];
    return {
      stage: step.stage,
      start: step.at,
      end: next ? next.at : horizon,
      stalled: index === stalledVisit || (!next && !isClosedStage(step.stage)),
    };
  });
}

function closeDateAround(rng: Rng, from: number, medianDays: number): number {
  const date = startOfDay(from + lognormal(rng, medianDays, 0.4) * DAY);
  return chance(rng, 0.4) ? endOfMonth(date) : date;
}

function initialCloseDate(rng: Rng, seed: DealSeed): number {
  return closeDateAround(rng, seed.createdAt, seed.type === 'New Customer' ? 60 : 40);
}

/** A diligent rep moves the close date out each time it passes while the deal is still open. */
function overdueCloseDatePushes(rng: Rng, from: number, until: number, closeDate: number, region: Region, byId: string): DealPatch[] {
  const pushes: DealPatch[] = [];
  let current = closeDate;
  let after = from;
  for (;;) {
    const noticedAt = workingTimeAfter(rng, Math.max(after, current + DAY), between(rng, 0, 5), region);
    if (noticedAt >= until) return pushes;
    current = closeDateAround(rng, noticedAt, 25);
    pushes.push({ at: noticedAt, byId, closeDate: current });
    after = noticedAt;
  }
}

function stageAndCloseDatePatches(rng: Rng, seed: DealSeed, steps: StageStep[], amount: number | null, horizon: number): DealPatch[] {
  const region = seed.account.region;
  const byId = seed.owner.id;
  const diligent = chance(rng, 0.7);
  let closeDate = initialCloseDate(rng, seed);
  const patches: DealPatch[] = [{ at: seed.createdAt, byId, stage: steps[0].stage, amount, closeDate }];
  for (let index = 1; index <= steps.length; index++) {
    const previous = steps[index - 1];
    const step = steps[index];
    if (diligent && !isClosedStage(previous.stage)) {
      const pushes = overdueCloseDatePushes(rng, previous.at, step ? step.at : horizon, closeDate, region, byId);
      patches.push(...pushes);
      if (pushes.length > 0) closeDate = pushes[pushes.length - 1].closeDate!;
    }
    if (!step) break;
    const patch: DealPatch = { at: step.at, byId, stage: step.stage };
    if (isClosedStage(step.stage)) {
      patch.closeDate = startOfDay(step.at);
    } else if (isClosedStage(previous.stage)) {
      patch.closeDate = closeDateAround(rng, step.at, 45);
    } else if (step.stage >= 6 && chance(rng, 0.35)) {
      // Late in the cycle the rep re-forecasts the close date, usually close to the truth.
      const closing = steps.slice(index).find((later) => isClosedStage(later.stage));
      if (closing) patch.closeDate = startOfDay(closing.at + between(rng, -3, 10) * DAY);
    }
    if (patch.closeDate !== undefined) closeDate = patch.closeDate;
    patches.push(patch);
  }
  return patches;
}

function roundAmount(value: number): number {
  return Math.max(50, Math.round(value / 50) * 50);
}

function initialAmount(rng: Rng, seed: DealSeed): number | null {
  const usd = Math.min(500_000, Math.max(1_500, lognormal(rng, DEAL_TYPES[seed.type].medianAmountUsd, 0.85)));
  if (chance(rng, 0.015)) return null;
  return roundAmount(seed.account.currency === 'EUR' ? usd * EUR_PER_USD : usd);
}

/** A working moment strictly inside (start, end), or null when the window is too short. */
function momentWithin(rng: Rng, start: number, end: number, region: Region): number | null {
  const at = workingTimeOn(rng, between(rng, start, end), region);
  return at > start && at < end ? at : null;
}

function amountChanges(rng: Rng, seed: DealSeed, amount: number | null, openUntil: number): DealPatch[] {
  if (amount === null || !chance(rng, 0.22)) return [];
  const patches: DealPatch[] = [];
  for (let i = chance(rng, 0.25) ? 2 : 1; i > 0; i--) {
    const at = momentWithin(rng, seed.createdAt + DAY, openUntil, seed.account.region);
    if (at !== null) patches.push({ at, byId: seed.owner.id, amount: roundAmount(amount * between(rng, 0.7, 1.35)) });
  }
  return patches;
}

/** A rep's own judgement over the stage default; it lasts until the next stage change. */
function overrides(rng: Rng, seed: DealSeed, visits: Visit[], horizon: number): DealPatch[] {
  // Only what happens by the horizon is ever exported, so aim inside it.
  const open = visits.filter((visit) => !isClosedStage(visit.stage) && visit.start < horizon)
    .map((visit) => ({ ...visit, end: Math.min(visit.end, horizon) }));
  const patches: DealPatch[] = [];
  if (chance(rng, 0.06)) {
    const visit = chance(rng, 0.6) ? open[open.length - 1] : pick(rng, open);
    const at = momentWithin(rng, visit.start, visit.end, seed.account.region);
    if (at !== null) patches.push({ at, byId: seed.owner.id, forecast: chance(rng, 0.65) ? 'Omitted' : 'Commit' });
  }
  if (chance(rng, 0.03)) {
    const visit = pick(rng, open);
    const at = momentWithin(rng, visit.start, visit.end, seed.account.region);
    const probability = Math.min(95, Math.max(5, STAGES[visit.stage].probability + pick(rng, [-10, -5, 5, 10])));
    if (at !== null) patches.push({ at, byId: seed.owner.id, probability });
  }
  return patches;
}

/** Edits to fields no export column shows (next step, description). */
function plainEdits(rng: Rng, seed: DealSeed, openUntil: number): DealPatch[] {
  const patches: DealPatch[] = [];
  for (let i = intBetween(rng, 0, 3); i > 0; i--) {
    const at = momentWithin(rng, seed.createdAt, openUntil, seed.account.region);
    if (at !== null) patches.push({ at, byId: seed.owner.id });
  }
  return patches;
}

/** Calls, emails and meetings logged while the deal is open; they dry up in a stalled stage. */
function activityMoments(rng: Rng, steps: StageStep[], visits: Visit[], horizon: number): number[] {
  if (!chance(rng, 0.88)) return [];
  const moments = steps.slice(1).map((step) => step.at);
  for (const visit of visits) {
    if (isClosedStage(visit.stage)) continue;
    const until = Math.min(horizon, visit.stalled ? visit.start + between(rng, 3, 12) * DAY : visit.end);
    for (let at = visit.start + lognormal(rng, 2, 0.8) * DAY; at < until; at += lognormal(rng, 4, 0.9) * DAY) {
      moments.push(at);
    }
  }
  return moments.filter((at) => at <= horizon).sort((a, b) => a - b);
}

function dealName(rng: Rng, seed: DealSeed): string {
  const suffix = pick(rng, DEAL_TYPES[seed.type].nameSuffixes);
  const year = new Date(seed.createdAt).getUTCFullYear();
  return chance(rng, 0.3) ? `${seed.account.name} - ${suffix} ${year}` : `${seed.account.name} - ${suffix}`;
}

export function planDeal(seed: DealSeed, randomSeed: number, horizon: number): DealPlan {
  const rng = rngFor(randomSeed, 'deal', seed.key);
  const name = dealName(rng, seed);
  const amount = initialAmount(rng, seed);
  const { steps, stalledVisit } = planStageSteps(rng, seed);
  const visits = visitsOf(steps, stalledVisit, horizon);
  const firstClose = steps.find((step) => isClosedStage(step.stage));
  const openUntil = Math.min(horizon, firstClose ? firstClose.at : horizon);
  let patches = [
    ...stageAndCloseDatePatches(rng, seed, steps, amount, horizon),
    ...amountChanges(rng, seed, amount, openUntil),
    ...overrides(rng, seed, visits, horizon),
    ...plainEdits(rng, seed, openUntil),
  ];
  let activityAt = activityMoments(rng, steps, visits, horizon);
  let deletedAt: number | null = null;
  if (chance(rng, 0.004)) {
    deletedAt = workingTimeAfter(rng, seed.createdAt, lognormal(rng, 4, 0.8), seed.account.region);
    const beforeDeletion = (at: number) => at < deletedAt!;
    patches = patches.filter((patch) => beforeDeletion(patch.at));
    activityAt = activityAt.filter(beforeDeletion);
  }
  patches = patches.filter((patch) => patch.at <= horizon);
  return { ...seed, id: '', name, patches, events: [], activityAt, deletedAt };
}

/** Applies the patches in time order, as Salesforce would: a stage change resets probability and forecast category. */
export function replayDeal(deal: DealPlan): void {
  const patches = [...deal.patches].sort((a, b) => a.at - b.at);
  const events: DealEvent[] = [];
  let state: DealState | null = null;
  for (const patch of patches) {
    const stage = patch.stage ?? state!.stage;
    const stageChanged = state === null || stage !== state.stage;
    const next: DealState = {
      stage,
      amount: patch.amount !== undefined ? patch.amount : state!.amount,
      closeDate: patch.closeDate ?? state!.closeDate,
      probability: patch.probability ?? (stageChanged ? STAGES[stage].probability : state!.probability),
      forecast: patch.forecast ?? (stageChanged ? STAGES[stage].forecastCategoryName : state!.forecast),
    };
    const tracked = state === null || stageChanged || next.amount !== state.amount
      || next.closeDate !== state.closeDate || next.probability !== state.probability;
    events.push({ at: patch.at, byId: patch.byId, state: next, tracked, stageChanged: state !== null && stageChanged, historyId: '' });
    state = next;
  }
  deal.events = events;
}
