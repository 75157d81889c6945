import { OPPORTUNITY } from './objects';
import { classifySalesforceFile, deriveSalesforceLeadStatuses, deriveSalesforceStages, prepareSalesforce } from './prepare';
import type { CrmAdapter } from '../adapter';

/** Salesforce Data Export (the weekly ZIP) and report exports. */
export const salesforce: CrmAdapter = {
  crm: 'salesforce',
  label: 'Salesforce',
  primary: OPPORTUNITY,
  classify: classifySalesforceFile,
  prepare: (conn, staged) => prepareSalesforce(conn, staged),
  dealRows: { table: 'stg_opportunity', id: 'Id' },
  async stages(conn, staged) {
    const stages = await deriveSalesforceStages(conn, staged.has('OpportunityStage'), staged.has('OpportunityHistory'));
    return [{ pipeline: 'default', stages, file: staged.get('Opportunity')!.file, column: 'StageName' }];
  },
  leadStatuses: (conn, staged, settings) => deriveSalesforceLeadStatuses(conn, staged.has('LeadStatus'), settings),
  hasHistory: (staged) => staged.has('OpportunityHistory'),
  exportKind(staged) {
    const opp = staged.get('Opportunity')!;
    return opp.present.has('SystemModstamp') || opp.present.has('StageSortOrder') ? 'data-export' : 'report';
  }
};
