import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { taskProcessEnv } from './extraCaCerts';
import { currentSnapshot, snapshotExecArgv } from './snapshot/snapshotFiles';
import type { Assignment, ParseResult, WorkerMessage } from './workerProtocol';

/**
 * Task processes started ahead of need: a `tsfx run` process spends most of its start loading
 * Node, tsx and tsfx, so the pool keeps `size` of them loaded and waiting, and a task is handed
 * to one at once. Each process takes one assignment and exits (one process per task); the pool
 * starts a replacement as soon as one is taken. Processes start from the startup snapshot when
 * a current one is built (see snapshot/), the plain way otherwise.
 */

/** The task process's compiled entry (from src/ and dist/ alike: tasks always run compiled code). */
export const TASK_PROCESS_ENTRY = join(
  __dirname,
  '..',
  '..',
  'dist',
  'scheduler',
  'taskProcess.js',
);

export interface TaskProcess {
  readonly pid: number;
  readonly socket: string;
  readonly fromSnapshot: boolean;
  readonly child: ChildProcess;
  /** Resolves with the process's exit code (or signal) once it has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onMessage(listener: (message: WorkerMessage) => void): void;
}

interface Starting {
  process: Promise<TaskProcess>;
}

export class WorkerPool {
  private readonly idle: TaskProcess[] = [];
  private readonly starting = new Set<Starting>();
  private readonly waiting: ((p: TaskProcess) => void)[] = [];
  private closed = false;
  private refillQueued = false;
  private preloadFile: string | null = null;
  /** The startup snapshot's blob, or null to start task processes the plain way. */
  private snapshot: string | null;
  /** How task processes start, and why not from the snapshot when they do not. */
  startMode: string;

  constructor(
    private readonly stateDb: string,
    private size: number,
    private readonly onReady: () => void = () => {},
    options: { snapshotFolder?: string } = {},
  ) {
    // TSFX_TASK_SNAPSHOT: 0 to start without the snapshot, or the folder of another one.
    const setting = process.env.TSFX_TASK_SNAPSHOT;
    const found =
      setting === '0'
        ? { reason: 'TSFX_TASK_SNAPSHOT=0' }
        : currentSnapshot(options.snapshotFolder ?? (setting || undefined));
    this.snapshot = 'blob' in found ? found.blob : null;
    this.startMode =
      'blob' in found ? `from the snapshot ${found.blob}` : `without a snapshot (${found.reason})`;
  }

  /** Keeps `size` processes loaded or loading. */
  fill(): void {
    while (!this.closed && this.idle.length + this.starting.size < this.size) this.spawn();
  }

  /** A loaded idle process, or null when none is ready yet (the pool refills itself). */
  take(): TaskProcess | null {
    const found = this.idle.shift() ?? null;
    // Refilled once the caller's synchronous code is done: a fork blocks the scheduler ~10 ms,
    // and the process just taken should get its assignment before that, not after.
    if (!this.refillQueued) {
      this.refillQueued = true;
      queueMicrotask(() => {
        this.refillQueued = false;
        this.fill();
      });
    }
    return found;
  }

  /** A loaded process, waiting for one when none is idle. */
  async acquire(): Promise<TaskProcess> {
    const ready = this.take();
    if (ready) return ready;
    this.fill();
    // One process starting for each caller waiting (fill() may keep none for a pool of size 0).
    if (this.starting.size <= this.waiting.length) this.spawn();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get idleCount(): number {
    return this.idle.length;
  }

  /** Asks idle and future processes to load this DAG file before their assignment comes. */
  preload(file: string): void {
    if (this.preloadFile === file) return;
    this.preloadFile = file;
    for (const p of this.idle) p.child.send({ kind: 'preload', file });
  }

  /** Parses a DAG file in a process of its own (Airflow's DagFileProcessor). */
  async parse(file: string, metadataPath: string, timeoutMs = 60_000): Promise<ParseResult> {
    const worker = await this.acquire();
    return new Promise<ParseResult>((resolve) => {
      const timer = setTimeout(() => {
        worker.child.kill('SIGKILL');
        resolve({
          kind: 'error',
          message: `${file}: timed out after ${timeoutMs / 1000} s while importing it`,
        });
      }, timeoutMs);
      worker.onMessage((message) => {
        if (message.type !== 'parsed') return;
        clearTimeout(timer);
        resolve(message.result);
      });
      // Its last message may arrive just after its exit: wait for the channel to close.
      worker.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        resolve({
          kind: 'error',
          message: `${file}: the process importing it ended (${signal ?? `exit ${code}`}) without a result`,
        });
      });
      const assignment: Assignment = { kind: 'parse', file, metadataPath };
      worker.child.send(assignment);
    });
  }

  /** Stops the idle processes (they exit on their own when the channel closes, too). */
  close(): void {
    this.closed = true;
    for (const p of this.idle.splice(0)) p.child.kill('SIGTERM');
  }

  private spawn(): void {
    const snapshot = this.snapshot;
    const env = taskProcessEnv(join(dirname(this.stateDb), 'extra-ca-certs'));
    const entry: Starting = { process: startTaskProcess(this.stateDb, snapshot, env) };
    this.starting.add(entry);
    entry.process.then(
      (p) => {
        this.starting.delete(entry);
        if (this.closed) {
          p.child.kill('SIGTERM');
          return;
        }
        if (this.preloadFile) p.child.send({ kind: 'preload', file: this.preloadFile });
        const waiter = this.waiting.shift();
        if (waiter) {
          waiter(p);
          this.fill();
          return;
        }
        this.idle.push(p);
        // An idle process that dies (killed by someone) leaves the pool.
        void p.exited.then(() => {
          const index = this.idle.indexOf(p);
          if (index >= 0) {
            this.idle.splice(index, 1);
            this.fill();
          }
        });
        this.onReady();
      },
      (error: unknown) => {
        this.starting.delete(entry);
        if (snapshot !== null && this.snapshot === snapshot) {
          // A blob Node refuses (another build of Node, a damaged file): start without it.
          this.snapshot = null;
          this.startMode = `without a snapshot (a process started from it failed: ${String(error)})`;
          this.fill();
          return;
        }
        // A process that fails to start is retried on the next fill, after a pause.
        setTimeout(() => this.fill(), 1000).unref();
      },
    );
  }
}

/**
 * Starts a task process and resolves once it has loaded tsfx and listens on its socket. From the
 * snapshot `blob`, Node runs the snapshot's main instead of the entry file (argv stays the same).
 */
export function startTaskProcess(
  stateDb: string,
  blob: string | null = null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TaskProcess> {
  const child = fork(TASK_PROCESS_ENTRY, [stateDb], {
    env,
    // Its own process group: a Ctrl+C on the scheduler's terminal is the scheduler's to handle.
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: blob === null ? [] : snapshotExecArgv(blob),
  });
  const listeners = new Set<(message: WorkerMessage) => void>();
  child.on('message', (message: WorkerMessage) => {
    for (const listener of listeners) listener(message);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onReady = (message: WorkerMessage): void => {
      if (message.type !== 'ready') return;
      listeners.delete(onReady);
      resolve({
        pid: message.pid,
        socket: message.socket,
        fromSnapshot: message.fromSnapshot,
        child,
        exited,
        onMessage: (listener) => listeners.add(listener),
      });
    };
    listeners.add(onReady);
    child.once('error', reject);
    void exited.then(({ code, signal }) =>
      reject(new Error(`task process ended while starting (${signal ?? `exit ${code}`})`)),
    );
  });
}
