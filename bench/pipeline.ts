// The whole taxi pipeline (CsvExampleGen through Pusher) on generated 1M- and 5M-row CSVs
// (BENCH_PIPELINE_ROWS, comma-separated; 20,000,000 too when asked for: it takes long), each
// component in its own process (wall time, CPU time and peak RSS), and the whole run (the sums of
// the times, the largest peak). Next to Transform: the SQL reference (bench/lib/transformReference.ts),
// one DuckDB statement doing the workshop's preprocessing from the CSV to Parquet. Then the growth
// factor of each time between sizes, against the growth of the rows.
//
// Each size's measurements are saved to build/bench/pipeline-<rows>.json. BENCH_PIPELINE_REUSE=1
// reports a size from its saved file instead of running it again (sizes run at different times,
// e.g. the long 20M run in the background, then one table); BENCH_PIPELINE_ONLY=Evaluator,Pusher
// runs only those components again on the size's existing pipeline root and updates their rows.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createPipeline } from '../notebooks/dags/taxi_pipeline';
import { measureProcess, printTable, REPO_ROOT, taxiCsv, type Measurement } from './lib/measure';

const WORKER = join(REPO_ROOT, 'bench', 'lib', 'pipelineWorker.ts');
const REFERENCE = 'Transform SQL reference';
const WHOLE = 'whole run';
const RSS_TARGET_MB = 1024;

interface SizeRun {
  rows: number;
  megabytes: number;
  /** The 1-minute load average when each component started (the machine is shared). */
  load: number[];
  finishedAt: string;
  measurements: Measurement[];
}

const resultFile = (rows: number) => join(REPO_ROOT, 'build', 'bench', `pipeline-${rows}.json`);

async function runSize(rows: number, only: string[] | null): Promise<SizeRun> {
  const csv = await taxiCsv(rows);
  const root = join(REPO_ROOT, 'build', 'bench', `pipeline-${rows}`);
  const previous = only ? (JSON.parse(readFileSync(resultFile(rows), 'utf8')) as SizeRun) : null;
  if (!only) rmSync(root, { recursive: true, force: true });
  const ids: string[] = createPipeline({ pipelineRoot: root })
    .order.map((c) => c.id)
    .filter((id) => !only || only.includes(id));
  const run = (name: string, args: string[]) =>
    measureProcess(name, process.execPath, ['--import', 'tsx', WORKER, ...args]);
  const measured: Measurement[] = [];
  const load: number[] = [];
  const log = (m: Measurement) =>
    console.log(
      `  ${rows} rows: ${m.name} ${m.seconds.toFixed(1)} s, ${m.cpuSeconds?.toFixed(1)} CPU s, ` +
        `${m.peakRssMb.toFixed(0)} MB (load ${load.at(-1)?.toFixed(1)})`,
    );
  // Saved after every component: a run that fails or is stopped still shows how far it got.
  const save = (): SizeRun => {
    const result: SizeRun = {
      rows,
      megabytes: statSync(csv).size / 1e6,
      load: previous ? previous.load : load,
      finishedAt: new Date().toISOString(),
      measurements: previous
        ? [
            ...previous.measurements.map((m) => measured.find((n) => n.name === m.name) ?? m),
            ...measured.filter((n) => !previous.measurements.some((m) => m.name === n.name)),
          ]
        : measured,
    };
    writeFileSync(resultFile(rows), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  };
  for (const id of ids) {
    load.push(loadavg()[0]);
    measured.push(await run(id, ['component', csv, root, id]));
    log(measured.at(-1)!);
    if (id === 'Transform') {
      const out = join(root, 'reference.parquet');
      measured.push(await run(REFERENCE, ['reference', csv, out]));
      log(measured.at(-1)!);
    }
    save();
  }
  return save();
}

/** The components' measurements and the whole run's (the sums of the times, the largest peak). */
function withWhole(run: SizeRun): Measurement[] {
  const components = run.measurements.filter((m) => m.name !== REFERENCE);
  const sum = (f: (m: Measurement) => number) => components.reduce((s, m) => s + f(m), 0);
  const whole: Measurement = {
    name: WHOLE,
    seconds: sum((m) => m.seconds),
    cpuSeconds: sum((m) => m.cpuSeconds ?? NaN),
    peakRssMb: Math.max(...components.map((m) => m.peakRssMb)),
  };
  return [...run.measurements, whole];
}

function reportSize(run: SizeRun): void {
  const { rows, megabytes, measurements, load } = run;
  const reference = measurements.find((m) => m.name === REFERENCE);
  const transform = measurements.find((m) => m.name === 'Transform');
  printTable(
    `The taxi pipeline on ${rows.toLocaleString('en-US')} rows (${megabytes.toFixed(0)} MB CSV; ` +
      `load average ${Math.min(...load).toFixed(0)}-${Math.max(...load).toFixed(0)}, finished ${run.finishedAt})`,
    withWhole(run).map((m) => ({
      component: m.name,
      'wall s': m.seconds.toFixed(1),
      'CPU s': m.cpuSeconds?.toFixed(1) ?? '-',
      'peak RSS MB': m.peakRssMb.toFixed(0),
      'vs SQL reference (wall, CPU)':
        m === transform && reference
          ? `${(m.seconds / reference.seconds).toFixed(2)}, ${(m.cpuSeconds! / reference.cpuSeconds!).toFixed(2)}`
          : '',
    })),
  );
  const components = measurements.filter((m) => m.name !== REFERENCE);
  const over = components.filter((m) => m.peakRssMb > RSS_TARGET_MB).map((m) => m.name);
  const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const vsReference =
    transform && reference
      ? `${met(transform.seconds <= 2 * reference.seconds)} (${(transform.seconds / reference.seconds).toFixed(2)}x)`
      : 'not measured';
  console.log(
    `targets at ${rows} rows: Transform <= 2x the SQL reference: ${vsReference}; ` +
      `no component above ${RSS_TARGET_MB} MB: ${met(over.length === 0)}` +
      `${over.length > 0 ? ` (${over.join(', ')})` : ''}`,
  );
}

function reportGrowth(a: SizeRun, b: SizeRun): void {
  const [before, after] = [withWhole(a), withWhole(b)];
  const factor = (x: number | undefined, y: number | undefined) =>
    x !== undefined && y !== undefined ? (y / x).toFixed(2) : '-';
  printTable(
    `Growth from ${a.rows.toLocaleString('en-US')} to ${b.rows.toLocaleString('en-US')} rows ` +
      `(rows x${(b.rows / a.rows).toFixed(1)}; linear = the same factor)`,
    after.map((m) => {
      const p = before.find((n) => n.name === m.name);
      return {
        component: m.name,
        'wall factor': factor(p?.seconds, m.seconds),
        'CPU factor': factor(p?.cpuSeconds, m.cpuSeconds),
        'RSS factor': factor(p?.peakRssMb, m.peakRssMb),
      };
    }),
  );
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_PIPELINE_ROWS ?? '1000000,5000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  const reuse = process.env.BENCH_PIPELINE_REUSE === '1';
  const only = process.env.BENCH_PIPELINE_ONLY?.split(',').map((s) => s.trim()) ?? null;
  const runs: SizeRun[] = [];
  for (const rows of sizes) {
    runs.push(
      reuse && existsSync(resultFile(rows))
        ? (JSON.parse(readFileSync(resultFile(rows), 'utf8')) as SizeRun)
        : await runSize(rows, only),
    );
  }
  runs.forEach(reportSize);
  for (let i = 1; i < runs.length; i++) reportGrowth(runs[i - 1], runs[i]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
