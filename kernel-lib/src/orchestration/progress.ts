import type { ProgressUpdate } from '../pipeline/Component';
import type { ExecutionResult } from './runComponent';

/**
 * Shows one component run to someone: what its executor reports (`log`, `progress`) and how it
 * ended. The caller of `runComponent` picks one (display/progressReporters.ts has a notebook
 * display updated in place, a terminal bar and plain lines); executors never choose.
 */
export interface ProgressReporter {
  log(message: string): void;
  progress(update: ProgressUpdate): void;
  /** Called once when the run is over: its result, or the error it failed with. */
  end(outcome: { result: ExecutionResult } | { error: unknown }): void;
}

/** Shows nothing. */
export const silentReporter: ProgressReporter = {
  log() {},
  progress() {},
  end() {},
};
