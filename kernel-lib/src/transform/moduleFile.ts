import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { TsfxError } from '../errors';

let tsLoaderRegistered = false;

/**
 * Loads a module file (TypeScript through tsx, or JavaScript) afresh: an edited file is read
 * again (its content hash is part of the component's cache key, so an edit also misses the cache).
 */
export function loadModuleFile(file: string): Record<string, unknown> {
  const path = resolve(file);
  if (!existsSync(path)) throw new TsfxError(`module file ${file} does not exist`);
  if (/\.[cm]?tsx?$/.test(path) && !tsLoaderRegistered) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register: () => unknown }).register();
    tsLoaderRegistered = true;
  }
  delete require.cache[path];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as Record<string, unknown>;
}

/** A function exported by a module file, or a one-line error naming what is missing. */
export function moduleFunction<F>(module: Record<string, unknown>, name: string, file: string): F {
  const fn = module[name];
  if (typeof fn !== 'function')
    throw new TsfxError(`module file ${file} does not export ${name}()`);
  return fn as F;
}
