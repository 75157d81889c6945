// The fictional B2B company's users and customer accounts.
import {
  COMPANY_WORDS, COUNTRIES, INDUSTRIES, INTEGRATION_USER, NOTABLE_ACCOUNT_NAMES, SALES_REPS,
} from './catalog';
import { salesforceId } from './ids';
import { chance, lognormal, pick, pickWeighted, rngFor, type Rng } from './random';
import type { Region } from './time';

export type Currency = 'USD' | 'EUR';

export interface User {
  id: string;
  firstName: string;
  lastName: string;
  region: Region | null;
  roleId: string;
  skill: number;
  /** When the rep left; they are inactive from then on. */
  leftAt: number | null;
}

export interface Account {
  id: string;
  name: string;
  industry: string;
  country: string;
  currency: Currency;
  region: Region;
  /** Owner after the departed rep's accounts were reassigned (what Account.csv shows). */
  ownerId: string;
  /** Owner when the account's deals were created before that reassignment. */
  originalOwnerId: string;
  /** Relative chance of being the account of a new deal: big customers buy more. */
  weight: number;
}

export interface Company {
  users: User[];
  reps: User[];
  integrationUser: User;
  accounts: Account[];
}

const ROLE_IDS: Record<Region, string> = { EMEA: salesforceId('00E', 1), NA: salesforceId('00E', 2) };

export function userName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`;
}

export function isActiveAt(user: User, at: number): boolean {
  return user.leftAt === null || at < user.leftAt;
}

function createUsers(repLeavesAt: number): { reps: User[]; integrationUser: User } {
  const reps = SALES_REPS.map((rep, index) => ({
    id: salesforceId('005', index + 1),
    firstName: rep.firstName,
    lastName: rep.lastName,
    region: rep.region,
    roleId: ROLE_IDS[rep.region],
    skill: rep.skill,
    leftAt: rep.leaves ? repLeavesAt : null,
  }));
  const integrationUser: User = {
    id: salesforceId('005', 0),
    ...INTEGRATION_USER,
    region: null,
    roleId: '',
    skill: 1,
    leftAt: null,
  };
  return { reps, integrationUser };
}

export function generatedCompanyName(rng: Rng, currency: Currency): string {
  return `${pick(rng, COMPANY_WORDS.first)} ${pick(rng, COMPANY_WORDS.second)} ${pick(rng, COMPANY_WORDS.suffix[currency])}`;
}

function uniqueAccountName(rng: Rng, currency: Currency, taken: Set<string>, notable: string[]): string {
  const reserved = notable.shift();
  if (reserved !== undefined) return reserved;
  for (let attempt = 0; ; attempt++) {
    const base = generatedCompanyName(rng, currency);
    const name = attempt < 20 ? base : `${base} ${attempt}`;
    if (!taken.has(name)) return name;
  }
}

function createAccounts(seed: number, count: number, reps: User[]): Account[] {
  const taken = new Set<string>();
  const notable = { USD: [...NOTABLE_ACCOUNT_NAMES.USD], EUR: [...NOTABLE_ACCOUNT_NAMES.EUR] };
  const accounts: Account[] = [];
  for (let index = 0; index < count; index++) {
    const rng = rngFor(seed, 'account', index);
    const drawnEur = chance(rng, 0.25);
    // The first two accounts pin one per currency, so even a tiny demo has both regions.
    const currency: Currency = index === 0 ? 'EUR' : index === 1 ? 'USD' : drawnEur ? 'EUR' : 'USD';
    const region: Region = currency === 'EUR' ? 'EMEA' : 'NA';
    const name = uniqueAccountName(rng, currency, taken, notable[currency]);
    taken.add(name);
    const regionReps = reps.filter((rep) => rep.region === region);
    const originalOwner = pick(rng, regionReps);
    const stayingReps = regionReps.filter((rep) => rep.leftAt === null);
    const owner = originalOwner.leftAt === null ? originalOwner : pick(rng, stayingReps);
    accounts.push({
      id: salesforceId('001', index + 1),
      name,
      industry: pick(rng, INDUSTRIES),
      country: pickWeighted(rng, COUNTRIES[currency]),
      currency,
      region,
      ownerId: owner.id,
      originalOwnerId: originalOwner.id,
      weight: lognormal(rng, 1, 1),
    });
  }
  return accounts;
}

export function createCompany(seed: number, accountCount: number, repLeavesAt: number): Company {
  const { reps, integrationUser } = createUsers(repLeavesAt);
  return { users: [integrationUser, ...reps], reps, integrationUser, accounts: createAccounts(seed, accountCount, reps) };
}

/** Picks accounts of one region in proportion to their weight. */
export class AccountPicker {
  private readonly byRegion = new Map<Region, { accounts: Account[]; cumulative: number[] }>();

  constructor(accounts: Account[]) {
    for (const region of ['NA', 'EMEA'] as const) {
      const inRegion = accounts.filter((account) => account.region === region);
      let total = 0;
      const cumulative = inRegion.map((account) => (total += account.weight));
      this.byRegion.set(region, { accounts: inRegion, cumulative });
    }
  }

  pick(rng: Rng, region: Region): Account {
    const { accounts, cumulative } = this.byRegion.get(region)!;
    const target = rng() * cumulative[cumulative.length - 1];
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return accounts[low];
  }
}
