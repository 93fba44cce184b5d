import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  rename,
  rm,
  stat,
  utimes,
} from 'node:fs/promises';
import { join } from 'node:path';
import { TsfxError } from '../errors';
import { SERVING_FILE } from '../trainer/servingBundle';
import { listVersions } from './versions';

/** Folders of pushes under way (or killed) in a base directory: never a version, never served. */
export const PUSH_TEMP_PREFIX = '.tsfx-push-';
/** A push touches its folder this often, so that another push can tell it is still alive. */
const HEARTBEAT_MS = 5_000;
/** A push folder untouched this long belongs to a push that died: the next push removes it. */
export const STALE_PUSH_MS = 60_000;

export interface PushResult {
  /** The version folder, `<baseDirectory>/<version>`. */
  destination: string;
  version: number;
}

export interface PushOptions {
  /**
   * The clock that names versions, in milliseconds (tests); versions are its unix seconds. Push
   * folders' liveness is judged by file times, so always by the wall clock, never by this one.
   */
  now?: () => number;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Pushes a serving bundle folder to `<baseDirectory>/<version>/`, where a model server polls
 * for versions. The version is the current unix time in seconds, or one more than the newest
 * version there if that is not less (so versions always increase, and two pushes in one second
 * get two versions). The copy is written to a temporary sibling (`.tsfx-push-…`), synced to disk
 * and renamed into place: a server sees a whole version or none, and a push killed half-way
 * leaves only a temporary folder, which servers ignore and a later push removes.
 */
export async function pushToFilesystem(
  sourceDir: string,
  baseDirectory: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const now = options.now ?? Date.now;
  await mkdir(baseDirectory, { recursive: true });
  await removeStalePushes(baseDirectory, Date.now(), options.log);
  const temp = await mkdtemp(join(baseDirectory, PUSH_TEMP_PREFIX));
  // mkdtemp makes it private (0700); a version folder is read by servers, like the bundle's files.
  await chmod(temp, 0o755);
  const heartbeat = setInterval(() => {
    const t = new Date();
    utimes(temp, t, t).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    options.log?.(`copying the model to ${temp}`);
    await copyTree(sourceDir, temp, options.signal);
    await syncPath(temp);
    if (options.signal?.aborted) throw new TsfxError('interrupted');
    return await renameIntoPlace(temp, baseDirectory, now);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/** Renames `temp` to the next free version; a version taken meanwhile (another push) is skipped. */
async function renameIntoPlace(
  temp: string,
  baseDirectory: string,
  now: () => number,
): Promise<PushResult> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const newest = listVersions(baseDirectory).pop() ?? 0;
    const version = Math.max(Math.floor(now() / 1000), newest + 1);
    const destination = join(baseDirectory, String(version));
    if (await exists(destination)) continue;
    try {
      // rename(2) replaces an empty folder but never a full one (ENOTEMPTY): a version pushed
      // between the check and here is never overwritten.
      await rename(temp, destination);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') continue;
      throw error;
    }
    await syncPath(baseDirectory);
    return { destination, version };
  }
  throw new TsfxError(`could not find a free version number in ${baseDirectory}`);
}

/** Removes push folders whose push stopped touching them (killed or crashed). */
async function removeStalePushes(
  baseDirectory: string,
  nowMs: number,
  log?: (message: string) => void,
): Promise<void> {
  for (const name of await readdir(baseDirectory)) {
    if (!name.startsWith(PUSH_TEMP_PREFIX)) continue;
    const path = join(baseDirectory, name);
    const touched = await stat(path).then(
      (s) => s.mtimeMs,
      () => null,
    );
    if (touched === null || nowMs - touched < STALE_PUSH_MS) continue;
    await rm(path, { recursive: true, force: true });
    log?.(`removed ${path}, left by a push that did not finish`);
  }
}

/**
 * Copies a folder of regular files and folders. At the top level the serving manifest goes last,
 * so that even a reader that ignored the rename protocol would not find a manifest before the
 * files it names.
 */
export async function copyTree(from: string, to: string, signal?: AbortSignal): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  entries.sort((a, b) => Number(a.name === SERVING_FILE) - Number(b.name === SERVING_FILE));
  for (const entry of entries) {
    if (signal?.aborted) throw new TsfxError('interrupted');
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(target);
      await copyTree(source, target, signal);
      await syncPath(target);
    } else if (entry.isFile()) {
      await copyFile(source, target);
      await syncPath(target);
    } else {
      throw new TsfxError(
        `${source} is neither a file nor a folder: a model bundle holds only those`,
      );
    }
  }
}

/** fsync: the data (or a folder's entries) reach the disk before the rename publishes them. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
