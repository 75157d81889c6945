/** Typed errors the HTTP layer and the CLI map to terse 4xx answers. */

export interface Problem {
  file: string;
  line: number | null;
  column: string | null;
  reason: string;
}

export const MAX_PROBLEMS = 100;

/** An upload that cannot be loaded; nothing was written. */
export class RejectedFileError extends Error {
  readonly status: 415 | 422;
  readonly problems: Problem[];
  constructor(problems: Problem[], status: 415 | 422 = 422) {
    super(problems.length === 1 ? `rejected: ${formatProblem(problems[0])}` : `rejected: ${problems.length} problems`);
    this.name = 'RejectedFileError';
    this.status = status;
    this.problems = problems.slice(0, MAX_PROBLEMS);
  }
}

export class UploadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`upload larger than ${limitBytes} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

export class UnknownMetricError extends Error {
  constructor(readonly metric: string) {
    super(`unknown metric: ${metric}`);
    this.name = 'UnknownMetricError';
  }
}

export class BadParameterError extends Error {
  constructor(readonly parameter: string, reason: string) {
    super(`bad parameter ${parameter}: ${reason}`);
    this.name = 'BadParameterError';
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`not found: ${what}`);
    this.name = 'NotFoundError';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line != null ? `line ${p.line}` : null, p.column ? `column ${p.column}` : null].filter(Boolean).join(', ');
  return `${where}: ${p.reason}`;
}
