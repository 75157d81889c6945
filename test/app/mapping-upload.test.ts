import { describe, expect, it } from 'vitest';
import { mappedUploadFields, uploadThenSave } from '../../app/lib/mapping-upload';
import type { UploadOutcome } from '../../app/lib/upload';

const SNAPSHOT = { snapshot_id: 4, as_of: '2025-03-12T00:00:00Z', crm: 'mapped', export_kind: 'mapped', counts: { deals: 5, open_deals: 1, stage_events: 0, leads: 0 }, ignored_files: [], warnings: [], duplicate: false };

describe('upload through the mapping step', () => {
  it('sends the mapping itself, and the date only when the person changed the one the file gives', () => {
    expect(mappedUploadFields('{"deals":{}}', '2025-03-12', '2025-03-12')).toEqual({ mapping: '{"deals":{}}' });
    expect(mappedUploadFields('{}', '2025-03-31', '2025-03-12')).toEqual({ mapping: '{}', as_of: '2025-03-31' });
    expect(mappedUploadFields('{}', '2017-12-31', null)).toEqual({ mapping: '{}', as_of: '2017-12-31' });
    expect(mappedUploadFields('{}', ' ', '2025-03-12')).toEqual({ mapping: '{}' });
  });

  it('saves the mapping only after the upload is in', async () => {
    const calls: string[] = [];
    const upload = (outcome: UploadOutcome) => async () => (calls.push('upload'), outcome);
    const save = async () => (calls.push('save'), { ok: true as const, value: { name: 'euro-deals' } });

    const rejected: UploadOutcome = { kind: 'rejected', status: 422, error: 'rejected: 1 problem', problems: [{ file: 'd.csv', line: 3, column: 'Value', reason: 'not a number: "12k"' }] };
    expect(await uploadThenSave(upload(rejected), save)).toEqual({ kind: 'rejected', outcome: rejected });
    expect(calls).toEqual(['upload']);

    const created: UploadOutcome = { kind: 'created', snapshot: SNAPSHOT };
    expect(await uploadThenSave(upload(created), save)).toEqual({ kind: 'uploaded', outcome: created, saved: { ok: true, value: { name: 'euro-deals' } } });
    expect(calls).toEqual(['upload', 'upload', 'save']);
  });

  it('says when the upload is in but the mapping could not be saved', async () => {
    const created: UploadOutcome = { kind: 'duplicate', snapshot: { ...SNAPSHOT, duplicate: true } };
    const refused = { ok: false as const, error: 'bad parameter name: letters, digits, . _ - (at most 64)', problems: [] };
    expect(await uploadThenSave(async () => created, async () => refused)).toEqual({ kind: 'uploaded', outcome: created, saved: refused });
    const offline = await uploadThenSave(async () => created, () => Promise.reject(new TypeError('Failed to fetch')));
    expect(offline).toEqual({ kind: 'uploaded', outcome: created, saved: { ok: false, error: 'The server could not be reached.', problems: [] } });
  });
});
