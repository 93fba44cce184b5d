// An ArtifactFileReader over a folder, as JupyterLab's contents API reads the server's root:
// paths relative to it, `/`-separated.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArtifactFileReader } from '@tsfx/protocol';

export function folderReader(root: string): ArtifactFileReader {
  return {
    list: (dir) => Promise.resolve(readdirSync(join(root, dir))),
    read: (path) =>
      Promise.resolve(existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null),
  };
}

/** Writes `text` at `path` under `root`, making its folders. */
export function put(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
