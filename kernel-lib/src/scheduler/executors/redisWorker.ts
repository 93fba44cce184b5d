import { fork, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RemoteTaskMessage } from './remoteTask';
import { connectRedis } from './redisConnection';
import { QUEUE_PREFIX, type TaskJob, type TaskJobResult, type TaskJobStarted } from './taskJob';

/** The remote task process's compiled entry (tasks always run compiled code, as locally). */
const REMOTE_TASK_ENTRY = join(
  __dirname,
  '..',
  '..',
  '..',
  'dist',
  'scheduler',
  'executors',
  'remoteTask.js',
);

export interface WorkerOptions {
  redisUrl: string;
  queues: string[];
  /** Tasks run at once by this worker (one process each). */
  concurrency: number;
  /** How long a job stays this worker's without a lock renewal (BullMQ's lockDuration). */
  lockMs: number;
  log(line: string): void;
}

/**
 * `tsfx worker`: takes task jobs from the queues and runs each in a process of its own, as the
 * local executor does, with processes loaded ahead of need (one waiting per slot). While a task
 * runs, BullMQ renews the job's lock from this process; when this process dies the lock lapses
 * and another worker's stalled-job check puts the job back in the queue.
 */
export class TaskWorker {
  /** Every Redis connection this worker opened (BullMQ closes only those it made itself). */
  private readonly connections: Redis[] = [];
  private readonly workers: Worker<TaskJob, TaskJobResult>[] = [];
  private readonly ready: Promise<ChildProcess>[] = [];
  private closed = false;

  constructor(private readonly options: WorkerOptions) {}

  async start(): Promise<void> {
    const connection = await connectRedis(this.options.redisUrl);
    this.connections.push(connection);
    for (let i = 0; i < this.options.concurrency; i++) this.ready.push(startRemoteTask());
    for (const name of this.options.queues) {
      const worker = new Worker<TaskJob, TaskJobResult>(name, (job) => this.run(job), {
        connection: this.track(connection.duplicate()),
        prefix: QUEUE_PREFIX,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: this.options.lockMs,
        maxStalledCount: 1,
      });
      worker.on('error', (error) => this.options.log(`queue ${name}: ${error.message}`));
      await worker.waitUntilReady();
      this.workers.push(worker);
    }
  }

  /** Stops taking jobs and waits for the running ones to end. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
    for (const p of this.ready.splice(0))
      void p.then(
        (child) => child.kill('SIGTERM'),
        () => {},
      );
    for (const c of this.connections.splice(0)) c.disconnect();
  }

  private track(connection: Redis): Redis {
    this.connections.push(connection);
    return connection;
  }

  private async run(job: Job<TaskJob, TaskJobResult>): Promise<TaskJobResult> {
    const { data } = job;
    const child = await (this.ready.shift() ?? startRemoteTask());
    if (!this.closed) this.ready.push(startRemoteTask());
    this.options.log(
      `${data.dag}/${data.run}/${data.task} try ${data.try}: job ${job.id} in pid ${child.pid}`,
    );
    return new Promise<TaskJobResult>((resolve, reject) => {
      let outcome: TaskJobResult | null = null;
      child.on('message', (message: RemoteTaskMessage) => {
        if (message.type === 'started') {
          const started: TaskJobStarted = { started: true, hostname: hostname(), pid: message.pid };
          void job.updateProgress(started).catch(() => {});
        } else if (message.type === 'finished') {
          outcome = { ...message.outcome, hostname: hostname(), pid: child.pid ?? 0 };
        }
      });
      // Its last message may come just after its exit: wait for the channel to close.
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        if (outcome) {
          this.options.log(
            `${data.dag}/${data.run}/${data.task} try ${data.try}: ${outcome.state}`,
          );
          resolve(outcome);
        } else {
          reject(
            new Error(
              `its task process (pid ${child.pid} on ${hostname()}) ended (${signal ?? `exit ${code}`}) without reporting an end`,
            ),
          );
        }
      });
      child.send(data);
    });
  }
}

/** Starts a remote task process and resolves once it has loaded tsfx. */
function startRemoteTask(): Promise<ChildProcess> {
  const child = fork(REMOTE_TASK_ENTRY, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`a task process ended while starting (${signal ?? `exit ${code}`})`)),
    );
  });
}
