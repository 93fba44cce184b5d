import { chmodSync, existsSync } from 'node:fs';
import type { HealthInfo } from '@tsfx/protocol';
import { hostname } from 'node:os';
import { TsfxError, errorMessage } from '../errors';
import { removeDeadSocket, socketIsAlive } from '../orchestration/liveness';
import { MetadataStore } from '../metadata/MetadataStore';
import { isPostgresUrl } from '../metadata/location';
import { recoverInterruptedExecutions } from '../orchestration/runComponent';
import { nextRunFor, refreshDagBag } from './dagBag';
import type { SchedulerPaths } from './paths';
import {
  ConflictError,
  createDagRun,
  evaluateTriggerRules,
  finishDagRunIfDone,
  finishTask,
  queueTask,
  requeueOrphan,
  runIdFor,
  scheduleDueRetries,
  startDagRunIfSlot,
} from './stateMachine';
import { SchedulerStore, type DagRow, type DagRunRow, type TaskKey } from './stateStore';
import { WorkerPool, type TaskProcess } from './workerPool';
import type { RunAssignment } from './workerProtocol';
import { startApiServer, type ApiServer } from './api/server';
import type { ExecutorFactory, TaskExecutor } from './executors/taskExecutor';
import { SchedulerService } from './api/service';

export interface SchedulerOptions {
  paths: SchedulerPaths;
  /** How many tasks run at once (Airflow's `parallelism`). */
  parallelism: number;
  /** Task processes kept loaded and waiting (default: parallelism). */
  poolSize?: number;
  /** How often the dags folder is checked for changed files (ms). */
  dagRefreshMs?: number;
  log?: (line: string) => void;
  /** Where tasks run when not in the scheduler's own task processes (e.g. a Redis queue). */
  executor?: ExecutorFactory;
}

interface OwnTask {
  key: TaskKey;
  process: TaskProcess;
  timeoutTimer: NodeJS.Timeout | null;
  timedOut: boolean;
  timeoutSeconds: number | null;
  /** Its end is recorded and its process is ending: its slot is free (its exit is still watched). */
  finished: boolean;
}

const keyOf = (key: TaskKey): string => `${key.dagId}\u0000${key.runId}\u0000${key.taskId}`;
const runKey = (dagId: string, runId: string): string => `${dagId}\u0000${runId}`;

/** A grace after the execution timeout for the task to end itself before it is killed. */
const KILL_GRACE_MS = 10_000;

/**
 * The scheduler: one per ML Metadata store. It keeps the DAG bag current, creates runs on
 * schedule (and the API creates them on trigger), moves tasks through their states, hands ready
 * tasks to task processes (up to `parallelism` at once), and serves the API on a Unix socket.
 */
export class Scheduler {
  readonly state: SchedulerStore;
  private readonly pool: WorkerPool;
  private readonly own = new Map<string, OwnTask>();
  /** Tasks found running at start whose process (from an earlier scheduler) still lives. */
  private readonly adopted = new Map<string, { key: TaskKey; socket: string }>();
  private readonly dirtyRuns = new Set<string>();
  private server: ApiServer | null = null;
  private tickScheduled = false;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private lastSweep = 0;
  private readonly log: (line: string) => void;
  private readonly executor: TaskExecutor | null;

  constructor(private readonly options: SchedulerOptions) {
    this.log = options.log ?? (() => {});
    this.state = new SchedulerStore(options.paths.stateDb);
    this.executor =
      options.executor?.({
        state: this.state,
        paths: options.paths,
        onChange: (dagId, runId) => {
          this.dirtyRuns.add(runKey(dagId, runId));
          this.wake();
        },
        log: this.log,
      }) ?? null;
    this.pool = new WorkerPool(options.paths.stateDb, options.poolSize ?? options.parallelism, () =>
      this.wake(),
    );
  }

  get paths(): SchedulerPaths {
    return this.options.paths;
  }

  /** Takes the store (refusing when another scheduler holds it), recovers, and starts. */
  async start(): Promise<void> {
    const service = new SchedulerService(this.state, this.paths, {
      onChange: (dagId, runId) => {
        if (dagId && runId) this.dirtyRuns.add(runKey(dagId, runId));
        this.wake();
      },
      refresh: async () => {},
    });
    await this.executor?.start();
    this.server = await this.takeStore(service);
    this.log(`task processes start ${this.pool.startMode}`);
    this.pool.fill();
    await this.recover();
    await this.refreshDags();
    this.pollTimer = setInterval(() => this.wake(), 1000);
    this.refreshTimer = setInterval(
      () => void this.refreshDags(),
      this.options.dagRefreshMs ?? 2000,
    );
    this.wake();
  }

  /**
   * The single-scheduler lock: in one write transaction of the state store, the recorded
   * scheduler's API socket is tried; if it answers, that scheduler lives and this one refuses,
   * naming it; else this one listens and records itself. A dead scheduler's socket refuses
   * connections at once (the kernel closes it at death, zombie or not).
   */
  private async takeStore(service: SchedulerService): Promise<ApiServer> {
    const { paths } = this;
    const db = this.state.db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const job = this.state.getSchedulerJob();
      const holder = job && (await socketIsAlive(job.socket)) ? job : null;
      if (holder || (existsSync(paths.socket) && (await socketIsAlive(paths.socket)))) {
        const who = holder
          ? `pid ${holder.pid} on ${holder.hostname}, dags folder ${holder.dagsFolder}, since ${new Date(holder.startDate).toISOString()}`
          : 'another process';
        throw new TsfxError(
          `a scheduler is running already for ${paths.metadataPath} (${who}), listening on ${paths.socket}: stop it first`,
        );
      }
      removeDeadSocket(paths.socket);
      const server = await startApiServer(service, paths.socket, () => this.health());
      chmodSync(paths.socket, 0o600);
      this.state.setSchedulerJob({
        pid: process.pid,
        hostname: hostname(),
        socket: paths.socket,
        dagsFolder: paths.dagsFolder,
        startDate: Date.now(),
        latestHeartbeat: Date.now(),
      });
      db.exec('COMMIT');
      return server;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * What an earlier scheduler left in flight: a task whose process still answers on its socket
   * is adopted (it records its own end); a queued task whose process is gone is scheduled again
   * (no try was used); a running task whose process is gone failed (up for retry if it has
   * tries left). Executions its process left RUNNING in ML Metadata are closed and cleaned.
   */
  private async recover(): Promise<void> {
    for (const ti of this.state.getTaskInstancesInState(['queued', 'running'])) {
      if (this.executor?.owns(ti.livenessSocket)) {
        this.executor.adopt(ti, this.state.getDagRun(ti.dagId, ti.runId));
        continue;
      }
      if (ti.livenessSocket && (await socketIsAlive(ti.livenessSocket))) {
        this.adopted.set(keyOf(ti), { key: ti, socket: ti.livenessSocket });
        this.log(
          `adopted ${ti.dagId}/${ti.runId}/${ti.taskId}: its process (pid ${ti.pid ?? '?'}) still runs`,
        );
        continue;
      }
      this.closeDeadTask(
        ti,
        `its process (pid ${ti.pid ?? '?'}) ended without recording an end: killed or crashed`,
      );
    }
    await this.recoverExecutions();
  }

  private closeDeadTask(
    ti: {
      dagId: string;
      runId: string;
      taskId: string;
      state: string | null;
      tryNumber: number;
      livenessSocket: string | null;
      executionId: number | null;
    },
    why: string,
  ): void {
    if (ti.state === 'queued') {
      if (requeueOrphan(this.state, ti, ti.livenessSocket)) {
        this.log(`${ti.dagId}/${ti.runId}/${ti.taskId}: queued, ${why}: scheduled again`);
      }
    } else if (ti.state === 'running') {
      const run = this.state.getDagRun(ti.dagId, ti.runId);
      const ended = finishTask(
        this.state,
        ti,
        ti.tryNumber,
        { state: 'failed', executionId: ti.executionId, error: `try ${ti.tryNumber}: ${why}` },
        run?.spec.defaultArgs.retryDelaySeconds ?? 0,
      );
      if (ended) this.log(`${ti.dagId}/${ti.runId}/${ti.taskId}: ${why}: ${ended}`);
    }
    this.dirtyRuns.add(runKey(ti.dagId, ti.runId));
  }

  /** Closes the ML Metadata executions of dead processes (and removes what they half wrote). */
  private async recoverExecutions(): Promise<void> {
    const stores = new Set(this.state.getDags({ all: true }).map((d) => d.ir.metadataPath));
    stores.add(this.paths.metadataPath);
    for (const path of stores) {
      if (!isPostgresUrl(path) && !existsSync(path)) continue;
      const store = new MetadataStore(path);
      try {
        await recoverInterruptedExecutions(store);
      } finally {
        store.close();
      }
    }
  }

  private async refreshDags(): Promise<void> {
    if (this.refreshing || this.stopped) return this.refreshing ?? undefined;
    this.refreshing = (async () => {
      try {
        const parsed = await refreshDagBag(this.state, this.paths.dagsFolder, (file) =>
          this.pool.parse(file, this.paths.metadataPath),
        );
        if (parsed > 0) this.log(`parsed ${parsed} DAG file(s) in ${this.paths.dagsFolder}`);
      } catch (error) {
        this.log(`error while reading the dags folder: ${errorMessage(error)}`);
      } finally {
        this.refreshing = null;
      }
      this.wake();
    })();
    return this.refreshing;
  }

  health(): HealthInfo {
    const job = this.state.getSchedulerJob();
    const beat = job?.latestHeartbeat ?? null;
    return {
      metadatabase: { status: 'healthy' },
      scheduler: {
        status: beat !== null && Date.now() - beat < 30_000 ? 'healthy' : 'unhealthy',
        latest_scheduler_heartbeat: beat === null ? null : new Date(beat).toISOString(),
      },
      tsfx: {
        pid: process.pid,
        dags_folder: this.paths.dagsFolder,
        metadata_path: this.paths.metadataPath,
        parallelism: this.options.parallelism,
      },
    };
  }

  /** Runs the loop soon (coalesced): after a trigger, a task's end, a free process, a timer. */
  wake(): void {
    if (this.tickScheduled || this.stopped) return;
    this.tickScheduled = true;
    setImmediate(() => {
      this.tickScheduled = false;
      try {
        this.tick();
      } catch (error) {
        this.log(`scheduler loop error: ${errorMessage(error)}`);
      }
    });
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    const sweep = now - this.lastSweep >= 1000;
    const dags = new Map(this.state.getDags().map((d) => [d.dagId, d]));
    this.createScheduledRuns(dags, now);
    for (const ti of scheduleDueRetries(this.state, now))
      this.dirtyRuns.add(runKey(ti.dagId, ti.runId));
    for (const run of this.state.getDagRuns({ states: ['queued'] })) {
      const dag = dags.get(run.dagId);
      if (dag && !dag.isPaused && startDagRunIfSlot(this.state, run, now)) {
        this.log(`run ${run.dagId}/${run.runId} started`);
        // Task processes waiting in the pool load its DAG file now, before its tasks come.
        this.pool.preload(run.fileloc);
        this.dirtyRuns.add(runKey(run.dagId, run.runId));
      }
    }
    const running = sweep
      ? this.state.getDagRuns({ states: ['running'] })
      : [...this.dirtyRuns]
          .map((k) => k.split('\u0000'))
          .map(([dagId, runId]) => this.state.getDagRun(dagId, runId))
          .filter((r): r is DagRunRow => r?.state === 'running');
    this.dirtyRuns.clear();
    for (const run of running) {
      if (dags.get(run.dagId)?.isPaused) continue;
      evaluateTriggerRules(this.state, run, now);
      const ended = finishDagRunIfDone(this.state, run, now);
      if (ended) this.log(`run ${run.dagId}/${run.runId} ${ended}`);
    }
    this.dispatch(dags);
    if (sweep) {
      this.lastSweep = now;
      this.state.heartbeat(process.pid, now);
      void this.checkAdopted();
    }
  }

  private createScheduledRuns(dags: Map<string, DagRow>, now: number): void {
    for (const dag of dags.values()) {
      if (dag.isPaused || dag.nextDagrunCreateAfter === null || dag.nextDagrunCreateAfter > now)
        continue;
      const active =
        this.state.countDagRuns(dag.dagId, 'queued') +
        this.state.countDagRuns(dag.dagId, 'running');
      if (active >= dag.spec.maxActiveRuns) continue;
      const next = nextRunFor(this.state, dag.spec, now);
      if (next && next.runAfter <= now) {
        try {
          const run = createDagRun(
            this.state,
            dag,
            {
              runId: runIdFor('scheduled', next.logicalDate),
              runType: 'scheduled',
              logicalDate: next.logicalDate,
              dataIntervalStart: next.dataIntervalStart,
              dataIntervalEnd: next.dataIntervalEnd,
              conf: {},
            },
            now,
          );
          this.log(`created ${run.dagId}/${run.runId}`);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
      const after = nextRunFor(this.state, dag.spec, now);
      this.state.setNextDagrun(dag.dagId, after?.logicalDate ?? null, after?.runAfter ?? null);
    }
  }

  private dispatch(dags: Map<string, DagRow>): void {
    if (this.executor) return this.dispatchTo(this.executor, dags);
    let running = 0;
    for (const task of this.own.values()) if (!task.finished) running++;
    let slots = this.options.parallelism - running - this.adopted.size;
    if (slots <= 0) return;
    const runs = new Map<string, DagRunRow | undefined>();
    for (const ti of this.state.getTaskInstancesInState(['scheduled'])) {
      if (slots <= 0) break;
      const dag = dags.get(ti.dagId);
      if (!dag || dag.isPaused) continue;
      const k = runKey(ti.dagId, ti.runId);
      if (!runs.has(k)) runs.set(k, this.state.getDagRun(ti.dagId, ti.runId));
      const run = runs.get(k);
      if (!run || run.state !== 'running') continue;
      const worker = this.pool.take();
      if (!worker) {
        this.pool.preload(run.fileloc);
        return;
      }
      if (!queueTask(this.state, ti, worker.socket)) {
        worker.child.kill('SIGTERM');
        continue;
      }
      this.launch(ti, run, worker);
      slots--;
    }
  }

  /** Hands scheduled tasks of running runs to the executor, up to `parallelism` in flight. */
  private dispatchTo(executor: TaskExecutor, dags: Map<string, DagRow>): void {
    let slots = this.options.parallelism - executor.inFlight;
    const runs = new Map<string, DagRunRow | undefined>();
    for (const ti of this.state.getTaskInstancesInState(['scheduled'])) {
      if (slots <= 0) break;
      if (dags.get(ti.dagId)?.isPaused !== false) continue;
      const k = runKey(ti.dagId, ti.runId);
      if (!runs.has(k)) runs.set(k, this.state.getDagRun(ti.dagId, ti.runId));
      const run = runs.get(k);
      if (run?.state !== 'running') continue;
      if (executor.submit(ti, run)) slots--;
    }
  }

  private launch(key: TaskKey, run: DagRunRow, worker: TaskProcess): void {
    const task: OwnTask = {
      key: { dagId: key.dagId, runId: key.runId, taskId: key.taskId },
      process: worker,
      timeoutTimer: null,
      timedOut: false,
      timeoutSeconds: run.spec.defaultArgs.executionTimeoutSeconds,
      finished: false,
    };
    this.own.set(keyOf(key), task);
    worker.onMessage((message) => {
      if (
        message.type === 'started' &&
        message.tryNumber !== null &&
        task.timeoutSeconds !== null
      ) {
        // The task aborts itself at its timeout; a task stuck in native code is killed after a grace.
        task.timeoutTimer = setTimeout(
          () => {
            task.timedOut = true;
            worker.child.kill('SIGKILL');
          },
          task.timeoutSeconds * 1000 + KILL_GRACE_MS,
        );
      }
      if (message.type === 'finished') {
        task.finished = true;
        this.dirtyRuns.add(runKey(key.dagId, key.runId));
        this.wake();
      }
    });
    void worker.exited.then(({ code, signal }) => this.onTaskExit(task, code, signal));
    const assignment: RunAssignment = {
      kind: 'run',
      key: task.key,
      stateDb: this.paths.stateDb,
      logsFolder: this.paths.logsFolder,
      file: run.fileloc,
      metadataPath: this.paths.metadataPath,
      conf: { ...run.spec.params, ...run.conf },
      retryDelaySeconds: run.spec.defaultArgs.retryDelaySeconds,
      executionTimeoutSeconds: run.spec.defaultArgs.executionTimeoutSeconds,
    };
    worker.child.send(assignment);
  }

  private onTaskExit(task: OwnTask, code: number | null, signal: NodeJS.Signals | null): void {
    if (task.timeoutTimer) clearTimeout(task.timeoutTimer);
    this.own.delete(keyOf(task.key));
    const ti = this.state.getTaskInstance(task.key);
    if (
      ti &&
      ti.livenessSocket === task.process.socket &&
      (ti.state === 'queued' || ti.state === 'running')
    ) {
      const why = task.timedOut
        ? `Task timed out after ${task.timeoutSeconds} s and was killed`
        : `its process (pid ${task.process.pid}) ended (${signal ?? `exit ${code}`}) without recording an end`;
      this.closeDeadTask(ti, why);
      void this.recoverExecutions().catch(() => {});
    }
    this.dirtyRuns.add(runKey(task.key.dagId, task.key.runId));
    this.wake();
  }

  /** Adopted tasks whose process has died are closed as a dead task's are. */
  private async checkAdopted(): Promise<void> {
    for (const [k, { key, socket }] of this.adopted) {
      const ti = this.state.getTaskInstance(key);
      if (
        !ti ||
        ti.livenessSocket !== socket ||
        (ti.state !== 'queued' && ti.state !== 'running')
      ) {
        this.adopted.delete(k);
        this.dirtyRuns.add(runKey(key.dagId, key.runId));
        continue;
      }
      if (await socketIsAlive(socket)) continue;
      this.adopted.delete(k);
      this.closeDeadTask(
        ti,
        `its process (pid ${ti.pid ?? '?'}) ended without recording an end: killed or crashed`,
      );
      await this.recoverExecutions();
    }
    if (this.dirtyRuns.size > 0) this.wake();
  }

  /**
   * Stops: no new task starts; running tasks are asked to stop (each records its try as failed,
   * up for retry when it has tries left) and are killed if they have not ended within 10 s.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.pool.close();
    const exits = [...this.own.values()].map((task) => {
      task.process.child.kill('SIGTERM');
      const kill = setTimeout(() => task.process.child.kill('SIGKILL'), 10_000);
      return task.process.exited.then(() => clearTimeout(kill));
    });
    await Promise.all(exits);
    await this.refreshing;
    // Tasks on a queue keep running on their workers; a new scheduler adopts them.
    await this.executor?.close();
    await this.server?.close();
    this.state.clearSchedulerJob(process.pid);
    removeDeadSocket(this.paths.socket);
    this.state.close();
  }
}
