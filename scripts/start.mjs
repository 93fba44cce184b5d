#!/usr/bin/env node
// `npm start` after setup: runs the taxi pipeline (cached components are reused, so this only
// executes what has not run) and says where its artifacts are; then, unless --headless, starts
// the scheduler (dags folder notebooks/dags, the store .tsfx/metadata.sqlite, as the notebook
// and the CLI) and JupyterLab on 127.0.0.1 with a token, prints both, and stops both on Ctrl+C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { root } from './setup.mjs';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    // Where the pipeline writes (default: the pipeline's own, under .tsfx/).
    'pipeline-root': { type: 'string' },
    metadata: { type: 'string' },
  },
});

const tsfx = join(root, 'kernel-lib', 'bin', 'tsfx.js');
const pipelineFile = join('notebooks', 'dags', 'taxi_pipeline.ts');
console.log(`[start] running the taxi pipeline (${pipelineFile})`);
const where = [
  ...(values['pipeline-root'] ? ['--pipeline-root', values['pipeline-root']] : []),
  ...(values.metadata ? ['--metadata', values.metadata] : []),
];
const run = spawnSync(process.execPath, [tsfx, 'run', pipelineFile, ...where], {
  cwd: root,
  stdio: 'inherit',
});
if (run.status !== 0) process.exit(run.status ?? 1);
console.log('\n[start] artifacts (npx tsfx artifacts):');
// A given pipeline root keeps its own store (as taxi_pipeline.ts) unless a store is named too.
const metadata =
  values.metadata ??
  (values['pipeline-root'] ? join(values['pipeline-root'], 'metadata.sqlite') : undefined);
spawnSync(process.execPath, [tsfx, 'artifacts', ...(metadata ? ['--metadata', metadata] : [])], {
  cwd: root,
  stdio: 'inherit',
});

const labStart = join(root, 'scripts', 'lab', 'start.mjs');
if (values.headless || !existsSync(labStart)) {
  if (!values.headless)
    console.log('\n[start] JupyterLab is not part of this build yet: pipeline only.');
  process.exit(0);
}

/**
 * `tsfx scheduler` in the repository (its defaults are the notebook's dags folder and store), its
 * lines prefixed with [scheduler]; resolves once it serves its API. When a scheduler already runs
 * on this store, that one is used (and left running on exit).
 */
function startScheduler() {
  const child = spawn(process.execPath, [tsfx, 'scheduler'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl+C signals this script's group only, and this
    // script alone tells the scheduler to stop (else it would get the signal twice).
    detached: true,
  });
  // Should this script end another way (an error), the scheduler does not outlive it.
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  let output = '';
  const print = (chunk) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line) console.log(`[scheduler] ${line}`);
  };
  child.stdout.on('data', print);
  child.stderr.on('data', print);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('API on unix socket')) {
        clearInterval(timer);
        resolve({ child, exited, owned: true });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      if (/already running|is running/i.test(output))
        resolve({ child: null, exited, owned: false });
      else reject(new Error(`the scheduler exited (status ${code}) before serving its API`));
    });
  });
}

const scheduler = await startScheduler();
if (!scheduler.owned) console.log('[start] using the scheduler already running on this store');

const { startLab } = await import(pathToFileURL(labStart).href);
const port = Number(values.port ?? process.env.PORT ?? 8888);
const token = randomBytes(24).toString('hex');
let lab;
try {
  lab = await startLab({
    root,
    port,
    host: values.host,
    token,
    notebookPath: 'notebooks/notebook.ipynb',
    log: (m) => console.log(`[lab] ${m}`),
  });
} catch (error) {
  scheduler.child?.kill('SIGTERM');
  await scheduler.exited;
  throw error;
}
const info = spawnSync(process.execPath, [tsfx, 'info', '-o', 'json'], { cwd: root });
const socket = info.status === 0 ? JSON.parse(info.stdout.toString()).api_socket : '?';
console.log(`\n[start] the scheduler serves its API on unix socket ${socket}`);
console.log(`[start] JupyterLab proxies it (Jupyter's token needed): ${lab.baseUrl}/tsfx/api/dags`);
console.log('[start] the DAG panel is in the left sidebar');
console.log('[start] JupyterLab is running; open the walkthrough notebook at:');
console.log(lab.url);
console.log('[start] press Ctrl+C to stop both');
let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping JupyterLab and the scheduler');
  const schedulerDone = (async () => {
    if (!scheduler.owned) return;
    scheduler.child.kill(signal);
    await scheduler.exited;
  })();
  await Promise.all([lab.stop(), schedulerDone]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
