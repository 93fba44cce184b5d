// The whole taxi pipeline (CsvExampleGen through Pusher) on generated 1M- and 5M-row CSVs
// (BENCH_PIPELINE_ROWS, comma-separated; 20,000,000 too when asked for: it takes long), each
// component in its own process (time and peak RSS), and the whole run (the sum of the times, the
// largest peak). Next to Transform: the SQL reference (bench/lib/transformReference.ts), one
// DuckDB statement doing the workshop's preprocessing from the CSV to Parquet. Then the growth
// factor of each time between sizes, against the growth of the rows.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline } from '../notebooks/dags/taxi_pipeline';
import { measureProcess, printTable, REPO_ROOT, taxiCsv, type Measurement } from './lib/measure';

const WORKER = join(REPO_ROOT, 'bench', 'lib', 'pipelineWorker.ts');
const REFERENCE = 'Transform SQL reference';
const RSS_TARGET_MB = 1024;

interface SizeRun {
  rows: number;
  megabytes: number;
  measurements: Measurement[];
}

async function runSize(rows: number): Promise<SizeRun> {
  const csv = await taxiCsv(rows);
  const root = join(REPO_ROOT, 'build', 'bench', `pipeline-${rows}`);
  rmSync(root, { recursive: true, force: true });
  const ids: string[] = createPipeline({ pipelineRoot: root }).order.map((c) => c.id);
  const run = (name: string, args: string[]) =>
    measureProcess(name, process.execPath, ['--import', 'tsx', WORKER, ...args]);
  const measurements: Measurement[] = [];
  for (const id of ids) {
    const m = await run(id, ['component', csv, root, id]);
    console.log(`  ${rows} rows: ${id} ${m.seconds.toFixed(1)} s, ${m.peakRssMb.toFixed(0)} MB`);
    measurements.push(m);
    if (id === 'Transform') {
      const reference = await run(REFERENCE, ['reference', csv, join(root, 'reference.parquet')]);
      console.log(`  ${rows} rows: ${REFERENCE} ${reference.seconds.toFixed(1)} s`);
      measurements.push(reference);
    }
  }
  return { rows, megabytes: statSync(csv).size / 1e6, measurements };
}

function report(runs: SizeRun[]): void {
  for (const { rows, megabytes, measurements } of runs) {
    const components = measurements.filter((m) => m.name !== REFERENCE);
    const reference = measurements.find((m) => m.name === REFERENCE)!;
    const whole: Measurement = {
      name: 'whole run',
      seconds: components.reduce((sum, m) => sum + m.seconds, 0),
      peakRssMb: Math.max(...components.map((m) => m.peakRssMb)),
    };
    printTable(
      `The taxi pipeline on ${rows.toLocaleString('en-US')} rows (${megabytes.toFixed(0)} MB CSV)`,
      [...measurements, whole].map((m) => ({
        component: m.name,
        seconds: m.seconds.toFixed(1),
        'peak RSS MB': m.peakRssMb.toFixed(0),
        'vs SQL reference':
          m.name === 'Transform' ? (m.seconds / reference.seconds).toFixed(2) : '',
      })),
    );
    const transform = measurements.find((m) => m.name === 'Transform')!;
    const over = components.filter((m) => m.peakRssMb > RSS_TARGET_MB).map((m) => m.name);
    const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    console.log(
      `targets at ${rows} rows: Transform <= 2x the SQL reference: ${met(transform.seconds <= 2 * reference.seconds)} ` +
        `(${(transform.seconds / reference.seconds).toFixed(2)}x); no component above ${RSS_TARGET_MB} MB: ` +
        `${met(over.length === 0)}${over.length > 0 ? ` (${over.join(', ')})` : ''}`,
    );
  }
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1], runs[i]];
    const names = [...b.measurements.map((m) => m.name), 'whole run'];
    const seconds = (run: SizeRun, name: string) =>
      name === 'whole run'
        ? run.measurements.filter((m) => m.name !== REFERENCE).reduce((s, m) => s + m.seconds, 0)
        : run.measurements.find((m) => m.name === name)!.seconds;
    printTable(
      `Growth from ${a.rows.toLocaleString('en-US')} to ${b.rows.toLocaleString('en-US')} rows (rows x${(b.rows / a.rows).toFixed(1)}; linear = the same factor)`,
      names.map((name) => ({
        component: name,
        'time factor': (seconds(b, name) / seconds(a, name)).toFixed(2),
      })),
    );
  }
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_PIPELINE_ROWS ?? '1000000,5000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  const runs: SizeRun[] = [];
  for (const rows of sizes) runs.push(await runSize(rows));
  report(runs);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
