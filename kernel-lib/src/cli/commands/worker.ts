import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { TsfxError } from '../../errors';
import type { TaskWorker } from '../../scheduler/executors/redisWorker';
import { DEFAULT_QUEUE } from '../../scheduler/executors/taskJob';
import type { CliCommand } from '../command';

const USAGE = 'tsfx worker --redis URL [--queues Q[,Q…]] [--concurrency N] [--lock-seconds S]';

/**
 * Airflow's `celery worker`: takes task jobs that `tsfx scheduler --executor redis` queued, and
 * runs each in a process of its own. Any number of workers on any number of hosts; each needs
 * the project checkout and the pipeline root at the same paths as the scheduler. Ctrl+C (or
 * SIGTERM) stops taking jobs and waits for the running ones.
 */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'take tasks from the Redis queue (scheduler --executor redis) and run them',
  usage: USAGE,
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          redis: { type: 'string' },
          queues: { type: 'string', short: 'q', default: DEFAULT_QUEUE },
          concurrency: { type: 'string', short: 'c' },
          'lock-seconds': { type: 'string', default: '30' },
        },
      }));
    } catch (error) {
      throw new TsfxError(`${(error as Error).message} (usage: ${USAGE})`);
    }
    const redisUrl = values.redis ?? process.env.TSFX_REDIS;
    if (!redisUrl) throw new TsfxError(`--redis URL (or TSFX_REDIS) is required (usage: ${USAGE})`);
    const number = (name: string, text: string | undefined, fallback: number): number => {
      if (text === undefined) return fallback;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1)
        throw new TsfxError(`--${name}: expected a whole number >= 1, got "${text}"`);
      return n;
    };
    const concurrency = number('concurrency', values.concurrency, availableParallelism());
    const lockMs = number('lock-seconds', values['lock-seconds'], 30) * 1000;
    const queues = values.queues.split(',').map((q) => q.trim());
    if (queues.some((q) => q === '')) throw new TsfxError(`--queues: an empty queue name`);
    const stamp = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`);
    // BullMQ and ioredis load for this command only, not for every tsfx command.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const workers = require('../../scheduler/executors/redisWorker') as {
      TaskWorker: typeof TaskWorker;
    };
    const worker = new workers.TaskWorker({ redisUrl, queues, concurrency, lockMs, log: stamp });
    await worker.start();
    stamp(
      `worker started (pid ${process.pid}): queues ${queues.join(',')}, concurrency ${concurrency}, Redis ${new URL(redisUrl).host}`,
    );
    return new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals): void => {
        stamp(`received ${signal}: stopping (waiting for running tasks)`);
        void worker.close().then(() => {
          stamp('worker stopped');
          resolve(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
