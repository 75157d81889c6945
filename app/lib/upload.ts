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

export const ACCEPT = '.csv,.zip,text/csv,application/zip';

/** Files the API can read, by extension; the rest are refused before sending. */
export function acceptedFile(file: { name: string }): boolean {
  return /\.(csv|zip)$/i.test(file.name);
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
