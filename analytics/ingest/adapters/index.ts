import { hubspot } from './hubspot/index';
import { pipedrive } from './pipedrive/index';
import { salesforce } from './salesforce/index';

export type { CrmAdapter } from './adapter';

/** Every CRM Pipelens reads; detection tries them in this order. */
export const ADAPTERS = [salesforce, hubspot, pipedrive];

export const adapterFor = (crm: string) => ADAPTERS.find((a) => a.crm === crm);
