import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

/** Debian's `redis-server` (scripts/apt-packages.txt; `npm run setup` installs it). */
export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real Redis for a test or a benchmark: on 127.0.0.1, a port of its own, its data in a temporary
 * folder, configured as BullMQ requires (no eviction, append-only file on). `stop` ends it and
 * removes its folder (tests call it in `after`). `host`: an address of this machine to listen on
 * too (other network namespaces reach it there), and the one in `url`.
 */
export async function startRedis(host = '127.0.0.1'): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tsfx-redis-'));
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    [
      '--bind',
      ...new Set(['127.0.0.1', host]),
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'no',
      // Protected mode lets only loopback clients in without a password; `host` is for others.
      ...(host === '127.0.0.1' ? [] : ['--protected-mode', 'no']),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://${host}:${port}`, port, stop };
}

async function waitReady(child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!output().includes('Ready to accept connections')) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output()}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not start: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
