/**
 * The mapping step's last step: upload the file through the mapping, and save the mapping
 * only once the upload is in, so a mapping that does not read the file is never saved (the
 * next upload with those headers would be read through it, without the step).
 */
import type { UploadOutcome, UploadProblem } from './upload';

type Answer<T> = { ok: true; value: T } | { ok: false; error: string; problems: UploadProblem[] };

/** Whether the mapping was saved after the upload, and if not, why. */
export type MappingSaved = { name: string; saved: true } | { name: string; saved: false; error: string; problems: UploadProblem[] };

export type MappedUpload =
  | { kind: 'rejected'; outcome: Extract<UploadOutcome, { kind: 'rejected' }> }
  | { kind: 'uploaded'; outcome: Exclude<UploadOutcome, { kind: 'rejected' }>; saved: Answer<{ name: string }> };

/**
 * The upload's form fields: the mapping itself (JSON text, so nothing needs saving first) and
 * `as_of` only when the person changed the date the file gives (`proposed`): an unchanged date
 * stays the file's own, so the same file uploaded again later is the same snapshot.
 */
export function mappedUploadFields(mappingJson: string, asOf: string, proposed: string | null): Record<string, string> {
  const date = asOf.trim();
  return { mapping: mappingJson, ...(date && date !== proposed ? { as_of: date } : {}) };
}

/** Uploads, then saves only when the upload made (or found) a snapshot; a save that fails says so. */
export async function uploadThenSave(upload: () => Promise<UploadOutcome>, save: () => Promise<Answer<{ name: string }>>): Promise<MappedUpload> {
  const outcome = await upload();
  if (outcome.kind === 'rejected') return { kind: 'rejected', outcome };
  const saved = await save().catch((): Answer<{ name: string }> => ({ ok: false, error: 'The server could not be reached.', problems: [] }));
  return { kind: 'uploaded', outcome, saved };
}
