import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the task process's startup snapshot lives, what it was built from, and whether it is still
 * current. The blob holds tsfx's code as it was at build time (and the code fingerprint of the
 * component cache), so it is used only while every file it was built from is unchanged, by the
 * same Node; otherwise task processes start the plain way.
 */

/** kernel-lib/build/task-snapshot (the same path from src/ and dist/). */
export const DEFAULT_SNAPSHOT_FOLDER = join(__dirname, '..', '..', '..', 'build', 'task-snapshot');

/** kernel-lib/dist: the compiled code the snapshot holds and the code fingerprint hashes. */
export const DIST_FOLDER = join(__dirname, '..', '..', '..', 'dist');

export interface SnapshotFiles {
  blob: string;
  manifest: string;
  /** The script `node --build-snapshot` runs (the bundle in its wrapper). */
  entry: string;
}

export function snapshotFiles(folder = DEFAULT_SNAPSHOT_FOLDER): SnapshotFiles {
  return {
    blob: join(folder, 'taskProcess.blob'),
    manifest: join(folder, 'manifest.json'),
    entry: join(folder, 'entry.cjs'),
  };
}

/** Node's options for a task process started from `blob`. */
export function snapshotExecArgv(blob: string): string[] {
  return ['--snapshot-blob', blob];
}

/**
 * `execArgv` without snapshotExecArgv's options: what a task process's own `fork()`s inherit, or a
 * forked Node child would run the snapshot's task process instead of its script.
 */
export function withoutSnapshotExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    // `--snapshot-blob <path>`: the path goes too.
    if (execArgv[i] === '--snapshot-blob') i++;
    else if (!execArgv[i].startsWith('--snapshot-blob=')) kept.push(execArgv[i]);
  }
  return kept;
}

interface InputFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface SnapshotManifest {
  node: string;
  arch: string;
  /** The files bundled from outside kernel-lib/dist (@tsfx/protocol, valibot, …). */
  bundled: string[];
  /** Every input (those and all of kernel-lib/dist's .js files) with its size and time then. */
  inputs: InputFile[];
  /** sha256 of the inputs' paths and contents. */
  hash: string;
}

/** Every .js file under `folder` (the code fingerprint reads them all), sorted. */
export function javaScriptFiles(folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) files.push(path);
    }
  };
  walk(folder);
  return files.sort();
}

/** The inputs of a snapshot bundling `bundled` besides `dist`'s files, as they are now. */
export function snapshotInputs(bundled: string[], dist = DIST_FOLDER): InputFile[] {
  const paths = [...new Set([...bundled, ...javaScriptFiles(dist)])].sort();
  return paths.map((path) => {
    const stat = statSync(path);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs };
  });
}

export function inputsHash(inputs: InputFile[]): string {
  const hash = createHash('sha256');
  for (const { path } of inputs) hash.update(path).update('\0').update(readFileSync(path));
  return hash.digest('hex');
}

/**
 * The blob to start task processes from, or why there is none: missing, built by another Node,
 * or stale (a file it was built from changed, appeared or went away since).
 */
export function currentSnapshot(
  folder = DEFAULT_SNAPSHOT_FOLDER,
  dist = DIST_FOLDER,
): { blob: string } | { reason: string } {
  const files = snapshotFiles(folder);
  if (!existsSync(files.blob) || !existsSync(files.manifest))
    return { reason: `no task snapshot in ${folder}` };
  let manifest: SnapshotManifest;
  try {
    manifest = JSON.parse(readFileSync(files.manifest, 'utf8')) as SnapshotManifest;
  } catch {
    return { reason: `${files.manifest} is unreadable` };
  }
  if (manifest.node !== process.version || manifest.arch !== process.arch)
    return { reason: `the task snapshot was built by Node ${manifest.node} ${manifest.arch}` };
  let now: InputFile[];
  try {
    now = snapshotInputs(manifest.bundled, dist);
  } catch {
    return { reason: 'a file the task snapshot was built from is gone' };
  }
  const stale = { reason: 'the task snapshot is older than the code (rebuild: npm run build)' };
  if (now.length !== manifest.inputs.length) return stale;
  const same = now.every((f, i) => {
    const then = manifest.inputs[i];
    return f.path === then.path && f.size === then.size && f.mtimeMs === then.mtimeMs;
  });
  // Same sizes and times: unchanged. Otherwise the contents decide (a rebuild rewriting a file
  // with the same text changes its time only).
  if (!same && inputsHash(now) !== manifest.hash) return stale;
  return { blob: files.blob };
}
