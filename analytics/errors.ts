/**
 * Typed errors of the engine. Each carries a kind; the HTTP API, the page hooks and the
 * CLI map kinds to their own answers (a status, an exit code) at the edge, so nothing in
 * the engine knows about HTTP.
 */

export type ErrorKind = 'rejected' | 'unsupported' | 'too-large' | 'bad-parameter' | 'not-found' | 'conflict' | 'forbidden' | 'throttled' | 'unavailable' | 'storage-full';

export interface Problem {
  file: string;
  line: number | null;
  column: string | null;
  reason: string;
}

export const MAX_PROBLEMS = 100;

export abstract class EngineError extends Error {
  abstract readonly kind: ErrorKind;
}

/** An upload that cannot be loaded (unsupported: not a file type Pipelens reads); nothing was written. */
export class RejectedFileError extends EngineError {
  readonly kind: 'rejected' | 'unsupported';
  readonly problems: Problem[];
  constructor(problems: Problem[], kind: 'rejected' | 'unsupported' = 'rejected') {
    super(problems.length === 1 ? `rejected: ${formatProblem(problems[0])}` : `rejected: ${problems.length} problems`);
    this.name = 'RejectedFileError';
    this.kind = kind;
    this.problems = problems.slice(0, MAX_PROBLEMS);
  }
}

/** An upload past a size limit: its bytes, or (with a message naming the file and the limit) what it inflates to. */
export class UploadTooLargeError extends EngineError {
  readonly kind = 'too-large';
  constructor(readonly limitBytes: number, message = `upload larger than ${limitBytes} bytes`) {
    super(message);
    this.name = 'UploadTooLargeError';
  }
}

/** An upload stopped before it was written: past its time limit, its client gone, or the server stopping. Nothing was written. */
export class IngestStoppedError extends EngineError {
  readonly kind = 'unavailable';
  constructor(readonly reason: string) {
    super(`upload stopped, nothing written: ${reason}`);
    this.name = 'IngestStoppedError';
  }
}

export class UnknownMetricError extends EngineError {
  readonly kind = 'not-found';
  constructor(readonly metric: string) {
    super(`unknown metric: ${metric}`);
    this.name = 'UnknownMetricError';
  }
}

export class BadParameterError extends EngineError {
  readonly kind = 'bad-parameter';
  constructor(readonly parameter: string, reason: string) {
    super(`bad parameter ${parameter}: ${reason}`);
    this.name = 'BadParameterError';
  }
}

export class NotFoundError extends EngineError {
  readonly kind = 'not-found';
  constructor(what: string) {
    super(`not found: ${what}`);
    this.name = 'NotFoundError';
  }
}

/**
 * An upload that looks like another organisation's data than the workspace holds (another
 * CRM, org or mapping). `belongsTo` is the workspace whose snapshots it matches, if any.
 */
export class MixedDataError extends EngineError {
  readonly kind = 'conflict';
  constructor(readonly difference: string, readonly belongsTo: string | null) {
    super(`${difference}${belongsTo ? `; it looks like workspace ${belongsTo}'s data` : ''}. Upload it to its own workspace, or load it here anyway with force=1 (CLI: --force)`);
    this.name = 'MixedDataError';
  }
}

/** An operation the state forbids whoever asks (deleting the default workspace, a name taken). */
export class ConflictError extends EngineError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The actor lacks the role an operation needs. */
export class ForbiddenError extends EngineError {
  readonly kind = 'forbidden';
  constructor(readonly needed: string) {
    super(`needs the ${needed} role`);
    this.name = 'ForbiddenError';
  }
}

/** Too many failed attempts (sign-ins) lately: refused without trying, for `retryAfterSeconds`. */
export class TooManyAttemptsError extends EngineError {
  readonly kind = 'throttled';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed attempts: try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}`);
    this.name = 'TooManyAttemptsError';
  }
}

/**
 * The database could not be written: the disk is full (or refuses writes). What was being
 * written was rolled back; the original error is the cause.
 */
export class StorageFullError extends EngineError {
  readonly kind = 'storage-full';
  constructor(cause: unknown) {
    super('the server could not write its data: its disk is full or not writable (nothing was saved); free some space and try again', { cause });
    this.name = 'StorageFullError';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line != null ? `line ${p.line}` : null, p.column ? `column ${p.column}` : null].filter(Boolean).join(', ');
  return `${where}: ${p.reason}`;
}
