// One weekly Data Export: the world as it stood at the export instant. Records created
// later are absent, every field shows the value in force at that instant, and history
// stops there.
import { FORECAST_CATEGORY_API, STAGES } from './catalog';
import { userName } from './company';
import { csvAmount, csvBoolean, toCsv } from './csv';
import { EUR_PER_USD, type DealEvent, type DealPlan } from './deals';
import { salesforceId } from './ids';
import type { LeadPlan } from './leads';
import { fiscalPeriod, formatDate, formatTimestamp } from './time';
import type { World } from './world';

/** Index of the last element ≤ `at` in an ascending array (-1 when none). */
function lastIndexAtOrBefore<T>(sorted: readonly T[], at: number, timeOf: (item: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (timeOf(sorted[middle]) <= at) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

const eventTime = (event: DealEvent) => event.at;
const moment = (at: number) => at;
const isDeletedAt = (deletedAt: number | null, asOf: number) => deletedAt !== null && deletedAt <= asOf;

function lastStageChangeUpTo(events: readonly DealEvent[], index: number): DealEvent | undefined {
  for (let i = index; i >= 0; i--) if (events[i].stageChanged) return events[i];
  return undefined;
}

const OPPORTUNITY_HEADER = [
  'Id', 'IsDeleted', 'AccountId', 'Name', 'StageName', 'StageSortOrder', 'Amount', 'CurrencyIsoCode',
  'Probability', 'CloseDate', 'Type', 'LeadSource', 'IsClosed', 'IsWon', 'ForecastCategory',
  'ForecastCategoryName', 'OwnerId', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp',
  'LastActivityDate', 'LastStageChangeDate', 'FiscalYear', 'FiscalQuarter',
];

function opportunityRow(deal: DealPlan, asOf: number): string[] {
  const current = lastIndexAtOrBefore(deal.events, asOf, eventTime);
  const { state, at: lastEditAt } = deal.events[current];
  const stage = STAGES[state.stage];
  const deleted = isDeletedAt(deal.deletedAt, asOf);
  const modifiedAt = deleted ? deal.deletedAt! : lastEditAt;
  const lastStageChange = lastStageChangeUpTo(deal.events, current);
  const lastActivity = lastIndexAtOrBefore(deal.activityAt, asOf, moment);
  const fiscal = fiscalPeriod(state.closeDate);
  return [
    deal.id, csvBoolean(deleted), deal.account.id, deal.name, stage.name, String(stage.sortOrder),
    csvAmount(state.amount), deal.account.currency, String(state.probability), formatDate(state.closeDate),
    deal.type, deal.sourceLabel, csvBoolean(stage.isClosed), csvBoolean(stage.isWon),
    FORECAST_CATEGORY_API[state.forecast], state.forecast, deal.owner.id, formatTimestamp(deal.createdAt),
    formatTimestamp(modifiedAt), formatTimestamp(modifiedAt),
    lastActivity < 0 ? '' : formatDate(deal.activityAt[lastActivity]),
    lastStageChange ? formatTimestamp(lastStageChange.at) : '',
    String(fiscal.year), String(fiscal.quarter),
  ];
}

const HISTORY_HEADER = [
  'Id', 'OpportunityId', 'CreatedById', 'CreatedDate', 'StageName', 'Amount', 'ExpectedRevenue',
  'CloseDate', 'Probability', 'ForecastCategory', 'SystemModstamp', 'IsDeleted',
  'FromOpportunityStageName', 'PrevAmount', 'PrevCloseDate',
];

function historyRows(deal: DealPlan, asOf: number): string[][] {
  const deleted = isDeletedAt(deal.deletedAt, asOf);
  const rows: string[][] = [];
  let previous: DealEvent | null = null;
  for (const event of deal.events) {
    if (event.at > asOf) break;
    if (!event.tracked) continue;
    const { state } = event;
    const expectedRevenue = state.amount === null ? null : (state.amount * state.probability) / 100;
    rows.push([
      event.historyId, deal.id, event.byId, formatTimestamp(event.at), STAGES[state.stage].name,
      csvAmount(state.amount), csvAmount(expectedRevenue), formatDate(state.closeDate), String(state.probability),
      FORECAST_CATEGORY_API[state.forecast], formatTimestamp(deleted ? deal.deletedAt! : event.at), csvBoolean(deleted),
      previous ? STAGES[previous.state.stage].name : '',
      previous ? csvAmount(previous.state.amount) : '',
      previous ? formatDate(previous.state.closeDate) : '',
    ]);
    previous = event;
  }
  return rows;
}

const LEAD_HEADER = [
  'Id', 'IsDeleted', 'FirstName', 'LastName', 'Company', 'LeadSource', 'Status', 'OwnerId', 'IsConverted',
  'ConvertedDate', 'ConvertedAccountId', 'ConvertedOpportunityId', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp',
];

function leadRow(lead: LeadPlan, asOf: number): string[] {
  const status = lead.statusChanges[lastIndexAtOrBefore(lead.statusChanges, asOf, (change) => change.at)].status;
  const modifiedAt = lead.modifiedAt[lastIndexAtOrBefore(lead.modifiedAt, asOf, moment)] ?? lead.createdAt;
  const conversion = lead.conversion !== null && lead.conversion.at <= asOf ? lead.conversion : null;
  return [
    lead.id, csvBoolean(isDeletedAt(lead.deletedAt, asOf)), lead.firstName, lead.lastName, lead.company,
    lead.sourceLabel, status, lead.owner.id, csvBoolean(conversion !== null),
    conversion ? formatDate(conversion.at) : '', conversion ? conversion.account.id : '',
    conversion ? lead.convertedOpportunityId : '',
    formatTimestamp(lead.createdAt), formatTimestamp(modifiedAt), formatTimestamp(modifiedAt),
  ];
}

function stageFile(): string {
  return toCsv(
    ['Id', 'MasterLabel', 'ApiName', 'IsActive', 'SortOrder', 'IsClosed', 'IsWon', 'ForecastCategory', 'ForecastCategoryName', 'DefaultProbability'],
    STAGES.map((stage, index) => [
      salesforceId('01J', index + 1), stage.name, stage.name, '1', String(stage.sortOrder), csvBoolean(stage.isClosed),
      csvBoolean(stage.isWon), FORECAST_CATEGORY_API[stage.forecastCategoryName], stage.forecastCategoryName, String(stage.probability),
    ]),
  );
}

function currencyFile(): string {
  return toCsv(
    ['Id', 'IsoCode', 'ConversionRate', 'DecimalPlaces', 'IsActive', 'IsCorporate'],
    [
      [salesforceId('01L', 1), 'USD', '1.000000', '2', '1', '1'],
      [salesforceId('01L', 2), 'EUR', EUR_PER_USD.toFixed(6), '2', '1', '0'],
    ],
  );
}

export function exportFiles(world: World, asOf: number): Record<string, string> {
  const deals = world.deals.filter((deal) => deal.createdAt <= asOf);
  const leads = world.leads.filter((lead) => lead.createdAt <= asOf);
  const { users, accounts } = world.company;
  return {
    'Account.csv': toCsv(
      ['Id', 'IsDeleted', 'Name', 'Industry', 'BillingCountry', 'OwnerId'],
      accounts.map((account) => [account.id, '0', account.name, account.industry, account.country, account.ownerId]),
    ),
    'CurrencyType.csv': currencyFile(),
    'Lead.csv': toCsv(LEAD_HEADER, leads.map((lead) => leadRow(lead, asOf))),
    'Opportunity.csv': toCsv(OPPORTUNITY_HEADER, deals.map((deal) => opportunityRow(deal, asOf))),
    'OpportunityHistory.csv': toCsv(HISTORY_HEADER, deals.flatMap((deal) => historyRows(deal, asOf))),
    'OpportunityStage.csv': stageFile(),
    'User.csv': toCsv(
      ['Id', 'Name', 'FirstName', 'LastName', 'IsActive', 'UserRoleId'],
      users.map((user) => [user.id, userName(user), user.firstName, user.lastName, csvBoolean(user.leftAt === null || asOf < user.leftAt), user.roleId]),
    ),
  };
}
