// Training benchmark: the taxi wide & deep model trained by the Trainer (the pipeline's steps) on
// each TensorFlow.js backend available here (wasm; tfjs-node where installed), against scikit-learn's LogisticRegression and
// MLPClassifier (64-32, the same number of epochs) fitted on the same transformed features.
// Each subject runs in its own process.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tfjsNodeAvailable } from '../kernel-lib/src/trainer/backend';
import { printTable, REPO_ROOT } from './lib/measure';
import { spawnSync } from 'node:child_process';

/** Target for the Trainer component's whole run on the taxi sample (tests assert no time). */
const TRAINER_RUN_TARGET_S = 60;
const TRAIN_STEPS_LABEL = `${process.env.TRAIN_STEPS ?? 200} steps of 512`;

interface Result {
  backend?: string;
  trainSeconds: number;
  /** The Trainer component's run, wall time (tsfx subjects only). */
  runSeconds?: number;
  examplesPerSecond: number;
  examples: number;
  auc: number | null;
  maxRssKb: number;
}

function runJson(command: string, args: string[]): Result {
  const out = spawnSync(command, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${out.status})`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsfx-bench-training-'));
  const worker = join(REPO_ROOT, 'bench', 'lib', 'trainingWorker.ts');
  // tfjs's pure-JavaScript `cpu` backend is left out: on this model it did not finish 10 steps in
  // five minutes here.
  const backends = ['wasm', ...(tfjsNodeAvailable() ? ['tensorflow'] : [])];
  const rows: { subject: string; result: Result }[] = [];
  for (const [i, backend] of backends.entries()) {
    const args = ['--import', 'tsx', worker, backend, join(dir, backend)];
    if (i === 0) args.push(dir);
    rows.push({
      subject: `tsfx Trainer (tfjs ${backend})`,
      result: runJson(process.execPath, args),
    });
  }
  const epochs = Math.max(
    1,
    Math.round(
      rows[0].result.examples /
        (readFileSync(join(dir, 'train.csv'), 'utf8').split('\n').length - 2),
    ),
  );
  const script = join(REPO_ROOT, 'bench', 'lib', 'sklearn_fit.py');
  if (existsSync('/usr/bin/python3')) {
    for (const model of ['logistic', 'mlp']) {
      rows.push({
        subject: `scikit-learn ${model === 'mlp' ? 'MLPClassifier 64-32' : 'LogisticRegression'}`,
        result: runJson('/usr/bin/python3', [
          script,
          join(dir, 'train.csv'),
          join(dir, 'eval.csv'),
          model,
          String(epochs),
        ]),
      });
    }
  }
  const reference = rows[0].result;
  printTable(
    'Training the taxi model (15,000-row sample, eval AUC on the eval split)',
    rows.map(({ subject, result }) => ({
      subject,
      'fit seconds': result.trainSeconds.toFixed(2),
      'examples/s': Math.round(result.examplesPerSecond).toLocaleString('en-US'),
      'examples seen': result.examples.toLocaleString('en-US'),
      'eval AUC': result.auc === null ? '-' : result.auc.toFixed(4),
      'peak RSS MB': (result.maxRssKb / 1024).toFixed(0),
      'time vs tsfx wasm': (result.trainSeconds / reference.trainSeconds).toFixed(2),
    })),
  );
  printTable(
    `The Trainer component, one whole run (read, ${TRAIN_STEPS_LABEL}, evaluate, write the bundle)`,
    rows
      .filter(({ result }) => result.runSeconds !== undefined)
      .map(({ subject, result }) => ({
        subject,
        'run seconds': result.runSeconds!.toFixed(2),
        target: `${TRAINER_RUN_TARGET_S} s`,
        'vs target': (result.runSeconds! / TRAINER_RUN_TARGET_S).toFixed(3),
      })),
  );
  console.log(
    `target: >= 30,000 examples/s on wasm: ${reference.examplesPerSecond >= 30000 ? 'met' : 'NOT met'} (${Math.round(reference.examplesPerSecond)})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
