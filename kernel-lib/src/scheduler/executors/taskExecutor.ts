import type { SchedulerPaths } from '../paths';
import type { DagRunRow, SchedulerStore, TaskInstanceRow } from '../stateStore';

/**
 * Where the scheduler's ready tasks run when not in its own task processes (Airflow's executor
 * seam): the scheduler keeps DAG and task state and retries; an executor moves a scheduled try
 * to `queued`, hands it over, and records its start and end as they are reported.
 */
export interface TaskExecutor {
  /** Tries handed over and not ended yet (the scheduler's parallelism counts them). */
  readonly inFlight: number;
  start(): Promise<void>;
  /** True when a task instance's liveness field names one of this executor's tries. */
  owns(livenessSocket: string | null): boolean;
  /** Queues the next try of a scheduled task; false when it was not scheduled any more. */
  submit(ti: TaskInstanceRow, run: DagRunRow): boolean;
  /** Takes over a try an earlier scheduler left queued or running. */
  adopt(ti: TaskInstanceRow, run: DagRunRow | undefined): void;
  close(): Promise<void>;
}

export interface ExecutorContext {
  state: SchedulerStore;
  paths: SchedulerPaths;
  /** A task of this run changed state: the scheduler looks at the run again. */
  onChange(dagId: string, runId: string): void;
  log(line: string): void;
}

export type ExecutorFactory = (context: ExecutorContext) => TaskExecutor;
