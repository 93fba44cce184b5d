import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { hostname, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Is the process that started an execution still alive? Not `kill(pid, 0)`: a process killed by
 * SIGKILL stays a zombie (reported alive) until its parent reaps it, forever under an init that
 * never reaps, and a PID can be reused. Instead each process that runs executions listens on a
 * Unix-domain socket and records its path with them. The kernel closes a process's descriptors
 * when it dies, before it turns zombie, so a connect to that socket is refused from that moment
 * on; a reused PID does not listen there. A process stopped (SIGSTOP) still counts as alive: the
 * kernel accepts connections on its behalf.
 *
 * Chosen over `flock`: Node has no flock (an npm addon, or a `flock(1)` child tied to the process
 * by a pipe, would be one more native build or process per execution), and a socket needs nothing
 * but `node:net`. Like a lock file, it works for processes sharing the store's folder on one
 * machine, not across machines: a socket's name carries its host's tag, and a process on another
 * host (a queue worker's) cannot be judged from here (see `socketIsOnThisHost`).
 */

/** This host's tag in socket names: a short hash of its name. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** `sun_path` holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/** This process's listening sockets, one per folder (stores in different folders get their own). */
const listening = new Map<string, { path: string; ready: Promise<void>; server: Server }>();
let removedAtExit = false;

/**
 * The socket this process listens on for the store at `metadataPath` (started on first use): in
 * `<store folder>/.tsfx-live/`, or under the temporary folder when that path would be too long
 * for a socket (or the store is in memory).
 */
export async function livenessSocket(metadataPath: string): Promise<string> {
  const dir = socketDir(metadataPath);
  const known = listening.get(dir);
  if (known) {
    await known.ready;
    if (existsSync(known.path)) return known.path;
    // Its file was removed (the folder deleted and made again): listen anew.
    known.server.close();
    listening.delete(dir);
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${HOST_TAG}-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
  // Connections are only ever opened to see that someone answers: close them at once.
  const server = createServer((connection) => connection.destroy());
  const ready = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The socket must not keep a finished process alive.
  server.unref();
  listening.set(dir, { path, ready, server });
  if (!removedAtExit) {
    process.once('exit', removeOwnSockets);
    removedAtExit = true;
  }
  try {
    await ready;
  } catch (error) {
    listening.delete(dir);
    throw error;
  }
  return path;
}

function socketDir(metadataPath: string): string {
  // A store without a folder (in memory, or in PostgreSQL): sockets under the temporary folder.
  const folderless = metadataPath === ':memory:' || /^postgres(ql)?:\/\//.test(metadataPath);
  const beside = join(folderless ? tmpdir() : dirname(resolve(metadataPath)), '.tsfx-live');
  // host tag (8 hex digits), '-', pid (up to 7 digits), '-', 8 hex digits, '.sock'.
  if (!folderless && beside.length + 31 <= MAX_SOCKET_PATH) return beside;
  return join(tmpdir(), `tsfx-live-${userInfo().uid}`);
}

/**
 * False for a socket made on another host (its name carries that host's tag): its file, on a
 * shared folder or absent here, says nothing about that process, so it counts as alive. Names
 * without a tag (older tsfx) are taken as this host's.
 */
export function socketIsOnThisHost(path: string): boolean {
  const tagged = /^([0-9a-f]{8})-\d+-[0-9a-f]{8}\.sock$/.exec(basename(path));
  return tagged === null || tagged[1] === HOST_TAG;
}

/** True when `path` is one of this process's own sockets. */
export function isOwnSocket(path: string): boolean {
  return [...listening.values()].some((entry) => entry.path === path);
}

/**
 * True while the process listening on `path` lives: the connect is accepted. Refused or missing
 * means it is gone; any other error (permissions, a full backlog) is taken as alive, so that a
 * running execution is never closed by mistake.
 */
export function socketIsAlive(path: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const settle = (alive: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => settle(true), timeoutMs);
    socket.once('connect', () => settle(true));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      settle(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'),
    );
  });
}

/** Removes the socket file a dead process left behind (nothing listens there any more). */
export function removeDeadSocket(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already removed by another recovering process.
  }
}

function removeOwnSockets(): void {
  for (const { path } of listening.values()) removeDeadSocket(path);
}
