import Module from 'node:module';

/**
 * Task processes load `tsfx` before their task is known, and most tasks never touch DuckDB, whose
 * native binding is the largest part of that load (measured: ~60% of `require('tsfx')`). So in a
 * task process `@duckdb/node-api` is required for real only when a task first uses something from
 * it: until then `require` returns a stand-in whose every property access (or key listing) loads
 * the module and answers from it. Only task processes do this; the library itself is unchanged.
 */
const LAZY = new Set(['@duckdb/node-api']);

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

export function deferHeavyModules(): void {
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  const standIns = new Map<string, object>();
  loader._load = function (request, parent, isMain) {
    if (!LAZY.has(request)) return original.call(this, request, parent, isMain);
    let standIn = standIns.get(request);
    if (!standIn) {
      let real: object | null = null;
      const load = (): object => (real ??= original.call(this, request, parent, isMain) as object);
      standIn = new Proxy(
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
      standIns.set(request, standIn);
    }
    return standIn;
  };
}
