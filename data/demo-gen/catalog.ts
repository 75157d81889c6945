// The fixed vocabulary of the simulated org: stages, lead sources, deal types, names.
import type { Region } from './time';

export type ForecastCategoryName = 'Pipeline' | 'Best Case' | 'Commit' | 'Closed' | 'Omitted';

export interface Stage {
  name: string;
  sortOrder: number;
  probability: number;
  forecastCategoryName: ForecastCategoryName;
  isClosed: boolean;
  isWon: boolean;
  /** Median days a deal spends in the stage (open stages only). */
  medianDays: number;
}

/** Salesforce's standard opportunity stages, in sort order. */
export const STAGES: readonly Stage[] = [
  { name: 'Prospecting', sortOrder: 1, probability: 10, forecastCategoryName: 'Pipeline', isClosed: false, isWon: false, medianDays: 9 },
  { name: 'Qualification', sortOrder: 2, probability: 10, forecastCategoryName: 'Pipeline', isClosed: false, isWon: false, medianDays: 9 },
  { name: 'Needs Analysis', sortOrder: 3, probability: 20, forecastCategoryName: 'Pipeline', isClosed: false, isWon: false, medianDays: 12 },
  { name: 'Value Proposition', sortOrder: 4, probability: 50, forecastCategoryName: 'Pipeline', isClosed: false, isWon: false, medianDays: 14 },
  { name: 'Id. Decision Makers', sortOrder: 5, probability: 60, forecastCategoryName: 'Pipeline', isClosed: false, isWon: false, medianDays: 10 },
  { name: 'Perception Analysis', sortOrder: 6, probability: 70, forecastCategoryName: 'Best Case', isClosed: false, isWon: false, medianDays: 8 },
  { name: 'Proposal/Price Quote', sortOrder: 7, probability: 75, forecastCategoryName: 'Best Case', isClosed: false, isWon: false, medianDays: 12 },
  { name: 'Negotiation/Review', sortOrder: 8, probability: 90, forecastCategoryName: 'Commit', isClosed: false, isWon: false, medianDays: 15 },
  { name: 'Closed Won', sortOrder: 9, probability: 100, forecastCategoryName: 'Closed', isClosed: true, isWon: true, medianDays: 0 },
  { name: 'Closed Lost', sortOrder: 10, probability: 0, forecastCategoryName: 'Omitted', isClosed: true, isWon: false, medianDays: 0 },
];

export const LAST_OPEN_STAGE = 7;
export const CLOSED_WON = 8;
export const CLOSED_LOST = 9;

/** Salesforce stores the forecast category's API value beside its label. */
export const FORECAST_CATEGORY_API: Record<ForecastCategoryName, string> = {
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  Commit: 'Forecast',
  Closed: 'Closed',
  Omitted: 'Omitted',
};

export interface LeadSource {
  name: string;
  /** Share of all leads. */
  leadShare: number;
  /** Chance that a lead from this source becomes an opportunity. */
  leadConversion: number;
  /** Share of opportunities created without a lead (existing customers, partners). */
  directShare: number;
  /** Chance that an opportunity from this source, once closed, is won. */
  winRate: number;
}

export const LEAD_SOURCES: readonly LeadSource[] = [
  { name: 'Web', leadShare: 0.33, leadConversion: 0.16, directShare: 0.16, winRate: 0.25 },
  { name: 'Phone Inquiry', leadShare: 0.1, leadConversion: 0.2, directShare: 0.1, winRate: 0.18 },
  { name: 'Partner Referral', leadShare: 0.08, leadConversion: 0.42, directShare: 0.2, winRate: 0.45 },
  { name: 'Employee Referral', leadShare: 0.05, leadConversion: 0.38, directShare: 0.1, winRate: 0.4 },
  { name: 'Trade Show', leadShare: 0.12, leadConversion: 0.14, directShare: 0.14, winRate: 0.2 },
  { name: 'Purchased List', leadShare: 0.22, leadConversion: 0.06, directShare: 0.05, winRate: 0.08 },
  { name: 'Other', leadShare: 0.07, leadConversion: 0.15, directShare: 0.2, winRate: 0.22 },
  { name: '', leadShare: 0.03, leadConversion: 0.12, directShare: 0.05, winRate: 0.2 },
];

/** Hand-typed variants of "Web" found in real orgs that imported leads from spreadsheets. */
export const MISSPELLED_WEB = [' web', 'WEB', 'Web ', 'web'];

export type DealType =
  | 'New Customer'
  | 'Existing Customer - Upgrade'
  | 'Existing Customer - Replacement'
  | 'Existing Customer - Downgrade';

export interface DealTypeProfile {
  type: DealType;
  medianAmountUsd: number;
  /** Multiplies the lead source's win rate. */
  winFactor: number;
  nameSuffixes: readonly string[];
}

export const DEAL_TYPES: Record<DealType, DealTypeProfile> = {
  'New Customer': {
    type: 'New Customer',
    medianAmountUsd: 25_000,
    winFactor: 0.95,
    nameSuffixes: ['New Business', 'Platform', 'Starter Package', 'Enterprise Licence', 'Pilot'],
  },
  'Existing Customer - Upgrade': {
    type: 'Existing Customer - Upgrade',
    medianAmountUsd: 16_000,
    winFactor: 1.3,
    nameSuffixes: ['Upsell', 'Add-on Seats', 'Premium Upgrade', 'Expansion'],
  },
  'Existing Customer - Replacement': {
    type: 'Existing Customer - Replacement',
    medianAmountUsd: 32_000,
    winFactor: 1.1,
    nameSuffixes: ['Renewal', 'Platform Migration', 'Replacement'],
  },
  'Existing Customer - Downgrade': {
    type: 'Existing Customer - Downgrade',
    medianAmountUsd: 8_000,
    winFactor: 1.5,
    nameSuffixes: ['Downsize', 'Reduced Renewal'],
  },
};

export interface SalesRep {
  firstName: string;
  lastName: string;
  region: Region;
  /** Multiplies win rates: some reps close more than others. */
  skill: number;
  /** Left the company part-way through the simulated window (still owns old deals). */
  leaves?: boolean;
}

export const SALES_REPS: readonly SalesRep[] = [
  { firstName: 'Sofía', lastName: 'Núñez', region: 'EMEA', skill: 1.15 },
  { firstName: 'Jonas', lastName: 'Müller', region: 'EMEA', skill: 1.0 },
  { firstName: 'Chloé', lastName: 'Lefèvre', region: 'EMEA', skill: 0.9 },
  { firstName: 'Emma', lastName: 'Lindqvist', region: 'EMEA', skill: 1.05 },
  { firstName: 'Marcus', lastName: 'Webb', region: 'NA', skill: 1.2 },
  { firstName: 'Priya', lastName: 'Raman', region: 'NA', skill: 1.1 },
  { firstName: 'Liam', lastName: "O'Connor", region: 'NA', skill: 0.85 },
  { firstName: 'Mei', lastName: 'Chen', region: 'NA', skill: 1.0 },
  { firstName: 'Daniel', lastName: 'Okafor', region: 'NA', skill: 0.95 },
  { firstName: 'Hannah', lastName: 'Brooks', region: 'NA', skill: 0.8, leaves: true },
  { firstName: 'Tomás', lastName: 'Ortega', region: 'NA', skill: 1.0 },
  { firstName: 'Rachel', lastName: 'Kim', region: 'NA', skill: 0.9 },
];

/** The marketing-automation user whose nightly sync touches records before the export runs. */
export const INTEGRATION_USER = { firstName: 'Integration', lastName: 'User' };

export const INDUSTRIES = [
  'Technology', 'Manufacturing', 'Finance', 'Healthcare', 'Retail',
  'Education', 'Energy', 'Media', 'Transportation', 'Consulting',
];

export const COUNTRIES: Record<'USD' | 'EUR', readonly (readonly [string, number])[]> = {
  USD: [['United States', 0.85], ['Canada', 0.15]],
  EUR: [['Germany', 0.3], ['France', 0.25], ['Spain', 0.15], ['Netherlands', 0.15], ['Italy', 0.1], ['Ireland', 0.05]],
};

/** Names with accents, commas and quotes, so UTF-8 and CSV quoting get exercised. */
export const NOTABLE_ACCOUNT_NAMES: Record<'USD' | 'EUR', readonly string[]> = {
  EUR: ['Diseño Propuesta SL', 'Brücke Analytik GmbH', 'Éclair Systèmes SA', 'Café Órbita SL', 'Nørd Energi BV', 'Société Lumière SARL'],
  USD: ['Smith, Barnes & Co', 'The "Fresh" Grocer Inc.', 'Montréal Façades Ltd'],
};

export const COMPANY_WORDS = {
  first: [
    'Acme', 'Blue', 'Summit', 'Northwind', 'Granite', 'Silver', 'Harbor', 'Pioneer', 'Vertex', 'Cedar',
    'Lumen', 'Atlas', 'Orbit', 'Crescent', 'Redwood', 'Beacon', 'Falcon', 'Meridian', 'Keystone', 'Aurora',
    'Sterling', 'Evergreen', 'Ironclad', 'Bright', 'Polar', 'Cobalt', 'Quantum', 'Riverside', 'Nimbus', 'Horizon',
  ],
  second: [
    'Logistics', 'Analytics', 'Foods', 'Health', 'Robotics', 'Energy', 'Systems', 'Labs', 'Retail', 'Media',
    'Capital', 'Works', 'Networks', 'Dynamics', 'Supply', 'Software', 'Partners', 'Industries', 'Clinics', 'Freight',
  ],
  suffix: {
    USD: ['Inc.', 'LLC', 'Corp.', 'Group', 'Co.'],
    EUR: ['GmbH', 'SA', 'SL', 'BV', 'SpA', 'Ltd', 'AG'],
  },
} as const;

export const PERSON_NAMES = {
  first: [
    'James', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Zoe', 'Mateo', 'Léa',
    'Björn', 'Inés', 'Kenji', 'Aisha', 'Oliver', 'Chloe', 'Felix', 'Nora', 'Diego', 'Amélie',
    'Hugo', 'Sara', 'Ravi', 'Greta', 'Samuel', 'Julia', 'Omar', 'Elena', 'Jakub', 'Fatima',
  ],
  last: [
    'Smith', 'Johnson', 'García', 'Schmidt', 'Rossi', 'Dubois', 'Novak', 'Andersson', 'Patel', 'Nguyen',
    'Brown', 'Martín', 'Kowalski', 'Jansen', 'Murphy', 'Fernández', 'Weiß', 'Moreau', 'Tanaka', 'Silva',
    'Taylor', 'Hoffmann', 'López', 'Eriksen', 'Wilson', "D'Angelo", 'Byrne', 'Costa', 'Meyer', 'Walker',
  ],
} as const;
