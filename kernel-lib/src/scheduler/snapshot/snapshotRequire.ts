/**
 * The `require` the task process's bundle gets inside the startup snapshot (see buildSnapshot.ts).
 * While the snapshot is built, Node lets a script load only some built-in modules and no file at
 * all, so every other module (native addons such as better-sqlite3's and DuckDB, packages left out
 * of the bundle, built-ins the snapshot cannot hold such as `node:net`) is a stand-in that loads
 * the real module on first use. Once the snapshot is deserialized in a task process, the real
 * `require` takes over: stand-ins load through it, and later calls go to it directly.
 */

type Require = (request: string) => unknown;

/** Built-in modules Node 20 keeps in a user snapshot (the others warn or fail at build time). */
const IN_SNAPSHOT = new Set([
  'assert',
  'buffer',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'os',
  'path',
  'perf_hooks',
  'querystring',
  'stream',
  'string_decoder',
  'timers',
  'url',
  'util',
  'v8',
  'vm',
  'zlib',
]);

/** The request through which the bundle reaches its `SnapshotRequire` (to switch it). */
export const CONTROL_REQUEST = '#tsfx-snapshot-require';

export interface SnapshotRequire {
  /** With `resolve`, `cache` and `extensions` of the real `require` once there is one. */
  require: Require;
  /** Switches to the real `require` (called first thing after deserialization). */
  useRealRequire(real: NodeJS.Require): void;
}

export function snapshotRequire(builtinRequire: Require): SnapshotRequire {
  let real: NodeJS.Require | null = null;
  const standIns = new Map<string, unknown>();
  const load = (request: string): unknown => {
    if (real) return real(request);
    throw new Error(`${request} is used while the task snapshot is built: it cannot be in it`);
  };
  const requireFn = (request: string): unknown => {
    if (request === CONTROL_REQUEST) return control;
    if (real) return real(request);
    if (IN_SNAPSHOT.has(request.replace(/^node:/, ''))) return builtinRequire(request);
    if (!standIns.has(request))
      standIns.set(
        request,
        standIn(() => load(request)),
      );
    return standIns.get(request);
  };
  const realOne = (): NodeJS.Require => {
    if (real) return real;
    throw new Error('require.resolve, .cache or .extensions is used while the snapshot is built');
  };
  Object.defineProperties(requireFn, {
    resolve: { value: (request: string) => realOne().resolve(request) },
    cache: { get: () => realOne().cache },
    extensions: { get: () => realOne().extensions },
  });
  const control: SnapshotRequire = {
    require: requireFn,
    useRealRequire(realRequire) {
      real = realRequire;
    },
  };
  return control;
}

/**
 * A module's stand-in: any use (a property, a call, `new`) loads the real module and answers from
 * it. `__esModule` reads as undefined before that: TypeScript's `__importDefault` asks for it when
 * the importing module is evaluated, and the packages imported with a default import here
 * (ioredis) are CommonJS modules without it.
 */
function standIn(load: () => unknown): unknown {
  let module: object | null = null;
  const real = (): object => (module ??= load() as object);
  // A bound function: callable and constructible, with no own `prototype` to keep consistent.
  const target = function () {}.bind(null);
  return new Proxy(target, {
    get: (_t, key) =>
      key === '__esModule' && module === null ? undefined : Reflect.get(real(), key),
    set: (_t, key, value) => Reflect.set(real(), key, value),
    has: (_t, key) => Reflect.has(real(), key),
    deleteProperty: (_t, key) => Reflect.deleteProperty(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_t, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    apply: (_t, self, args) => Reflect.apply(real() as (...a: unknown[]) => unknown, self, args),
    construct: (_t, args) => Reflect.construct(real() as new (...a: unknown[]) => object, args),
  });
}
