import { describe, expect, it } from 'vitest';
import { acceptedFile, mappableUpload, refusedUpload, toOutcome } from '../../app/lib/upload';

describe('upload outcome', () => {
  it('reads a created and a duplicate snapshot', () => {
    const body = { snapshot_id: 3, as_of: '2023-10-28T20:54:20Z', counts: { deals: 31 }, duplicate: false };
    expect(toOutcome(201, JSON.stringify(body))).toMatchObject({ kind: 'created', snapshot: { snapshot_id: 3 } });
    expect(toOutcome(200, JSON.stringify({ ...body, duplicate: true }))).toMatchObject({ kind: 'duplicate', snapshot: { snapshot_id: 3 } });
  });

  it('reads a rejection with its problems', () => {
    const problems = [{ file: 'Opportunity.csv', line: 2, column: 'CloseDate', reason: 'not a date' }];
    expect(toOutcome(422, JSON.stringify({ error: 'rejected: 1 problem', problems }))).toEqual({ kind: 'rejected', status: 422, error: 'rejected: 1 problem', problems });
  });

  it('reads a refusal of mixed data with the workspace it seems to belong to', () => {
    const error = "this upload is a hubspot export, while this workspace holds a salesforce export; it looks like workspace acme's data. …";
    expect(toOutcome(409, JSON.stringify({ error, belongs_to: 'acme' }))).toEqual({ kind: 'rejected', status: 409, error, problems: [], belongsTo: 'acme' });
    expect(toOutcome(409, JSON.stringify({ error, belongs_to: null }))).toMatchObject({ belongsTo: null });
  });

  it('survives an answer that is not JSON', () => {
    expect(toOutcome(413, 'Payload Too Large')).toEqual({ kind: 'rejected', status: 413, error: 'The upload is too large.', problems: [] });
    expect(toOutcome(502, '')).toEqual({ kind: 'rejected', status: 502, error: 'The server answered 502.', problems: [] });
  });

  it('reads CSV, ZIP and Excel workbooks', () => {
    expect(['Opportunity.CSV', 'export.zip', 'deals.xlsx', 'deals.XLSM', 'export.txt'].map((name) => acceptedFile({ name }))).toEqual([true, true, true, true, true]);
    expect(['LICENSE', 'README.md', 'logo.png', 'deals.xls'].map((name) => acceptedFile({ name }))).toEqual([false, false, false, false]);
  });

  it('sends files it does not read beside ones it does (the snapshot lists them), and refuses an upload of none it reads', () => {
    expect(refusedUpload([{ name: 'LICENSE' }, { name: 'Opportunity.csv' }, { name: 'logo.png' }])).toBeNull();
    expect(refusedUpload([{ name: 'LICENSE' }, { name: 'logo.png' }])).toEqual({
      kind: 'rejected',
      status: 415,
      error: 'Only CSV files, Excel workbooks (.xlsx) and ZIP archives can be uploaded.',
      problems: [
        { file: 'LICENSE', line: null, column: null, reason: 'not a .csv, .xlsx or .zip file' },
        { file: 'logo.png', line: null, column: null, reason: 'not a .csv, .xlsx or .zip file' }
      ]
    });
  });

  it('offers the mapping step every file of an upload in no known format, one file or several', () => {
    const reason = 'not a Salesforce export, nor a HubSpot or Pipedrive deals export: the closest format, Salesforce, lacks Id, StageName, CloseDate';
    const rejected = (file: string) => toOutcome(422, JSON.stringify({ error: 'rejected', problems: [{ file, line: null, column: null, reason }] }));
    const one = [{ name: 'deals.csv' }];
    expect(mappableUpload(rejected('deals.csv'), one)).toEqual({ files: one, name: 'deals.csv' });
    // several: the rejection names the file closest to a CRM's, or all of them; the step finds the deals file
    const three = [{ name: 'leads.csv' }, { name: 'deals.csv' }, { name: 'LICENSE' }];
    expect(mappableUpload(rejected('leads.csv'), three)).toEqual({ files: three, name: 'these 3 files' });
    expect(mappableUpload(rejected('leads.csv, deals.csv, LICENSE'), three)).toEqual({ files: three, name: 'these 3 files' });
    // a ZIP: the rejection names a file inside it
    expect(mappableUpload(rejected('deals.csv'), [{ name: 'export.zip' }])).toEqual({ files: [{ name: 'export.zip' }], name: 'export.zip' });
    // any other outcome offers nothing
    const badDate = toOutcome(422, JSON.stringify({ error: 'rejected', problems: [{ file: 'Opportunity.csv', line: 2, column: 'CloseDate', reason: 'not a date' }] }));
    expect([mappableUpload(badDate, one), mappableUpload(null, one), mappableUpload(rejected('deals.csv'), [])]).toEqual([null, null, null]);
  });
});
