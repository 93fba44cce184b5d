import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

/** Debian's PostgreSQL 15 (`postgresql-15` in scripts/apt-packages.txt). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  /** `postgres://tsfx@127.0.0.1:<port>/<database>` for a database of this server. */
  url(database: string): string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL for a test or a benchmark: a new cluster in a temporary folder, on 127.0.0.1
 * and a port of its own, trust authentication for the user `tsfx` (the superuser), no fsync
 * (nothing here must survive a power loss). PostgreSQL refuses to run as root: as root the
 * cluster belongs to the `postgres` user the Debian package creates, and its processes run as that
 * user (spawn's uid/gid, as `runuser -u postgres` would, but signals reach postgres itself).
 * `host`: an address of this machine to listen on too and the one in `url`; `clients`: a CIDR of
 * other hosts let in (trust, as local ones).
 */
export async function startPostgres(
  options: { host?: string; clients?: string } = {},
): Promise<PostgresServer> {
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'tsfx-postgres-'));
  let user: { uid: number; gid: number } | object = {};
  if (userInfo().uid === 0) {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0)
      throw new Error('no postgres user: install postgresql-15 (npm run setup)');
    user = { uid: Number(uid.stdout), gid: Number(gid.stdout) };
    chownSync(dir, Number(uid.stdout), Number(gid.stdout));
  }
  const data = join(dir, 'data');
  const init = spawnSync(
    join(POSTGRES_BIN, 'initdb'),
    ['-D', data, '-U', 'tsfx', '-A', 'trust', '--no-sync', '-E', 'UTF8'],
    { encoding: 'utf8', cwd: dir, ...user },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr}${init.stdout}`);
  }
  if (options.clients) {
    appendFileSync(join(data, 'pg_hba.conf'), `host all all ${options.clients} trust\n`);
  }
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    `listen_addresses=${[...new Set(['127.0.0.1', host])].join(',')}`,
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ];
  const child = spawn(join(POSTGRES_BIN, 'postgres'), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: dir,
    ...user,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    // SIGINT: PostgreSQL's fast shutdown (clients disconnected, no waiting for them).
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (!output.includes('database system is ready to accept connections')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: (database) => `postgres://tsfx@${host}:${port}/${database}`, port, stop };
}
