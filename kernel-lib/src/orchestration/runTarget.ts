import { randomUUID } from 'node:crypto';
import { TsfxError } from '../errors';

/** Where a component run is recorded: its pipeline (context), pipeline root and run. */
export interface RunTarget {
  pipelineName: string;
  pipelineRoot: string;
  runId: string;
}

/** A new run id: the time it started, then a random suffix (`2026-11-30T10-00-00-000Z-1a2b3c4d`). */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
}

/** A run id given by the user (it names a folder): refused unless it is an id. */
export function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(runId) || runId.includes('..')) {
    throw new TsfxError(
      `run id "${runId}" must start with a letter or digit and hold only letters, digits, _ . -`,
    );
  }
  return runId;
}

/** The name of a run's `pipeline_run` context: `<pipeline>/<run id>`. */
export function runContextName(target: Pick<RunTarget, 'pipelineName' | 'runId'>): string {
  return `${target.pipelineName}/${target.runId}`;
}
