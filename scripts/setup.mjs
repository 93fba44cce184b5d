#!/usr/bin/env node
// Sets up what `npm start` and `npm test` need on a fresh Debian machine, skipping each step that
// is already done: Debian packages (scripts/apt-packages.txt), npm packages, the TypeScript build,
// the tslab kernel spec, and the JupyterLab app when the project has one. Uses node builtins only:
// it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stamps = join(root, 'build', 'stamps');

export function log(message) {
  console.log(`[setup] ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed with status ${result.status}`);
}

function stampIsCurrent(name, hash) {
  const file = join(stamps, name);
  return existsSync(file) && readFileSync(file, 'utf8') === hash;
}

function writeStamp(name, hash) {
  mkdirSync(stamps, { recursive: true });
  writeFileSync(join(stamps, name), hash);
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    if (existsSync(join(root, file))) hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

function aptPackages() {
  return readFileSync(join(root, 'scripts', 'apt-packages.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** The packages of `pkgs` dpkg does not have installed (one dpkg-query for all of them). */
function notInstalled(pkgs) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...pkgs], {
    encoding: 'utf8',
  });
  const installed = new Set(
    (result.stdout ?? '')
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]),
  );
  return pkgs.filter((pkg) => !installed.has(pkg));
}

function setupDebianPackages() {
  const missing = notInstalled(aptPackages());
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    asRoot.length ? run('sudo', ['apt-get', ...args], { env }) : run('apt-get', args, { env });
  apt(['update', '-q']);
  apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
}

function workspacePackageFiles() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return [
    'package.json',
    'package-lock.json',
    ...(pkg.workspaces ?? []).map((w) => `${w}/package.json`),
  ];
}

function setupNpmPackages() {
  const hash = hashFiles(workspacePackageFiles());
  if (existsSync(join(root, 'node_modules', '.package-lock.json')) && stampIsCurrent('npm', hash))
    return;
  log('installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeStamp('npm', hash);
}

function buildKernelLib() {
  run(process.execPath, [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-b',
    'kernel-lib',
  ]);
  // The scheduler's task processes start from it; they start without it too (slower): a failed
  // build is a warning.
  try {
    run(process.execPath, [join(root, 'scripts', 'build-task-snapshot.mjs')]);
  } catch (error) {
    log(`warning: ${error.message}; task processes will start without the snapshot`);
  }
}

export const jupyterPrefix = join(root, 'build', 'jupyter');
export const jupyterPath = join(jupyterPrefix, 'share', 'jupyter');

function setupKernelSpec() {
  const binary = join(root, 'node_modules', '.bin', 'tslab');
  const spec = join(jupyterPath, 'kernels', 'tslab', 'kernel.json');
  if (existsSync(spec) && readFileSync(spec, 'utf8').includes(binary)) return;
  log('installing the tslab kernel spec into build/jupyter');
  run(process.execPath, [
    join(root, 'node_modules', 'tslab', 'bin', 'tslab'),
    'install',
    '--python=/usr/bin/python3',
    `--prefix=${jupyterPrefix}`,
    `--binary=${binary}`,
  ]);
}

async function setupLab() {
  const labSetup = join(root, 'scripts', 'lab', 'setup.mjs');
  if (!existsSync(labSetup)) return;
  const { setupLab } = await import(pathToFileURL(labSetup).href);
  await setupLab({ root, log });
}

export async function setup() {
  const started = Date.now();
  setupDebianPackages();
  setupNpmPackages();
  buildKernelLib();
  setupKernelSpec();
  await setupLab();
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  setup().catch((error) => {
    console.error(`[setup] error: ${error.message}`);
    process.exit(1);
  });
}
