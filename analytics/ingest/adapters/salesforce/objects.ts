import type { ObjectSpec } from '../../fields';

/**
 * The Salesforce objects Pipelens reads, with their API field names (Data Export and
 * report exports use them; report exports may use the field labels instead).
 */
export const OPPORTUNITY: ObjectSpec = {
  object: 'Opportunity',
  signature: ['Id', 'StageName', 'CloseDate'],
  fields: [
    { name: 'Id', kind: 'id', required: true, aliases: ['Opportunity ID', 'Opportunity Id'] },
    { name: 'IsDeleted', kind: 'bool' },
    { name: 'Name', kind: 'text', aliases: ['Opportunity Name'] },
    { name: 'AccountId', kind: 'id', aliases: ['Account ID'] },
    { name: 'AccountName', kind: 'text', aliases: ['Account Name'] },
    { name: 'StageName', kind: 'text', required: true, aliases: ['Stage'] },
    { name: 'StageSortOrder', kind: 'number' },
    { name: 'Amount', kind: 'number' },
    { name: 'CurrencyIsoCode', kind: 'text', aliases: ['Opportunity Currency', 'Currency'] },
    { name: 'Probability', kind: 'number', aliases: ['Probability (%)'] },
    { name: 'CloseDate', kind: 'date', required: true, aliases: ['Close Date'] },
    { name: 'Type', kind: 'text' },
    { name: 'LeadSource', kind: 'text', aliases: ['Lead Source'] },
    { name: 'IsClosed', kind: 'bool', aliases: ['Closed'] },
    { name: 'IsWon', kind: 'bool', aliases: ['Won'] },
    { name: 'ForecastCategory', kind: 'text' },
    { name: 'ForecastCategoryName', kind: 'text', aliases: ['Forecast Category'] },
    { name: 'OwnerId', kind: 'id', aliases: ['Owner ID'] },
    { name: 'OwnerName', kind: 'text', aliases: ['Opportunity Owner', 'Owner Name'] },
    { name: 'CreatedDate', kind: 'timestamp', aliases: ['Created Date'] },
    { name: 'LastModifiedDate', kind: 'timestamp', aliases: ['Last Modified Date'] },
    { name: 'SystemModstamp', kind: 'timestamp' },
    { name: 'LastActivityDate', kind: 'date', aliases: ['Last Activity'] },
    { name: 'LastStageChangeDate', kind: 'timestamp', aliases: ['Last Stage Change Date'] }
  ]
};

export const OPPORTUNITY_HISTORY: ObjectSpec = {
  object: 'OpportunityHistory',
  signature: ['OpportunityId', 'StageName', 'CreatedDate'],
  fields: [
    { name: 'OpportunityId', kind: 'id', required: true, aliases: ['Opportunity ID'] },
    { name: 'IsDeleted', kind: 'bool' },
    { name: 'CreatedDate', kind: 'timestamp', required: true, aliases: ['Created Date', 'Last Modified'] },
    { name: 'StageName', kind: 'text', required: true, aliases: ['Stage', 'To Stage'] },
    { name: 'Amount', kind: 'number' },
    { name: 'CloseDate', kind: 'date', aliases: ['Close Date'] },
    { name: 'Probability', kind: 'number', aliases: ['Probability (%)'] },
    { name: 'ForecastCategory', kind: 'text', aliases: ['Forecast Category'] },
    { name: 'SystemModstamp', kind: 'timestamp' }
  ]
};

export const LEAD: ObjectSpec = {
  object: 'Lead',
  signature: ['Id', 'Status', 'IsConverted'],
  fields: [
    { name: 'Id', kind: 'id', required: true, aliases: ['Lead ID'] },
    { name: 'IsDeleted', kind: 'bool' },
    { name: 'Company', kind: 'text' },
    { name: 'LeadSource', kind: 'text', aliases: ['Lead Source'] },
    { name: 'Status', kind: 'text', required: true, aliases: ['Lead Status'] },
    { name: 'OwnerId', kind: 'id', aliases: ['Owner ID'] },
    { name: 'OwnerName', kind: 'text', aliases: ['Lead Owner'] },
    { name: 'IsConverted', kind: 'bool', aliases: ['Converted'] },
    { name: 'ConvertedDate', kind: 'date', aliases: ['Converted Date'] },
    { name: 'ConvertedOpportunityId', kind: 'id' },
    { name: 'CreatedDate', kind: 'timestamp', aliases: ['Create Date', 'Created Date'] },
    { name: 'LastModifiedDate', kind: 'timestamp', aliases: ['Last Modified Date'] },
    { name: 'SystemModstamp', kind: 'timestamp' }
  ]
};

export const CURRENCY_TYPE: ObjectSpec = {
  object: 'CurrencyType',
  signature: ['IsoCode', 'ConversionRate'],
  fields: [
    { name: 'IsoCode', kind: 'text', required: true },
    { name: 'ConversionRate', kind: 'number', required: true },
    { name: 'IsCorporate', kind: 'bool' },
    { name: 'IsActive', kind: 'bool' }
  ]
};

export const OPPORTUNITY_STAGE: ObjectSpec = {
  object: 'OpportunityStage',
  signature: ['MasterLabel', 'DefaultProbability'],
  fields: [
    { name: 'MasterLabel', kind: 'text', required: true },
    { name: 'SortOrder', kind: 'number' },
    { name: 'DefaultProbability', kind: 'number' },
    { name: 'ForecastCategoryName', kind: 'text' },
    { name: 'IsClosed', kind: 'bool', required: true },
    { name: 'IsWon', kind: 'bool', required: true },
    { name: 'IsActive', kind: 'bool' }
  ]
};

export const LEAD_STATUS: ObjectSpec = {
  object: 'LeadStatus',
  signature: ['MasterLabel', 'IsConverted', 'SortOrder'],
  fields: [
    { name: 'MasterLabel', kind: 'text', required: true },
    { name: 'SortOrder', kind: 'number' },
    { name: 'IsConverted', kind: 'bool' },
    { name: 'IsActive', kind: 'bool' }
  ]
};

export const USER: ObjectSpec = {
  object: 'User',
  signature: ['Id', 'Username'],
  fields: [
    { name: 'Id', kind: 'id', required: true },
    { name: 'Name', kind: 'text' },
    { name: 'FirstName', kind: 'text' },
    { name: 'LastName', kind: 'text' }
  ]
};

export const ACCOUNT: ObjectSpec = {
  object: 'Account',
  signature: ['Id', 'BillingCity'],
  fields: [
    { name: 'Id', kind: 'id', required: true },
    { name: 'IsDeleted', kind: 'bool' },
    { name: 'Name', kind: 'text', required: true }
  ]
};

/** In reading order: the same as the file-name lookup keys, lower-cased. */
export const SALESFORCE_OBJECTS: ObjectSpec[] = [
  OPPORTUNITY,
  OPPORTUNITY_HISTORY,
  LEAD,
  CURRENCY_TYPE,
  OPPORTUNITY_STAGE,
  LEAD_STATUS,
  USER,
  ACCOUNT
];
