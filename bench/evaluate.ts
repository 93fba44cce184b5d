// Evaluator benchmark: the taxi EvalConfig (overall, trip_start_hour, trip_start_day ×
// trip_start_hour) on a generated 1M-row eval set (BENCH_EVAL_ROWS), end to end with tsfx's
// Evaluator, and as the peer the same per-slice metrics and plots computed by pandas +
// scikit-learn on the same model's predictions. Subjects run in turns, each in its own process.
// TFMA takes ~9 minutes for 8,000 examples with one slice (tensorflow/model-analysis#108).
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { printTable, REPO_ROOT, taxiCsv } from './lib/measure';

const ROWS = Number(process.env.BENCH_EVAL_ROWS ?? 1_000_000);
const TURNS = Number(process.env.BENCH_EVAL_TURNS ?? 2);

interface TsfxRun {
  seconds: number;
  cpuSeconds: number;
  examples: number;
  slices: number;
  scoreSeconds: number;
  metricSeconds: number;
  auc: number;
  maxRssKb: number;
}
interface PeerRun {
  readSeconds: number;
  metricSeconds: number;
  slices: number;
  auc: number;
  maxRssKb: number;
}

function runJson<T>(command: string, args: string[]): T {
  const out = spawnSync(command, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${out.status})`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as T;
}

function trainCsv(): string {
  const file = join(REPO_ROOT, 'build', 'bench', 'taxi-train-50000-seed2.csv');
  if (!existsSync(file)) {
    const generator = join(REPO_ROOT, 'scripts', 'generate-taxi-csv.mjs');
    const args = [generator, '--rows', '50000', '--seed', '2', '--out', file];
    const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('generate-taxi-csv.mjs failed');
  }
  return file;
}

async function main(): Promise<void> {
  const dir = join(REPO_ROOT, 'build', 'bench', `evaluate-${ROWS}`);
  mkdirSync(dir, { recursive: true });
  const worker = join(REPO_ROOT, 'bench', 'lib', 'evaluateWorker.ts');
  const evalCsv = await taxiCsv(ROWS);
  if (!existsSync(join(dir, 'prepared.json'))) {
    console.log(
      'preparing: training the taxi model on 50,000 generated rows, ingesting the eval set',
    );
    runJson(process.execPath, ['--import', 'tsx', worker, 'prepare', dir, trainCsv(), evalCsv]);
  }
  const tsfx: TsfxRun[] = [];
  const peer: PeerRun[] = [];
  const script = join(REPO_ROOT, 'bench', 'lib', 'sklearn_slices.py');
  for (let turn = 0; turn < TURNS; turn++) {
    tsfx.push(runJson(process.execPath, ['--import', 'tsx', worker, 'evaluate', dir]));
    peer.push(runJson('/usr/bin/python3', [script, join(dir, 'predictions.csv')]));
  }
  const best = <T>(runs: T[], key: (r: T) => number) =>
    runs.reduce((a, b) => (key(b) < key(a) ? b : a));
  const t = best(tsfx, (r) => r.seconds);
  const p = best(peer, (r) => r.metricSeconds);
  const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
  printTable(
    `Evaluating ${ROWS.toLocaleString('en-US')} examples, taxi EvalConfig (${t.slices} slices; best of ${TURNS})`,
    [
      {
        subject: 'tsfx Evaluator, end to end (read, transform, score, slice, metrics, plots)',
        seconds: t.seconds.toFixed(2),
        'examples/s': rate(t.examples, t.seconds),
        'CPU s': t.cpuSeconds.toFixed(2),
        'metric phase s': t.metricSeconds.toFixed(3),
        'metric phase vs peer': (t.metricSeconds / p.metricSeconds).toFixed(2),
        'peak RSS MB': (t.maxRssKb / 1024).toFixed(0),
        'overall AUC': t.auc.toFixed(4),
      },
      {
        subject: 'pandas + scikit-learn on the same predictions (read CSV; metrics and plots)',
        seconds: (p.readSeconds + p.metricSeconds).toFixed(2),
        'examples/s': '-',
        'CPU s': '-',
        'metric phase s': p.metricSeconds.toFixed(3),
        'metric phase vs peer': '1.00',
        'peak RSS MB': (p.maxRssKb / 1024).toFixed(0),
        'overall AUC': p.auc.toFixed(4),
      },
    ],
  );
  const examplesPerSecond = t.examples / t.seconds;
  console.log(
    `targets: >= 100,000 examples/s end to end: ${examplesPerSecond >= 100_000 ? 'met' : 'NOT met'} (${Math.round(examplesPerSecond)}); ` +
      `metric phase <= 1.0x pandas/sklearn: ${t.metricSeconds <= p.metricSeconds ? 'met' : 'NOT met'}; ` +
      `peak RSS < 500 MB: ${t.maxRssKb / 1024 < 500 ? 'met' : 'NOT met'}`,
  );
  if (Math.abs(t.auc - p.auc) > 1e-9) throw new Error(`overall AUC differs: ${t.auc} vs ${p.auc}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
