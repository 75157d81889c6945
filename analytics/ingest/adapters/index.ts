import { hubspot } from './hubspot';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';

export type { CrmAdapter } from './adapter';

/** Every CRM Pipelens reads; detection tries them in this order. */
export const ADAPTERS = [salesforce, hubspot, pipedrive];

export const adapterFor = (crm: string) => ADAPTERS.find((a) => a.crm === crm);
