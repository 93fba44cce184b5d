/**
 * An error meant for the user: its message is one line that says what is wrong and where
 * (`file:line:column: …` for bad input). The CLI prints it as its last line and exits non-zero.
 */
export class TsfxError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'TsfxError';
  }
}

/** Bad input data: names the file and the 1-based line and column of the problem. */
export class InputError extends TsfxError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(`${file}:${line}${column === null ? '' : `:${column}`}: ${reason}`);
    this.name = 'InputError';
  }
}

/** A pipeline that cannot be built or run as defined (cycles, missing upstreams, bad wiring). */
export class PipelineDefinitionError extends TsfxError {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineDefinitionError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s*\n\s*/g, ' ');
  return String(error);
}

/**
 * Thrown by an executor to skip its component (Airflow's `AirflowSkipException`): the execution
 * is closed as CANCELED with nothing published, the scheduler marks the task `skipped`, and the
 * all_success trigger rule skips the tasks downstream of it.
 */
export class SkipComponent extends TsfxError {
  constructor(reason = 'skipped by its executor') {
    super(reason);
    this.name = 'SkipComponent';
  }
}

/** True for a SkipComponent, also one thrown by another copy of tsfx (checked by name). */
export function isSkip(error: unknown): error is SkipComponent {
  return error instanceof Error && error.name === 'SkipComponent';
}
