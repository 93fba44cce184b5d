#!/usr/bin/env node
// `npm start` after setup: runs the taxi pipeline (cached components are reused, so this only
// executes what has not run) and says where its artifacts are; then, unless --headless, starts
// JupyterLab on 127.0.0.1 with a token and prints the notebook's URL until interrupted.
import { spawnSync } from 'node:child_process';
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

const { startLab } = await import(pathToFileURL(labStart).href);
const port = Number(values.port ?? process.env.PORT ?? 8888);
const token = randomBytes(24).toString('hex');
const lab = await startLab({
  root,
  port,
  host: values.host,
  token,
  notebookPath: 'notebooks/notebook.ipynb',
  log: (m) => console.log(`[lab] ${m}`),
});
console.log('\n[start] JupyterLab is running; open the walkthrough notebook at:');
console.log(lab.url);
console.log('[start] press Ctrl+C to stop');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping JupyterLab');
  await lab.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
