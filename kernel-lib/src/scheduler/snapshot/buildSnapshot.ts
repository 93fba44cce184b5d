import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'esbuild';
import { CONTROL_REQUEST } from './snapshotRequire';
import {
  DEFAULT_SNAPSHOT_FOLDER,
  DIST_FOLDER,
  currentSnapshot,
  inputsHash,
  snapshotFiles,
  snapshotInputs,
  type SnapshotManifest,
} from './snapshotFiles';

/**
 * Builds the task process's startup snapshot (Node's `--build-snapshot`): an esbuild bundle of
 * the task process's code (kernel-lib/dist from snapshotEntry.js, @tsfx/protocol and the small
 * pure-JavaScript packages they use), evaluated once, its heap saved to a blob. A task process
 * started with `--snapshot-blob` then skips loading and compiling all of it (measured: ~0.2 s of
 * CPU of ~0.4 s). Native addons and the other packages stay out (see snapshotRequire.ts); of
 * better-sqlite3, only its addon does.
 */

/**
 * Packages bundled into the snapshot: pure JavaScript, loaded by every task process, and
 * better-sqlite3's JavaScript (its addon loads by path, see nativeAddonByPath).
 */
const BUNDLED_PACKAGES = ['@tsfx/protocol', 'valibot', 'croner', 'jsonc-parser', 'better-sqlite3'];

const BUILTINS = new Set(builtinModules);

function packageName(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Leaves out every package but BUNDLED_PACKAGES (and built-ins, which snapshotRequire gives). */
const externals: Plugin = {
  name: 'tsfx-snapshot-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === CONTROL_REQUEST) return { path: args.path, external: true };
      const name = args.path.replace(/^node:/, '');
      if (args.path.startsWith('node:') || BUILTINS.has(name)) return { external: true };
      if (BUNDLED_PACKAGES.includes(packageName(args.path))) return undefined;
      return { external: true };
    });
  },
};

/** Each bundled module keeps its own `__dirname` and `__filename` (tsfx finds files by them). */
const ownDirname: Plugin = {
  name: 'tsfx-snapshot-dirname',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const own = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};\n`;
      return { contents: own + source, loader: 'js' };
    });
  },
};

/**
 * better-sqlite3's native addon, found as its `bindings` finds it (searching a dozen folders,
 * reading package.json files: ~15 ms of a task's CPU), here once at build time.
 */
function betterSqlite3Addon(): string {
  const packageJson = createRequire(join(DIST_FOLDER, 'index.js')).resolve(
    'better-sqlite3/package.json',
  );
  const bindings = createRequire(packageJson)('bindings') as (options: object) => string;
  return bindings({
    bindings: 'better_sqlite3.node',
    module_root: dirname(packageJson),
    path: true,
  });
}

/** better-sqlite3's `require('bindings')(name)` in the bundle: the addon required by its path. */
function nativeAddonByPath(addon: string): Plugin {
  return {
    name: 'tsfx-snapshot-native-addon',
    setup(build) {
      build.onResolve({ filter: /^bindings$/ }, (args) =>
        args.importer.includes(`${sep}better-sqlite3${sep}`)
          ? { path: addon, namespace: 'tsfx-native-addon' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'tsfx-native-addon' }, (args) => ({
        contents: `module.exports = () => require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
      // Loaded at run time (on first use), never bundled.
      build.onResolve({ filter: /\.node$/ }, () => ({ external: true }));
    },
  };
}

/** The bundle in a wrapper that gives it snapshotRequire's `require`. */
function entryScript(bundle: string): string {
  const requireModule = readFileSync(
    join(DIST_FOLDER, 'scheduler', 'snapshot', 'snapshotRequire.js'),
    'utf8',
  );
  return [
    '(function (builtinRequire) {',
    '  const { snapshotRequire } = (function () {',
    '    const module = { exports: {} };',
    '    const exports = module.exports;',
    requireModule,
    '    return module.exports;',
    '  })();',
    '  const control = snapshotRequire(builtinRequire);',
    '  (function (require, module, exports) {',
    bundle,
    '  })(control.require, { exports: {} }, {});',
    '})(require);',
    '',
  ].join('\n');
}

async function bundleTaskProcess(): Promise<{ code: string; bundled: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const addon = betterSqlite3Addon();
  const result = await esbuild.build({
    entryPoints: [join(DIST_FOLDER, 'scheduler', 'snapshot', 'snapshotEntry.js')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's `main` is a UMD file that hides its requires from the bundler.
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
    plugins: [nativeAddonByPath(addon), externals, ownDirname],
  });
  const dist = resolve(DIST_FOLDER);
  const bundled = Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith('tsfx-native-addon:'))
    .map((input) => resolve(input))
    .filter((path) => !path.startsWith(`${dist}/`));
  // The addon is an input too: rebuilt (another better-sqlite3), the snapshot is stale.
  return { code: result.outputFiles[0].text, bundled: [...bundled, addon] };
}

/**
 * Builds the snapshot into `folder` unless the one there is current. Returns what it did. A
 * failed build leaves no blob behind (task processes then start the plain way) and throws.
 */
export async function buildTaskSnapshot(
  folder = DEFAULT_SNAPSHOT_FOLDER,
): Promise<'built' | 'up to date'> {
  const files = snapshotFiles(folder);
  if ('blob' in currentSnapshot(folder)) return 'up to date';
  mkdirSync(folder, { recursive: true });
  rmSync(files.manifest, { force: true });
  const { code, bundled } = await bundleTaskProcess();
  // The inputs as read before building: a file changed meanwhile makes the snapshot stale.
  const inputs = snapshotInputs(bundled);
  const hash = inputsHash(inputs);
  writeFileSync(files.entry, entryScript(code));
  const temporary = `${files.blob}.${process.pid}.tmp`;
  const built = spawnSync(
    process.execPath,
    ['--snapshot-blob', temporary, '--build-snapshot', files.entry],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (built.status !== 0) {
    rmSync(temporary, { force: true });
    rmSync(files.blob, { force: true });
    throw new Error(`building the task snapshot failed: ${built.stderr.trim() || built.status}`);
  }
  renameSync(temporary, files.blob);
  const manifest: SnapshotManifest = {
    node: process.version,
    arch: process.arch,
    bundled,
    inputs,
    hash,
  };
  writeFileSync(`${files.manifest}.tmp`, JSON.stringify(manifest));
  renameSync(`${files.manifest}.tmp`, files.manifest);
  return 'built';
}
