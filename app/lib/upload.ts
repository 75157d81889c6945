/**
 * Uploads export files to POST /api/snapshots as multipart with XMLHttpRequest (fetch
 * cannot report upload progress) and turns the answer into an outcome the page shows.
 */

export interface UploadedSnapshot {
  snapshot_id: number;
  as_of: string;
  crm: string;
  export_kind: string;
  counts: { deals: number; open_deals: number; stage_events: number; leads: number };
  ignored_files: string[];
  warnings: string[];
  duplicate: boolean;
  /** the snapshot's data-quality checks (severity ok: passed) */
  quality?: { id: string; severity: 'ok' | 'info' | 'warning' | 'unusable'; sentence: string }[];
}

export interface UploadProblem {
  file: string;
  line: number | null;
  column: string | null;
  reason: string;
}

export type UploadOutcome =
  | { kind: 'created' | 'duplicate'; snapshot: UploadedSnapshot }
  | {
      kind: 'rejected';
      status: number;
      error: string;
      problems: UploadProblem[];
      /** 409: the upload looks like another organisation's data; the workspace it seems to belong to, if any */
      belongsTo?: string | null;
    };

export const ACCEPT = '.csv,.zip,.xlsx,.xlsm,text/csv,application/zip,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Files the API reads, by extension: CSV (or text), ZIP, Excel workbooks. */
export function acceptedFile(file: { name: string }): boolean {
  return /\.(csv|txt|zip|xlsx|xlsm)$/i.test(file.name);
}

/**
 * The refusal of an upload the API could not read at all (no file it reads), before sending;
 * null when it goes: files beside the ones it reads (a LICENSE, a README, an image) go too,
 * and the snapshot lists them as not read.
 */
export function refusedUpload(files: { name: string }[]): UploadOutcome | null {
  if (files.some(acceptedFile)) return null;
  return {
    kind: 'rejected',
    status: 415,
    error: 'Only CSV files, Excel workbooks (.xlsx) and ZIP archives can be uploaded.',
    problems: files.map((f) => ({ file: f.name, line: null, column: null, reason: 'not a .csv, .xlsx or .zip file' }))
  };
}

/** Whether a rejection says a file matches no known format: the mapping step can read it. */
export function unknownFormat(problem: UploadProblem): boolean {
  return problem.reason.startsWith('not a Salesforce export, nor a HubSpot or Pipedrive deals export');
}

/**
 * What the mapping step is offered after a rejection saying the upload is in no known format:
 * every file sent (the step maps the one most like deals, and the upload through the mapping
 * lists the others as not read), named for the offer; null after any other outcome.
 */
export function mappableUpload<F extends { name: string }>(outcome: UploadOutcome | null, sent: F[]): { files: F[]; name: string } | null {
  if (outcome?.kind !== 'rejected' || !sent.length || !outcome.problems.some(unknownFormat)) return null;
  return { files: sent, name: sent.length === 1 ? sent[0].name : `these ${sent.length} files` };
}

/** `fields` are sent as form fields beside the files (`as_of`, `format`, `mapping`). */
export function uploadSnapshot(
  files: File[],
  onProgress: (fraction: number) => void,
  url = '/api/snapshots',
  fields: Record<string, string> = {}
): Promise<UploadOutcome> {
  const body = new FormData();
  for (const file of files) body.append('files', file, file.name);
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      onProgress(1);
      resolve(toOutcome(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => resolve({ kind: 'rejected', status: 0, error: 'The upload failed: the server could not be reached.', problems: [] });
    xhr.onabort = () => resolve({ kind: 'rejected', status: 0, error: 'The upload was cancelled.', problems: [] });
    xhr.send(body);
  });
}

export function toOutcome(status: number, text: string): UploadOutcome {
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  if ((status === 200 || status === 201) && json && typeof json.snapshot_id === 'number') {
    const snapshot = json as unknown as UploadedSnapshot;
    return { kind: snapshot.duplicate ? 'duplicate' : 'created', snapshot };
  }
  const error = typeof json?.error === 'string' ? json.error : status === 413 ? 'The upload is too large.' : `The server answered ${status}.`;
  const problems = Array.isArray(json?.problems) ? (json.problems as UploadProblem[]) : [];
  const belongsTo = typeof json?.belongs_to === 'string' ? json.belongs_to : null;
  return { kind: 'rejected', status, error, problems, ...(status === 409 ? { belongsTo } : {}) };
}
