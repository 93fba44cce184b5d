import { dirname, extname, join } from 'node:path';
import { Worker, workerData } from 'node:worker_threads';
import { TsfxError } from './errors';

/**
 * The code a worker thread runs to load `name` (a module beside `fromFile`, in the same form: run
 * from TypeScript sources — tests, benchmarks — the thread needs tsx registered first).
 */
export function workerThreadCode(fromFile: string, name: string): string {
  const file = join(dirname(fromFile), `${name}${extname(fromFile)}`);
  return `${file.endsWith('.ts') ? "require('tsx/cjs');" : ''}require(${JSON.stringify(file)});`;
}

/** What runInWorkerThread hands a thread: its job, and a flag raised when it should stop. */
interface ThreadInput<Job> {
  job: Job;
  stop: Int32Array;
}

/** Inside a worker thread: its job, and whether the caller asked it to stop. */
export function threadInput<Job>(): { job: Job; stopRequested: () => boolean } {
  const { job, stop } = workerData as ThreadInput<Job>;
  return { job, stopRequested: () => Atomics.load(stop, 0) === 1 };
}

export interface WorkerThreadOptions {
  signal?: AbortSignal;
  /**
   * The thread polls `stopRequested()` and ends itself: on abort it is asked to stop and awaited,
   * not terminated. A thread inside a native addon's call (DuckDB's) must not be terminated:
   * the addon's error on the dying thread aborts the whole process.
   */
  cooperative?: boolean;
}

/**
 * Runs `code` in a worker thread with `job` as its input (see threadInput) and resolves with its
 * one message once the thread has exited (even if aborted meanwhile); rejects with `interrupted` on abort, or when the
 * thread fails or exits without answering (`what` names it in the message). Settling only after
 * the exit means no thread of ours still runs when the caller goes on (or the process exits).
 */
export function runInWorkerThread<Reply>(
  code: string,
  job: unknown,
  what: string,
  options: WorkerThreadOptions = {},
): Promise<Reply> {
  const { signal, cooperative = false } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TsfxError('interrupted'));
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const input: ThreadInput<unknown> = { job, stop };
    const worker = new Worker(code, { eval: true, workerData: input });
    let answer: { reply: Reply } | undefined;
    let failure: unknown;
    const abort = (): void => {
      Atomics.store(stop, 0, 1);
      if (!cooperative) void worker.terminate();
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (reply: Reply) => (answer = { reply }));
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (exitCode) => {
      signal?.removeEventListener('abort', abort);
      if (answer) resolve(answer.reply);
      else if (signal?.aborted) reject(new TsfxError('interrupted'));
      else if (failure !== undefined) reject(failure);
      else reject(new TsfxError(`${what} exited with code ${exitCode} without answering`));
    });
  });
}
