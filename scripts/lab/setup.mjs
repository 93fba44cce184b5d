// Builds what the JupyterLab app needs, skipping quickly when its inputs have not changed:
//   1. the jupyterlab-tsfx extension (tsc -b extension),
//   2. the app: the standard JupyterLab of @jupyterlab/core-meta plus jupyterlab-tsfx
//      (node lab/build.mjs -> build/lab),
//   3. jupyterlab-tsfx as a prebuilt (federated) labextension (-> build/labextensions/jupyterlab-tsfx).
// Node packages come from the root `npm ci` (extension and lab are workspaces); Debian packages
// (python3-jupyter-server, python3-jupyterlab-server, chromium) from scripts/apt-packages.txt.
// Only node builtins are imported here.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const STAMP_VERSION = 1;

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out.sort();
}

/** The files whose content decides the build output. */
export function labInputs(root) {
  const r = (...p) => path.join(root, ...p);
  const installed = (name) => r('node_modules', ...name.split('/'), 'package.json');
  return [
    r('package-lock.json'),
    r('protocol', 'package.json'),
    r('protocol', 'tsconfig.json'),
    ...listFiles(r('protocol', 'src')),
    r('extension', 'package.json'),
    r('extension', 'tsconfig.json'),
    ...listFiles(r('extension', 'src')),
    ...listFiles(r('extension', 'style')),
    r('lab', 'package.json'),
    r('lab', 'build.mjs'),
    ...listFiles(r('lab', 'src')),
    installed('@jupyterlab/core-meta'),
    installed('@jupyter/builder'),
    installed('@rspack/core'),
  ];
}

export function labInputsHash(root) {
  const hash = createHash('sha256');
  hash.update(`tsfx-lab-stamp-${STAMP_VERSION}\n`);
  for (const file of labInputs(root)) {
    hash.update(path.relative(root, file) + '\n');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : 'missing');
    hash.update('\n');
  }
  return hash.digest('hex');
}

export function labOutputs(root) {
  return [
    path.join(root, 'build', 'lab', 'static', 'index.html'),
    path.join(root, 'build', 'lab', 'static', 'package.json'),
    path.join(root, 'build', 'lab', 'settings', 'overrides.d', 'tsfx.json'),
    path.join(root, 'extension', 'dist', 'index.js'),
    path.join(root, 'build', 'labextensions', 'jupyterlab-tsfx', 'package.json'),
  ];
}

function run(cmd, args, { cwd, log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else {
        log(output.split('\n').slice(-60).join('\n'));
        reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}`));
      }
    });
  });
}

function checkPython() {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py))
    throw new Error(`${py} is missing (Debian python3; see scripts/apt-packages.txt)`);
}

export async function setupLab({ root, log = console.log }) {
  root = path.resolve(root);
  checkPython();
  const stampFile = path.join(root, 'build', 'lab', 'stamp.json');
  const hash = labInputsHash(root);
  const outputsPresent = labOutputs(root).every((f) => fs.existsSync(f));
  if (outputsPresent && fs.existsSync(stampFile)) {
    try {
      if (JSON.parse(fs.readFileSync(stampFile, 'utf8')).inputs === hash) {
        log('lab: up to date (build/lab, build/labextensions/jupyterlab-tsfx)');
        return { built: false };
      }
    } catch {
      // unreadable stamp: rebuild
    }
  }
  for (const dep of ['@jupyterlab/core-meta', '@jupyter/builder', '@rspack/core', 'typescript']) {
    if (!fs.existsSync(path.join(root, 'node_modules', ...dep.split('/'), 'package.json'))) {
      throw new Error(
        `lab: node_modules/${dep} is missing; run npm ci (or npm install) at ${root} first`,
      );
    }
  }
  const node = process.execPath;
  const t0 = Date.now();
  const step = async (name, args, cwd = root) => {
    const s = Date.now();
    await run(node, args, { cwd, log });
    log(`lab: ${name} (${((Date.now() - s) / 1000).toFixed(1)} s)`);
  };
  await step('extension compiled (tsc -b extension)', [
    path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-b',
    'extension',
  ]);
  await step('app built (lab/build.mjs -> build/lab)', [path.join(root, 'lab', 'build.mjs')]);
  await step(
    'prebuilt labextension built (build/labextensions/jupyterlab-tsfx)',
    [
      path.join(root, 'node_modules', '@jupyter', 'builder', 'lib', 'build-labextension.js'),
      '--core-package-file',
      path.join(root, 'node_modules', '@jupyterlab', 'core-meta', 'core.package.json'),
      '.',
    ],
    path.join(root, 'extension'),
  );
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(
    stampFile,
    JSON.stringify({ inputs: hash, builtAt: new Date().toISOString() }, null, 2) + '\n',
  );
  log(`lab: built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  setupLab({
    root: path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..'),
  }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
