import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * Makes `require(name)` return `loaded[name]` for these package names, from any module: a task
 * process started from the snapshot already holds tsfx and @tsfx/protocol, and the DAG file must
 * get those (one `Component` class, one store), not copies loaded again from disk.
 */
export function resolveToLoaded(loaded: Record<string, unknown>): void {
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  loader._load = function (request, parent, isMain) {
    if (Object.hasOwn(loaded, request)) return loaded[request];
    return original.call(this, request, parent, isMain);
  };
}
