import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TsfxError } from './errors';

/**
 * The code a worker thread runs to load `name` (a module beside `fromFile`, in the same form: run
 * from TypeScript sources — tests, benchmarks — the thread needs tsx registered first).
 */
export function workerThreadCode(fromFile: string, name: string): string {
  const file = join(dirname(fromFile), `${name}${extname(fromFile)}`);
  return `${file.endsWith('.ts') ? "require('tsx/cjs');" : ''}require(${JSON.stringify(file)});`;
}

/**
 * Runs `code` in a worker thread with `job` as its workerData and resolves with its one message;
 * rejects with `interrupted` on abort (the thread terminated), or when the thread fails or exits
 * without answering (`what` names it in the message).
 */
export function runInWorkerThread<Reply>(
  code: string,
  job: unknown,
  what: string,
  signal?: AbortSignal,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TsfxError('interrupted'));
    const worker = new Worker(code, { eval: true, workerData: job });
    const abort = (): void => {
      void worker.terminate();
      reject(new TsfxError('interrupted'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (reply: Reply) => resolve(reply));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (code !== 0) reject(new TsfxError(`${what} exited with code ${code}`));
    });
  });
}
