import { describe, expect, it } from 'vitest';
import { acceptedFile, toOutcome } from '../../app/lib/upload';

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

  it('accepts CSV and ZIP files only', () => {
    expect(acceptedFile({ name: 'Opportunity.CSV' })).toBe(true);
    expect(acceptedFile({ name: 'export.zip' })).toBe(true);
    expect(acceptedFile({ name: 'notes.xlsx' })).toBe(false);
  });
});
