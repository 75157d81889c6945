/** Which CRM an upload comes from, from headers alone; --format forcing one; clear rejections. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { BadParameterError, RejectedFileError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import type { InputFile } from '../../../analytics/ingest/inputs';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, memoryDb } from '../../helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const fixture = (...path: string[]): InputFile => ({ name: path[path.length - 1], bytes: readFileSync(join(FIXTURES, ...path)) });
const HUBSPOT = fixture('hubspot', 'hubspot-crm-exports-all-deals-2024-07-01.csv');
const PIPEDRIVE = fixture('pipedrive', 'deals-2024-07-01.csv');

describe('export detection', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());

  const reject = (files: InputFile[], format?: string) =>
    ingest(db, files, { settings: DEFAULT_SETTINGS, format }).then(
      () => expect.unreachable('accepted'),
      (e: unknown) => {
        expect(e).toBeInstanceOf(RejectedFileError);
        return (e as RejectedFileError).problems;
      }
    );

  it('names the closest format and the columns an unknown CSV lacks', async () => {
    // "Deal Stage" is one of HubSpot's three identifying columns, none of Salesforce's or Pipedrive's
    const problems = await reject([{ name: 'contacts.csv', bytes: enc('First Name,Email,Deal Stage\nAnn,a@b.c,Won\n') }]);
    expect(problems).toEqual([
      {
        file: 'contacts.csv',
        line: null,
        column: null,
        reason: 'not a Salesforce export, nor a HubSpot or Pipedrive deals export: the closest format, HubSpot, lacks Record ID, Deal Name'
      }
    ]);
  });

  it('does not take plain "Deal ID", "Deal name" and "Stage" headers for HubSpot\'s Record ID, Deal Name and Deal Stage', async () => {
    const problems = await reject([{ name: 'deals.csv', bytes: enc('Deal ID,Deal name,Stage\nE1,Alpha,Negotiation\n') }]);
    expect(problems[0].reason).toBe('not a Salesforce export, nor a HubSpot or Pipedrive deals export: the closest format, Salesforce, lacks Id, CloseDate');
  });

  it('says which Pipedrive column is missing from a near-Pipedrive file', async () => {
    const problems = await reject([{ name: 'deals.csv', bytes: enc('"Deal - ID","Deal - Title","Deal - Stage"\n"1","A","Qualified"\n') }]);
    expect(problems[0].reason).toBe('not a Salesforce export, nor a HubSpot or Pipedrive deals export: the closest format, Pipedrive, lacks Deal - Status');
  });

  it('rejects a forced format the files are not', async () => {
    const problems = await reject([HUBSPOT], 'pipedrive');
    // none of Pipedrive's "Deal - …" columns is in a HubSpot export
    expect(problems[0]).toMatchObject({ file: HUBSPOT.name, reason: 'not a Pipedrive export: the closest format, Pipedrive, lacks Deal - ID, Deal - Title, Deal - Stage, Deal - Status' });
  });

  it('rejects two CRMs in one upload', async () => {
    const problems = await reject([HUBSPOT, PIPEDRIVE]);
    expect(problems[0].reason).toBe('HubSpot and Pipedrive exports in one upload: upload them separately, or choose one with the format parameter');
  });

  it('reads each CRM when forced, and asks for a mapping when none fits', async () => {
    const { snapshot } = await ingest(db, [PIPEDRIVE], { settings: DEFAULT_SETTINGS, format: 'pipedrive' });
    expect(snapshot.crm).toBe('pipedrive');
    await expect(ingest(db, [PIPEDRIVE], { settings: DEFAULT_SETTINGS, format: 'mapped' })).rejects.toThrow(BadParameterError);
    await expect(ingest(db, [PIPEDRIVE], { settings: DEFAULT_SETTINGS, format: 'mapped' })).rejects.toThrow('no saved mapping fits these files');
  });
});
