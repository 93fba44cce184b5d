import Module from 'node:module';
import { join } from 'node:path';

/**
 * Task processes load `tsfx` before their task is known, and a task uses a small part of it. So in
 * a task process two kinds of `require` return a stand-in that loads the real module on first use
 * (a property access or key listing) and answers from it:
 * - `@duckdb/node-api`, whose native binding is the largest part of loading tsfx (measured: ~60%);
 * - the modules the package's index re-exports (`export { X } from './x'` reads `x.X` only when
 *   `X` is used), so a DAG file's `import 'tsfx'` loads the components it names, not all of them.
 * Only task processes do this; the library itself is unchanged.
 */
const LAZY = new Set(['@duckdb/node-api']);

/** The package's index (dist/index.js; this file is dist/scheduler/lazyModules.js). */
const INDEX = join(__dirname, '..', 'index.js');

type Load = (request: string, parent: { filename?: string } | null, isMain: boolean) => unknown;

/** A stand-in for a module that `load` loads on first use. */
function lazyModule(load: () => object): object {
  return new Proxy(
    {},
    {
      get: (_target, key) => Reflect.get(load(), key),
      has: (_target, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

export function deferHeavyModules(): void {
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  const standIns = new Map<string, object>();
  loader._load = function (request, parent, isMain) {
    const reexported = parent?.filename === INDEX && request.startsWith('./');
    if (!reexported && !LAZY.has(request)) return original.call(this, request, parent, isMain);
    let standIn = standIns.get(request);
    if (!standIn) {
      let real: object | null = null;
      standIn = lazyModule(() => (real ??= original.call(this, request, parent, isMain) as object));
      standIns.set(request, standIn);
    }
    return standIn;
  };
}
