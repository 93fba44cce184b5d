import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

/**
 * How a task process loads a DAG file and its local TypeScript imports without tsx: each `.ts`
 * file is compiled once per content to CommonJS with esbuild (what tsx uses too), kept in
 * `cacheFolder` under the hash of its source, and later task processes read the compiled file.
 * Measured: registering tsx and loading through it costs a task process ~70 ms of CPU, and makes
 * Node read the source map of every module loaded after it; a cached file costs a read and a hash.
 * The module keeps its own path (`__dirname`, `require` of relative and package imports, stack
 * traces name the `.ts` file; their line numbers are the compiled file's, close to the source's).
 */

/** Part of the cache key: a change of compile options must not reuse older output. */
const COMPILE_OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20' } as const;
const CACHE_VERSION = JSON.stringify(COMPILE_OPTIONS);

interface CompilingModule {
  _compile(code: string, filename: string): void;
}
type ExtensionLoader = (module: CompilingModule, filename: string) => void;

let registeredFolder: string | null = null;

/** The compiled CommonJS of a TypeScript file (from the cache, or compiled now and cached). */
export function compiledTypeScript(filename: string, cacheFolder: string): string {
  const source = readFileSync(filename, 'utf8');
  const hash = createHash('sha256').update(CACHE_VERSION).update('\0').update(source).digest('hex');
  const cached = join(cacheFolder, `${hash}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not compiled yet.
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { code } = esbuild.transformSync(source, { ...COMPILE_OPTIONS, sourcefile: filename });
  mkdirSync(cacheFolder, { recursive: true });
  // Written aside and renamed: a process reading it concurrently sees all of it or nothing.
  const temporary = `${cached}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, cached);
  return code;
}

/** Lets `require` load `.ts` files through `compiledTypeScript` (once per process). */
export function registerCompiledTypeScript(cacheFolder: string): void {
  if (registeredFolder !== null) return;
  registeredFolder = cacheFolder;
  const extensions = (Module as unknown as { _extensions: Record<string, ExtensionLoader> })
    ._extensions;
  extensions['.ts'] = (module, filename) =>
    module._compile(compiledTypeScript(filename, cacheFolder), filename);
}
