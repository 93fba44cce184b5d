import { existsSync } from 'node:fs';
import {
  DAG_RUN_STATES,
  pipelineEdges,
  type DAG,
  type DAGDetail,
  type DAGRun,
  type DagRunState,
  type ImportError,
  type Task,
  type TaskArtifact,
  type TaskInstance,
  type TaskLog,
  type TriggerDAGRun,
} from '@tsfx/protocol';
import { MetadataStore } from '../../metadata/MetadataStore';
import { ConflictError, createDagRun } from '../stateMachine';
import { manualDataInterval, scheduleDescription, scheduleInterval } from '../schedule';
import type { SchedulerPaths } from '../paths';
import type { DagRow, DagRunRow, SchedulerStore, TaskInstanceRow } from '../stateStore';
import { readTaskLog, taskLogPath } from '../taskLog';

/**
 * The scheduler's API as functions over its store, returning Airflow's shapes (the contract in
 * protocol/src/api/scheduler.ts). The HTTP server serves these; the CLI calls them directly when
 * no scheduler runs, and through the server when one does.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export interface ServiceHooks {
  /** Something changed that the scheduler should act on now (a trigger, an unpause). */
  onChange(dagId?: string, runId?: string): void;
  /** Brings the DAG bag up to date first (the CLI without a scheduler parses the folder). */
  refresh(): Promise<void>;
}

export class SchedulerService {
  private readonly stores = new Map<string, MetadataStore>();
  /** Closing the service closes the state store too (the CLI's own, not the scheduler's). */
  ownsState = false;

  constructor(
    readonly state: SchedulerStore,
    readonly paths: SchedulerPaths,
    private readonly hooks: ServiceHooks,
  ) {}

  close(): void {
    for (const store of this.stores.values()) store.close();
    this.stores.clear();
    if (this.ownsState) this.state.close();
  }

  // ---- DAGs ---------------------------------------------------------------------------------

  async listDags(): Promise<DAG[]> {
    await this.hooks.refresh();
    return this.state.getDags().map((dag) => this.dagShape(dag));
  }

  async getDag(dagId: string): Promise<DAG> {
    await this.hooks.refresh();
    return this.dagShape(this.dag(dagId));
  }

  async getDagDetail(dagId: string): Promise<DAGDetail> {
    await this.hooks.refresh();
    const dag = this.dag(dagId);
    const { spec } = dag;
    return {
      ...this.dagShape(dag),
      start_date: iso(spec.startDate),
      catchup: spec.catchup,
      params: spec.params,
      default_args: {
        retries: spec.defaultArgs.retries,
        retry_delay: spec.defaultArgs.retryDelaySeconds,
        execution_timeout: spec.defaultArgs.executionTimeoutSeconds,
      },
    };
  }

  async patchDag(dagId: string, isPaused: boolean): Promise<DAG> {
    await this.hooks.refresh();
    this.dag(dagId);
    this.state.setPaused(dagId, isPaused);
    this.hooks.onChange();
    return this.dagShape(this.dag(dagId));
  }

  async listTasks(dagId: string): Promise<Task[]> {
    await this.hooks.refresh();
    const dag = this.dag(dagId);
    const edges = pipelineEdges(dag.ir);
    return dag.ir.components.map((component) => ({
      task_id: component.id,
      class_ref: { class_name: component.type, module_path: null },
      downstream_task_ids: [
        ...new Set(edges.filter((e) => e.from === component.id).map((e) => e.to)),
      ],
      retries: dag.spec.defaultArgs.retries,
      tsfx: {
        inputs: Object.fromEntries(
          Object.entries(component.inputs).map(([key, input]) => [key, input.channel]),
        ),
        outputs: component.outputs,
      },
    }));
  }

  async listImportErrors(): Promise<ImportError[]> {
    await this.hooks.refresh();
    return this.state.getImportErrors().map((e) => ({
      import_error_id: e.importErrorId,
      timestamp: new Date(e.timestamp).toISOString(),
      filename: e.filename,
      stack_trace: e.stackTrace,
    }));
  }

  // ---- DAG runs -----------------------------------------------------------------------------

  async listRuns(dagId: string, state?: string): Promise<DAGRun[]> {
    await this.hooks.refresh();
    this.dag(dagId, { inactive: true });
    if (state !== undefined && !(DAG_RUN_STATES as readonly string[]).includes(state)) {
      throw new ApiProblem(
        400,
        'Bad Request',
        `state: expected one of ${DAG_RUN_STATES.join(', ')}, got "${state}"`,
      );
    }
    const states = state === undefined ? undefined : [state as DagRunState];
    return this.state.getDagRuns({ dagId, states }).map(runShape);
  }

  async getRun(dagId: string, runId: string): Promise<DAGRun> {
    return runShape(this.run(dagId, runId));
  }

  async trigger(dagId: string, body: TriggerDAGRun): Promise<DAGRun> {
    await this.hooks.refresh();
    const dag = this.dag(dagId);
    const logicalDate =
      body.logical_date === undefined ? Date.now() : Date.parse(body.logical_date);
    if (Number.isNaN(logicalDate)) {
      throw new ApiProblem(
        400,
        'Bad Request',
        `logical_date: expected an ISO date, got "${body.logical_date}"`,
      );
    }
    try {
      const run = createDagRun(this.state, dag, {
        runId: body.dag_run_id,
        runType: 'manual',
        logicalDate,
        ...manualDataInterval(dag.spec.schedule, logicalDate),
        conf: body.conf ?? {},
      });
      this.hooks.onChange(run.dagId, run.runId);
      return runShape(run);
    } catch (error) {
      if (error instanceof ConflictError) throw new ApiProblem(409, 'Conflict', error.message);
      if (error instanceof Error && /run id/.test(error.message)) {
        throw new ApiProblem(400, 'Bad Request', `dag_run_id: ${error.message}`);
      }
      throw error;
    }
  }

  // ---- task instances -----------------------------------------------------------------------

  async listTaskInstances(dagId: string, runId: string): Promise<TaskInstance[]> {
    const run = this.run(dagId, runId);
    return this.state.getTaskInstances(dagId, runId).map((ti) => this.taskInstanceShape(run, ti));
  }

  async getTaskInstance(dagId: string, runId: string, taskId: string): Promise<TaskInstance> {
    const run = this.run(dagId, runId);
    return this.taskInstanceShape(run, this.taskInstance(dagId, runId, taskId));
  }

  /** A try's log from byte `token` on (Airflow's continuation token). */
  async getLog(
    dagId: string,
    runId: string,
    taskId: string,
    tryNumber: number,
    token?: string,
  ): Promise<TaskLog> {
    this.run(dagId, runId);
    const ti = this.taskInstance(dagId, runId, taskId);
    if (!Number.isInteger(tryNumber) || tryNumber < 1 || tryNumber > Math.max(ti.tryNumber, 0)) {
      throw new ApiProblem(
        404,
        'Not Found',
        `Task instance ${dagId}/${runId}/${taskId} has no try ${tryNumber} (tries so far: ${ti.tryNumber})`,
      );
    }
    const offset = token === undefined ? 0 : Number(token);
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ApiProblem(
        400,
        'Bad Request',
        `token: expected a continuation token from an earlier answer, got "${token}"`,
      );
    }
    const { content, next } = readTaskLog(
      taskLogPath(this.paths.logsFolder, ti, tryNumber),
      offset,
    );
    return { content, continuation_token: String(next) };
  }

  // ---- shapes -------------------------------------------------------------------------------

  private dag(dagId: string, options: { inactive?: boolean } = {}): DagRow {
    const dag = this.state.getDag(dagId);
    if (!dag || (!dag.isActive && !options.inactive)) {
      throw new ApiProblem(404, 'DAG not found', `DAG with dag_id: '${dagId}' not found`);
    }
    return dag;
  }

  private run(dagId: string, runId: string): DagRunRow {
    const run = this.state.getDagRun(dagId, runId);
    if (!run) {
      throw new ApiProblem(
        404,
        'DAGRun not found',
        `DAGRun with DAG ID: '${dagId}' and DagRun ID: '${runId}' not found`,
      );
    }
    return run;
  }

  private taskInstance(dagId: string, runId: string, taskId: string): TaskInstanceRow {
    const ti = this.state.getTaskInstance({ dagId, runId, taskId });
    if (!ti) {
      throw new ApiProblem(
        404,
        'Task instance not found',
        `Task instance ${taskId} of DAG ${dagId}, run ${runId} not found`,
      );
    }
    return ti;
  }

  private dagShape(dag: DagRow): DAG {
    const last = this.state.latestDagRun(dag.dagId);
    const hasErrors = this.state.getImportErrors().some((e) => e.filename === dag.fileloc);
    return {
      dag_id: dag.dagId,
      is_paused: dag.isPaused,
      is_active: dag.isActive,
      fileloc: dag.fileloc,
      description: dag.spec.description,
      schedule_interval: scheduleInterval(dag.spec.schedule),
      timetable_description: scheduleDescription(dag.spec.schedule),
      tags: dag.spec.tags.map((name) => ({ name })),
      max_active_runs: dag.spec.maxActiveRuns,
      has_import_errors: hasErrors,
      next_dagrun: iso(dag.nextDagrun),
      tsfx: {
        last_run_id: last?.runId ?? null,
        last_run_state: last?.state ?? null,
        pipeline_name: dag.ir.name,
      },
    };
  }

  private taskInstanceShape(run: DagRunRow, ti: TaskInstanceRow): TaskInstance {
    const duration =
      ti.startDate !== null && ti.endDate !== null ? (ti.endDate - ti.startDate) / 1000 : null;
    return {
      task_id: ti.taskId,
      dag_id: ti.dagId,
      dag_run_id: ti.runId,
      execution_date: iso(run.logicalDate),
      start_date: iso(ti.startDate),
      end_date: iso(ti.endDate),
      duration,
      state: ti.state,
      try_number: ti.tryNumber,
      max_tries: ti.maxTries,
      hostname: ti.hostname,
      operator: ti.operator,
      queued_when: iso(ti.queuedWhen),
      pid: ti.pid,
      tsfx: {
        cached: ti.cached,
        execution_id: ti.executionId,
        artifacts: this.artifacts(run.ir.metadataPath, ti.executionId),
      },
    };
  }

  private artifacts(metadataPath: string, executionId: number | null): TaskArtifact[] {
    if (executionId === null || !existsSync(metadataPath)) return [];
    let store = this.stores.get(metadataPath);
    if (!store) {
      store = new MetadataStore(metadataPath);
      this.stores.set(metadataPath, store);
    }
    const result: TaskArtifact[] = [];
    for (const [key, artifacts] of store.getOutputs(executionId)) {
      for (const a of artifacts) {
        result.push({
          id: a.id,
          key,
          type: a.type,
          uri: a.uri,
          state: a.state,
          properties: a.properties,
        });
      }
    }
    return result;
  }
}

function runShape(run: DagRunRow): DAGRun {
  return {
    dag_run_id: run.runId,
    dag_id: run.dagId,
    logical_date: iso(run.logicalDate),
    execution_date: iso(run.logicalDate),
    start_date: iso(run.startDate),
    end_date: iso(run.endDate),
    data_interval_start: iso(run.dataIntervalStart),
    data_interval_end: iso(run.dataIntervalEnd),
    run_type: run.runType,
    state: run.state,
    external_trigger: run.externalTrigger,
    conf: run.conf,
  };
}
