import { createHash } from 'node:crypto';
import type { DagSpec } from '../dagOptions';
import type { TaskOutcome } from '../stateMachine';
import type { TaskKey } from '../stateStore';

/**
 * What the scheduler puts on the queue for one try of one task (Airflow's CeleryExecutor sends
 * the `tasks run` command; here the same facts as data): the task's key and try, and what a
 * worker needs to run it without the scheduler's database — the DAG file and the store, at the
 * same paths on every host (the project checkout and the shared pipeline root), the run's conf.
 */
export interface TaskJob {
  dag: string;
  run: string;
  task: string;
  try: number;
  file: string;
  metadataPath: string;
  logsFolder: string;
  conf: Record<string, unknown>;
  executionTimeoutSeconds: number | null;
  /** When the scheduler queued this try: a second delivery finds the first's execution by it. */
  queuedAt: number;
}

/** What a worker reports when its job ends (the job's return value). */
export type TaskJobResult = TaskOutcome & { hostname: string; pid: number };

/** What a worker reports when a job's task process has started (the job's progress). */
export interface TaskJobStarted {
  started: true;
  hostname: string;
  pid: number;
}

/** Airflow's default queue name. */
export const DEFAULT_QUEUE = 'default';

/** The queue a task's jobs go to: its own (`taskQueues`), its DAG's (`defaultArgs.queue`), or `default`. */
export function queueOf(spec: DagSpec | undefined, taskId: string): string {
  return spec?.taskQueues?.[taskId] ?? spec?.defaultArgs.queue ?? DEFAULT_QUEUE;
}

/** The Redis key prefix of tsfx's queues (BullMQ's default is `bull`). */
export const QUEUE_PREFIX = 'tsfx';

/** The task instance's liveness field while its try is a queued job: `bullmq:<job id>`. */
export const JOB_SOCKET_PREFIX = 'bullmq:';

/**
 * One job id per try of a task: adding the same try twice adds nothing (BullMQ keeps one job
 * per id). A hash, since BullMQ refuses custom ids with `:` and run ids have them.
 */
export function jobIdFor(key: TaskKey, tryNumber: number): string {
  const text = [key.dagId, key.runId, key.taskId, String(tryNumber)].join('\u0000');
  return `t${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

export function taskKeyOf(job: TaskJob): TaskKey {
  return { dagId: job.dag, runId: job.run, taskId: job.task };
}
