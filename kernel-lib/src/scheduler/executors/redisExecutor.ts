import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorMessage } from '../../errors';
import { finishTask, queueTask, requeueOrphan, startTask, type TaskOutcome } from '../stateMachine';
import type { DagRunRow, TaskInstanceRow, TaskKey } from '../stateStore';
import { connectRedis } from './redisConnection';
import type { ExecutorContext, TaskExecutor } from './taskExecutor';
import {
  DEFAULT_QUEUE,
  JOB_SOCKET_PREFIX,
  QUEUE_PREFIX,
  jobIdFor,
  queueOf,
  type TaskJob,
  type TaskJobResult,
  type TaskJobStarted,
} from './taskJob';

interface Tracked {
  key: TaskKey;
  tryNumber: number;
  retryDelaySeconds: number;
  /** The queue the job is on (the task's, `default` unless its DAG names one). */
  queue: string;
  /** Redis has the job (its add resolved): only then can it be missing. */
  added: boolean;
}

/** A queue jobs go to, and its event stream (its own connection: a blocking read). */
interface OpenQueue {
  queue: Queue<TaskJob, TaskJobResult>;
  events: QueueEvents;
  eventsConnection: Redis;
}

/** How often jobs in flight are looked up, for events missed (a scheduler restart, a reconnect). */
const RECONCILE_MS = 2000;

/**
 * Airflow's CeleryExecutor on BullMQ: one job per try on a Redis queue, taken by `tsfx worker`
 * processes on any number of hosts. Task state stays here: a job's progress (its task process
 * started) moves the try to `running`, its return value or failure ends it through the same
 * `finishTask` as a local task, so retries are the scheduler's. A worker that dies loses its job
 * lock; BullMQ's stalled-job check gives the job to another worker. A task goes to its DAG's
 * queue for it (`taskQueues`, `defaultArgs.queue`, else `default`): only workers listening there
 * take it.
 */
export class RedisExecutor implements TaskExecutor {
  private readonly tracked = new Map<string, Tracked>();
  private connection: Redis | null = null;
  /** Queues opened so far, by name: `default` at start, the others when a task needs them. */
  private readonly queues = new Map<string, OpenQueue>();
  private timer: NodeJS.Timeout | null = null;
  private reconciling = false;

  constructor(
    private readonly context: ExecutorContext,
    private readonly url: string,
  ) {}

  get inFlight(): number {
    return this.tracked.size;
  }

  async start(): Promise<void> {
    this.connection = await connectRedis(this.url);
    await this.open(DEFAULT_QUEUE).events.waitUntilReady();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
  }

  /**
   * The queue of that name, opened on first use. Events of a queue opened just now may come
   * before its listener is ready: the reconcile loop finds those jobs' ends.
   */
  private open(name: string): OpenQueue {
    const found = this.queues.get(name);
    if (found) return found;
    const connection = this.connection!;
    const queue = new Queue<TaskJob, TaskJobResult>(name, { connection, prefix: QUEUE_PREFIX });
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents(name, { connection: eventsConnection, prefix: QUEUE_PREFIX });
    events.on('progress', ({ jobId, data }) => this.started(jobId, data));
    events.on('completed', ({ jobId, returnvalue }) => this.ended(jobId, parse(returnvalue)));
    events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    events.on('error', (error) => this.context.log(`Redis queue ${name}: ${errorMessage(error)}`));
    const opened = { queue, events, eventsConnection };
    this.queues.set(name, opened);
    return opened;
  }

  owns(livenessSocket: string | null): boolean {
    return livenessSocket?.startsWith(JOB_SOCKET_PREFIX) ?? false;
  }

  submit(ti: TaskInstanceRow, run: DagRunRow): boolean {
    const tryNumber = ti.tryNumber + 1;
    const jobId = jobIdFor(ti, tryNumber);
    const socket = JOB_SOCKET_PREFIX + jobId;
    const queuedAt = Date.now();
    if (!queueTask(this.context.state, ti, socket, queuedAt)) return false;
    const key = { dagId: ti.dagId, runId: ti.runId, taskId: ti.taskId };
    const queue = queueOf(run.spec, ti.taskId);
    this.tracked.set(jobId, {
      key,
      tryNumber,
      retryDelaySeconds: run.spec.defaultArgs.retryDelaySeconds,
      queue,
      added: false,
    });
    const data: TaskJob = {
      dag: ti.dagId,
      run: ti.runId,
      task: ti.taskId,
      try: tryNumber,
      file: run.fileloc,
      metadataPath: this.context.paths.metadataPath,
      logsFolder: this.context.paths.logsFolder,
      conf: { ...run.spec.params, ...run.conf },
      executionTimeoutSeconds: run.spec.defaultArgs.executionTimeoutSeconds,
      queuedAt,
    };
    // One attempt per job: retries are the scheduler's (a new try, a new job).
    this.open(queue)
      .queue.add(`${ti.dagId}.${ti.taskId}`, data, {
        jobId,
        attempts: 1,
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      })
      .then(
        () => {
          const t = this.tracked.get(jobId);
          if (t) t.added = true;
        },
        (error: unknown) => {
          this.context.log(
            `${ti.dagId}/${ti.runId}/${ti.taskId}: could not queue try ${tryNumber} on Redis: ${errorMessage(error)}`,
          );
          this.tracked.delete(jobId);
          requeueOrphan(this.context.state, key, socket);
          this.context.onChange(key.dagId, key.runId);
        },
      );
    return true;
  }

  adopt(ti: TaskInstanceRow, run: DagRunRow | undefined): void {
    const jobId = ti.livenessSocket!.slice(JOB_SOCKET_PREFIX.length);
    this.tracked.set(jobId, {
      key: { dagId: ti.dagId, runId: ti.runId, taskId: ti.taskId },
      tryNumber: ti.state === 'running' ? ti.tryNumber : ti.tryNumber + 1,
      retryDelaySeconds: run?.spec.defaultArgs.retryDelaySeconds ?? 0,
      queue: queueOf(run?.spec, ti.taskId),
      added: true,
    });
    this.context.log(`${ti.dagId}/${ti.runId}/${ti.taskId}: ${ti.state}, job ${jobId} adopted`);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const { queue, events, eventsConnection } of this.queues.values()) {
      await events.close();
      await queue.close();
      eventsConnection.disconnect();
    }
    this.queues.clear();
    this.connection?.disconnect();
  }

  /** The job's task process started: queued → running (once, whichever delivery says it). */
  private started(jobId: string, data: unknown): void {
    const t = this.tracked.get(jobId);
    if (!t || !isStarted(data)) return;
    const ti = this.context.state.getTaskInstance(t.key);
    if (ti?.state !== 'queued') return;
    startTask(this.context.state, t.key, {
      pid: data.pid,
      livenessSocket: JOB_SOCKET_PREFIX + jobId,
    });
    this.context.onChange(t.key.dagId, t.key.runId);
  }

  private ended(jobId: string, result: TaskJobResult | null): void {
    const t = this.tracked.get(jobId);
    if (!t) return;
    const outcome: TaskOutcome = result ?? {
      state: 'failed',
      executionId: null,
      error: 'the worker returned no outcome',
    };
    this.finish(jobId, t, outcome);
  }

  private failed(jobId: string, reason: string): void {
    const t = this.tracked.get(jobId);
    if (!t) return;
    this.finish(jobId, t, {
      state: 'failed',
      executionId: null,
      error: `try ${t.tryNumber}: ${reason}`,
    });
  }

  private finish(jobId: string, t: Tracked, outcome: TaskOutcome): void {
    const { state } = this.context;
    this.tracked.delete(jobId);
    // A job that ended before its start was seen (events missed) starts here first.
    if (state.getTaskInstance(t.key)?.state === 'queued') {
      startTask(state, t.key, { pid: 0, livenessSocket: JOB_SOCKET_PREFIX + jobId });
    }
    const ended = finishTask(state, t.key, t.tryNumber, outcome, t.retryDelaySeconds);
    if (ended && outcome.state === 'failed') {
      this.context.log(`${t.key.dagId}/${t.key.runId}/${t.key.taskId}: ${outcome.error}: ${ended}`);
    }
    this.context.onChange(t.key.dagId, t.key.runId);
  }

  /** Looks up each job in flight: ends those whose events were missed, requeues lost ones. */
  private async reconcile(): Promise<void> {
    if (this.reconciling || !this.connection) return;
    this.reconciling = true;
    try {
      for (const [jobId, t] of [...this.tracked]) {
        const job: Job<TaskJob, TaskJobResult> | undefined = await this.open(t.queue).queue.getJob(
          jobId,
        );
        if (!this.tracked.has(jobId) || !t.added) continue;
        if (!job) {
          this.lost(jobId, t);
          continue;
        }
        if (job.finishedOn && job.failedReason) this.failed(jobId, job.failedReason);
        else if (job.finishedOn) this.ended(jobId, job.returnvalue ?? null);
        else if (isStarted(job.progress)) this.started(jobId, job.progress);
      }
    } catch (error) {
      this.context.log(`Redis executor: ${errorMessage(error)}`);
    } finally {
      this.reconciling = false;
    }
  }

  /** A job Redis no longer has (removed by hand, or Redis lost it): its try starts again. */
  private lost(jobId: string, t: Tracked): void {
    const socket = JOB_SOCKET_PREFIX + jobId;
    const ti = this.context.state.getTaskInstance(t.key);
    if (ti?.state === 'queued' && requeueOrphan(this.context.state, t.key, socket)) {
      this.tracked.delete(jobId);
      this.context.log(
        `${t.key.dagId}/${t.key.runId}/${t.key.taskId}: job ${jobId} lost: scheduled again`,
      );
    } else if (ti?.state === 'running') {
      this.failed(jobId, `job ${jobId} is gone from Redis`);
      return;
    } else {
      this.tracked.delete(jobId);
    }
    this.context.onChange(t.key.dagId, t.key.runId);
  }
}

function parse(value: unknown): TaskJobResult | null {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as TaskJobResult;
    } catch {
      return null;
    }
  }
  return (value as TaskJobResult | null) ?? null;
}

function isStarted(data: unknown): data is TaskJobStarted {
  return typeof data === 'object' && data !== null && (data as TaskJobStarted).started === true;
}
