// Runs the walkthrough notebook into a folder of its own, for the notebook and the browser tests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TSFX_BIN } from '../helpers';

/** What the notebook reads from its environment. */
export interface NotebookEnvironment {
  /** The InteractiveContext's root (the notebook's first cell reads it). */
  TSFX_NOTEBOOK_ROOT: string;
  /** The store of the "scheduled" pipeline the orchestration part reads with latestArtifacts. */
  TSFX_METADATA: string;
}

/**
 * A fresh notebook root under `dir`, and a store in which the taxi pipeline ran its first two
 * components (as `tsfx run --component` would in a scheduled run), for the notebook's
 * `latestArtifacts('chicago_taxi')` cell.
 */
export function notebookEnvironment(dir: string): NotebookEnvironment {
  const metadata = join(dir, 'scheduled', 'metadata.sqlite');
  const run = spawnSync(
    process.execPath,
    [
      TSFX_BIN,
      'run',
      join(REPO_ROOT, 'notebooks', 'dags', 'taxi_pipeline.ts'),
      '--component',
      'CsvExampleGen',
      '--component',
      'StatisticsGen',
      '--pipeline-root',
      join(dir, 'scheduled'),
      '--metadata',
      metadata,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`tsfx run failed:\n${run.stdout}\n${run.stderr}`);
  return { TSFX_NOTEBOOK_ROOT: join(dir, 'interactive'), TSFX_METADATA: metadata };
}

const EXECUTE = `
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
client = nbclient.NotebookClient(nb, timeout=300, kernel_name='tslab', resources={'metadata': {'path': sys.argv[3]}})
client.execute()
nbformat.write(nb, sys.argv[2])`;

/**
 * Runs notebooks/notebook.ipynb top to bottom with the tslab kernel (nbclient, as Jupyter would)
 * into `out`; the status and stderr of nbclient.
 */
export function executeNotebook(
  out: string,
  env: NotebookEnvironment,
): { status: number | null; stderr: string } {
  const run = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      EXECUTE,
      join(REPO_ROOT, 'notebooks', 'notebook.ipynb'),
      out,
      join(REPO_ROOT, 'notebooks'),
    ],
    {
      encoding: 'utf8',
      // The tslab kernel spec that setup installs into build/jupyter.
      env: {
        ...process.env,
        ...env,
        JUPYTER_PATH: join(REPO_ROOT, 'build', 'jupyter', 'share', 'jupyter'),
      },
    },
  );
  return { status: run.status, stderr: run.stderr };
}
