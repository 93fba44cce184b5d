import { availableParallelism } from 'node:os';
import { TsfxError } from '../../errors';
import { Scheduler } from '../../scheduler/scheduler';
import type { CliCommand } from '../command';
import { parseCommand, pathsFrom } from '../schedulerCli';
import type { RedisExecutor } from '../../scheduler/executors/redisExecutor';
import type { ExecutorFactory } from '../../scheduler/executors/taskExecutor';
import { DEFAULT_QUEUE } from '../../scheduler/executors/taskJob';

const USAGE =
  'tsfx scheduler [-S DAGS_FOLDER] [--metadata FILE] [--parallelism N] [--pool N] [--executor local|redis --redis URL]';

/**
 * Airflow's `scheduler`: one long-running process per store. It parses the dags folder, creates
 * runs on schedule and on trigger, runs tasks in processes of their own and serves the API on a
 * Unix socket. Ctrl+C (or SIGTERM) stops it; running tasks are stopped and recorded.
 */
export const schedulerCommand: CliCommand = {
  name: 'scheduler',
  summary:
    'run the scheduler: DAG runs on schedule and on trigger, tasks in their own processes, the API',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommand(
      argv,
      {
        parallelism: { type: 'string' },
        pool: { type: 'string' },
        executor: { type: 'string', default: 'local' },
        redis: { type: 'string' },
      },
      USAGE,
      0,
    );
    const count = (name: string, text: string | undefined, fallback: number): number => {
      if (text === undefined) return fallback;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1)
        throw new TsfxError(`--${name}: expected a whole number >= 1, got "${text}"`);
      return n;
    };
    const parallelism = count(
      'parallelism',
      values.parallelism ?? process.env.TSFX_PARALLELISM,
      Math.max(2, availableParallelism()),
    );
    const paths = pathsFrom(values);
    const stamp = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`);
    const executor = executorFrom(values.executor, values.redis ?? process.env.TSFX_REDIS);
    // With a queue, local task processes only parse DAG files: one is enough.
    const pool = count('pool', values.pool, executor ? 1 : parallelism);
    const scheduler = new Scheduler({ paths, parallelism, poolSize: pool, log: stamp, executor });
    await scheduler.start();
    stamp(
      `scheduler started (pid ${process.pid}): dags folder ${paths.dagsFolder}, store ${paths.metadataPath}, parallelism ${parallelism}`,
    );
    if (executor)
      stamp(`tasks go to the Redis queue "${DEFAULT_QUEUE}": start workers with tsfx worker`);
    stamp(`API on unix socket ${paths.socket} (/api/v1/…); task logs in ${paths.logsFolder}`);
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        // A second signal while stopping (a Ctrl+C, then a SIGTERM from a wrapper) changes
        // nothing: the stop under way ends, and says so once.
        if (stopping) return stamp(`received ${signal}: already stopping`);
        stopping = true;
        stamp(`received ${signal}: stopping (running tasks are stopped and recorded)`);
        void scheduler.stop().then(() => {
          stamp('scheduler stopped');
          resolve(0);
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};

/** `local` (task processes of the scheduler's own) or `redis` (a BullMQ queue, `tsfx worker`s). */
function executorFrom(
  name: string | undefined,
  redisUrl: string | undefined,
): ExecutorFactory | undefined {
  if (name === 'local') return undefined;
  if (name !== 'redis') throw new TsfxError(`--executor: expected local or redis, got "${name}"`);
  if (!redisUrl) throw new TsfxError('--executor redis needs --redis URL (or TSFX_REDIS)');
  // BullMQ and ioredis load only for this executor: every fork of the scheduler copies its memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const executors = require('../../scheduler/executors/redisExecutor') as {
    RedisExecutor: typeof RedisExecutor;
  };
  return (context) => new executors.RedisExecutor(context, redisUrl);
}
