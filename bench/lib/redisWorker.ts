import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startRedis } from '../../test/servers/redisServer';
import { REPO_ROOT } from './measure';

/**
 * Runs `fn` with a real Redis and one `tsfx worker` (`concurrency` task slots) started for it,
 * passing the scheduler arguments that hand tasks to them; stops both afterwards.
 */
export async function withRedisWorker<T>(
  concurrency: number,
  fn: (schedulerArgs: string[]) => Promise<T>,
): Promise<T> {
  const redis = await startRedis();
  const worker = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'kernel-lib', 'bin', 'tsfx.js'),
      'worker',
      '--redis',
      redis.url,
      '--concurrency',
      String(concurrency),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let out = '';
    worker.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('worker started')) {
      if (worker.exitCode !== null) throw new Error('tsfx worker exited while starting');
      await new Promise((r) => setTimeout(r, 50));
    }
    return await fn(['--executor', 'redis', '--redis', redis.url]);
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await redis.stop();
  }
}
