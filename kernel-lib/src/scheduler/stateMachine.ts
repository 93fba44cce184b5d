import { hostname } from 'node:os';
import { pipelineEdges, TASK_STATES, type DagRunState, type TaskState } from '@tsfx/protocol';
import { TsfxError } from '../errors';
import { checkRunId } from '../orchestration/runTarget';
import type {
  DagRow,
  DagRunRow,
  RunType,
  SchedulerStore,
  TaskInstanceRow,
  TaskKey,
} from './stateStore';

/**
 * Every state change of task instances and DAG runs, with Airflow's states. Each change is a
 * compare-and-set on the state (and try number) the caller read, inside a write transaction, so
 * two processes (the scheduler, a task process, a CLI) never both move one task: the loser's
 * change does nothing and it learns so (false).
 *
 * Task instance (`null`: no status yet):
 *
 *   null ──▶ scheduled ──▶ queued ──▶ running ──▶ success | skipped | failed | up_for_retry
 *   null ──▶ upstream_failed | skipped   (an upstream failed / was skipped: all_success rule)
 *   queued ──▶ scheduled                 (its process died before starting it: no try used)
 *   up_for_retry ──▶ scheduled           (once the retry delay has passed)
 *
 * DAG run: queued ──▶ running ──▶ success | failed.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskState | 'none', readonly TaskState[]>> = {
  none: ['scheduled', 'upstream_failed', 'skipped'],
  scheduled: ['queued'],
  queued: ['running', 'scheduled'],
  running: ['success', 'skipped', 'failed', 'up_for_retry'],
  up_for_retry: ['scheduled'],
  success: [],
  failed: [],
  upstream_failed: [],
  skipped: [],
};

export const DAG_RUN_TRANSITIONS: Readonly<Record<DagRunState, readonly DagRunState[]>> = {
  queued: ['running'],
  running: ['success', 'failed'],
  success: [],
  failed: [],
};

/** States a task does not leave. */
export const FINISHED_TASK_STATES: readonly TaskState[] = [
  'success',
  'failed',
  'upstream_failed',
  'skipped',
];

export function isFinished(state: TaskState | null): boolean {
  return state !== null && FINISHED_TASK_STATES.includes(state);
}

/**
 * Moves a task instance from `from` to `to` with `changes`, if it is still in `from` (and at
 * `tryNumber`, when given). Throws on a transition the state machine does not have.
 */
export function transitionTask(
  store: SchedulerStore,
  key: TaskKey,
  from: TaskState | null,
  to: TaskState,
  changes: Partial<Omit<TaskInstanceRow, 'dagId' | 'runId' | 'taskId' | 'upstream' | 'state'>> = {},
  tryNumber?: number,
): boolean {
  if (!TASK_TRANSITIONS[from ?? 'none'].includes(to)) {
    throw new Error(`task instance transition ${from ?? 'none'} -> ${to} does not exist`);
  }
  return store.updateTaskInstance(key, { state: from, tryNumber }, { ...changes, state: to });
}

function transitionRun(
  store: SchedulerStore,
  run: DagRunRow,
  to: DagRunState,
  changes: { startDate?: number; endDate?: number | null } = {},
): boolean {
  if (!DAG_RUN_TRANSITIONS[run.state].includes(to)) {
    throw new Error(`DAG run transition ${run.state} -> ${to} does not exist`);
  }
  return store.updateDagRunState(run.id, run.state, { ...changes, state: to });
}

// ---- DAG runs ---------------------------------------------------------------------------------

/** Airflow's run id: `<run type>__<logical date>` (colons as dashes: a run id names folders). */
export function runIdFor(runType: RunType, logicalDate: number): string {
  const iso = new Date(logicalDate).toISOString().replace('.000Z', 'Z').replace(/:/g, '-');
  return `${runType}__${iso}`;
}

export interface NewDagRun {
  runId?: string;
  runType: RunType;
  logicalDate: number;
  dataIntervalStart: number | null;
  dataIntervalEnd: number | null;
  conf: Record<string, unknown>;
}

/**
 * Creates a `queued` run of a DAG, with a task instance (no status yet) per task, from the DAG
 * as it is now (its file, options and IR are kept with the run). A given run id that exists is
 * refused (Airflow's 409); a generated one gets a `-2`, `-3`… suffix when runs start at once.
 */
export function createDagRun(
  store: SchedulerStore,
  dag: DagRow,
  run: NewDagRun,
  now = Date.now(),
): DagRunRow {
  return store.transaction(() => {
    let runId = run.runId;
    if (runId !== undefined) {
      checkRunId(runId);
      if (store.getDagRun(dag.dagId, runId)) {
        throw new ConflictError(
          `DAGRun with DAG ID: '${dag.dagId}' and DAGRun ID: '${runId}' already exists`,
        );
      }
    } else {
      const base = runIdFor(run.runType, run.logicalDate);
      runId = base;
      for (let n = 2; store.getDagRun(dag.dagId, runId); n++) runId = `${base}-${n}`;
    }
    const row: Omit<DagRunRow, 'id'> = {
      dagId: dag.dagId,
      runId,
      runType: run.runType,
      state: 'queued',
      logicalDate: run.logicalDate,
      dataIntervalStart: run.dataIntervalStart,
      dataIntervalEnd: run.dataIntervalEnd,
      queuedAt: now,
      startDate: null,
      endDate: null,
      externalTrigger: run.runType === 'manual',
      conf: run.conf,
      fileloc: dag.fileloc,
      spec: dag.spec,
      ir: dag.ir,
    };
    const id = store.insertDagRun(row);
    const upstream = upstreamTasks(dag);
    for (const component of dag.ir.components) {
      store.insertTaskInstance({
        dagId: dag.dagId,
        runId,
        taskId: component.id,
        maxTries: dag.spec.defaultArgs.retries,
        operator: component.type,
        upstream: upstream.get(component.id) ?? [],
      });
    }
    return { ...row, id };
  });
}

/** A DAG run id that exists already (Airflow answers 409). */
export class ConflictError extends TsfxError {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

function upstreamTasks(dag: DagRow): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const edge of pipelineEdges(dag.ir)) {
    const list = result.get(edge.to) ?? [];
    if (!list.includes(edge.from)) list.push(edge.from);
    result.set(edge.to, list);
  }
  return result;
}

/** queued → running, when the DAG has a free slot (fewer running runs than maxActiveRuns). */
export function startDagRunIfSlot(
  store: SchedulerStore,
  run: DagRunRow,
  now = Date.now(),
): boolean {
  return store.transaction(() => {
    if (store.countDagRuns(run.dagId, 'running') >= run.spec.maxActiveRuns) return false;
    return transitionRun(store, run, 'running', { startDate: now });
  });
}

/**
 * running → success | failed once every task is finished: failed if any task failed or could
 * not run because an upstream failed, else success (skipped tasks count as done). Returns the new
 * state, or null while tasks remain.
 */
export function finishDagRunIfDone(
  store: SchedulerStore,
  run: DagRunRow,
  now = Date.now(),
): DagRunState | null {
  return store.transaction(() => {
    // Counted first: a running run is checked on every change of its tasks, done only once.
    if (store.countTaskInstancesNotIn(run.dagId, run.runId, FINISHED_TASK_STATES) > 0) return null;
    const tasks = store.getTaskInstances(run.dagId, run.runId);
    const failed = tasks.some((t) => t.state === 'failed' || t.state === 'upstream_failed');
    const state = failed ? 'failed' : 'success';
    return transitionRun(store, run, state, { endDate: now }) ? state : null;
  });
}

// ---- task instances ---------------------------------------------------------------------------

/**
 * Airflow's `all_success` trigger rule for the tasks of a running run that have no status yet:
 * upstream_failed if an upstream failed (or could not run), else skipped if an upstream was
 * skipped, else scheduled once every upstream succeeded. Returns the tasks it scheduled.
 */
export function evaluateTriggerRules(
  store: SchedulerStore,
  run: Pick<DagRunRow, 'dagId' | 'runId'>,
  now = Date.now(),
): TaskInstanceRow[] {
  return store.transaction(() => {
    const scheduled: TaskInstanceRow[] = [];
    // Every task has a state already (a run near its end, checked on each task's change).
    if (store.countTaskInstancesNotIn(run.dagId, run.runId, TASK_STATES) === 0) return scheduled;
    // In DAG order, so that a skip or failure reaches every downstream task in one pass.
    const tasks = store.getTaskInstances(run.dagId, run.runId);
    const states = new Map<string, TaskState | null>(tasks.map((ti) => [ti.taskId, ti.state]));
    for (const ti of tasks) {
      if (ti.state !== null) continue;
      const upstream = ti.upstream.map((id) => states.get(id) ?? null);
      let to: TaskState | null = null;
      let error: string | null = null;
      if (upstream.some((s) => s === 'failed' || s === 'upstream_failed')) {
        to = 'upstream_failed';
        const failed = ti.upstream.filter(
          (id, i) => upstream[i] === 'failed' || upstream[i] === 'upstream_failed',
        );
        error = `upstream task(s) failed: ${failed.join(', ')}`;
      } else if (upstream.some((s) => s === 'skipped')) {
        to = 'skipped';
        error = `upstream task(s) skipped: ${ti.upstream.filter((_, i) => upstream[i] === 'skipped').join(', ')}`;
      } else if (upstream.every((s) => s === 'success')) {
        to = 'scheduled';
      }
      if (to === null) continue;
      const ended = to === 'scheduled' ? {} : { endDate: now, startDate: now, error };
      if (transitionTask(store, ti, null, to, ended)) {
        states.set(ti.taskId, to);
        if (to === 'scheduled') scheduled.push({ ...ti, state: 'scheduled' });
      }
    }
    return scheduled;
  });
}

/** scheduled → queued: handed to a task process, known by its liveness socket. */
export function queueTask(
  store: SchedulerStore,
  key: TaskKey,
  livenessSocket: string,
  now = Date.now(),
): boolean {
  return store.transaction(() =>
    transitionTask(store, key, 'scheduled', 'queued', {
      queuedWhen: now,
      livenessSocket,
      hostname: hostname(),
    }),
  );
}

/**
 * queued → running, by the task process itself: the next try begins. Returns its try number, or
 * null when the task is no longer queued for this process (the scheduler took it back).
 */
export function startTask(
  store: SchedulerStore,
  key: TaskKey,
  process: { pid: number; livenessSocket: string },
  now = Date.now(),
): number | null {
  return store.transaction(() => {
    const ti = store.getTaskInstance(key);
    if (!ti || ti.state !== 'queued' || ti.livenessSocket !== process.livenessSocket) return null;
    const tryNumber = ti.tryNumber + 1;
    const moved = transitionTask(
      store,
      key,
      'queued',
      'running',
      {
        tryNumber,
        pid: process.pid,
        livenessSocket: process.livenessSocket,
        hostname: hostname(),
        startDate: now,
        endDate: null,
        nextRetryAt: null,
        executionId: null,
        cached: false,
        error: null,
      },
      ti.tryNumber,
    );
    return moved ? tryNumber : null;
  });
}

export type TaskOutcome =
  | { state: 'success'; executionId: number | null; cached: boolean }
  | { state: 'skipped'; executionId: number | null; reason: string }
  | { state: 'failed'; executionId: number | null; error: string };

/**
 * Ends a running try: success or skipped as reported; a failure becomes up_for_retry while tries
 * remain (try number ≤ retries, as Airflow's `max_tries`), with the retry due after the delay,
 * else failed. Returns the state it ended in, or null when the try had ended already.
 */
export function finishTask(
  store: SchedulerStore,
  key: TaskKey,
  tryNumber: number,
  outcome: TaskOutcome,
  retryDelaySeconds: number,
  now = Date.now(),
): TaskState | null {
  return store.transaction(() => {
    const ti = store.getTaskInstance(key);
    if (!ti || ti.state !== 'running' || ti.tryNumber !== tryNumber) return null;
    const common = { endDate: now, executionId: outcome.executionId };
    let to: TaskState;
    let changes: Parameters<typeof transitionTask>[4];
    if (outcome.state === 'success') {
      to = 'success';
      changes = { ...common, cached: outcome.cached, error: null };
    } else if (outcome.state === 'skipped') {
      to = 'skipped';
      changes = { ...common, error: outcome.reason };
    } else if (tryNumber <= ti.maxTries) {
      to = 'up_for_retry';
      changes = { ...common, error: outcome.error, nextRetryAt: now + retryDelaySeconds * 1000 };
    } else {
      to = 'failed';
      changes = { ...common, error: outcome.error };
    }
    return transitionTask(store, key, 'running', to, changes, tryNumber) ? to : null;
  });
}

/** queued → scheduled: its process died before starting it (no try was used). */
export function requeueOrphan(store: SchedulerStore, key: TaskKey, socket: string | null): boolean {
  return store.transaction(() => {
    const ti = store.getTaskInstance(key);
    if (!ti || ti.state !== 'queued' || ti.livenessSocket !== socket) return false;
    return transitionTask(store, key, 'queued', 'scheduled', {
      queuedWhen: null,
      livenessSocket: null,
      hostname: null,
    });
  });
}

/** up_for_retry → scheduled for every task whose retry delay is over. */
export function scheduleDueRetries(store: SchedulerStore, now = Date.now()): TaskInstanceRow[] {
  return store.transaction(() => {
    const due = store
      .getTaskInstancesInState(['up_for_retry'])
      .filter((ti) => ti.nextRetryAt !== null && ti.nextRetryAt <= now);
    return due.filter((ti) =>
      transitionTask(store, ti, 'up_for_retry', 'scheduled', {}, ti.tryNumber),
    );
  });
}
