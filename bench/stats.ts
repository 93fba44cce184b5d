// Statistics benchmark: tsfx's TFDV statistics of a generated taxi-like CSV against DuckDB's
// SUMMARIZE of the same CSV and pandas (read_csv + describe + quantiles + value_counts), each in
// its own process (wall time and peak RSS). Rows: BENCH_STATS_ROWS, comma-separated
// (default "1000000,5000000"); BENCH_STATS_REPEAT runs of each subject (default 1, best kept).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type Measurement, measureProcess, printTable, REPO_ROOT, taxiCsv } from './lib/measure';

async function best(repeat: number, run: () => Promise<Measurement>): Promise<Measurement> {
  let result: Measurement | null = null;
  for (let i = 0; i < repeat; i++) {
    const m = await run();
    if (result === null || m.seconds < result.seconds) result = m;
  }
  return result!;
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_STATS_ROWS ?? '1000000,5000000').split(',').map(Number);
  const repeat = Number(process.env.BENCH_STATS_REPEAT ?? 1);
  const worker = join(REPO_ROOT, 'bench', 'lib', 'statsWorker.ts');
  for (const rows of sizes) {
    const csv = await taxiCsv(rows);
    const megabytes = statSync(csv).size / 1e6;
    const node = (name: string, subject: string) => () =>
      measureProcess(name, process.execPath, ['--import', 'tsx', worker, subject, csv]);
    const tsfx = await best(repeat, node('tsfx statistics (TFDV)', 'tsfx'));
    const summarize = await best(repeat, node('DuckDB SUMMARIZE', 'summarize'));
    const pandas = await best(repeat, () =>
      measureProcess('pandas describe+quantiles+value_counts', '/usr/bin/python3', [
        join(REPO_ROOT, 'bench', 'lib', 'pandas_stats.py'),
        csv,
      ]),
    );
    printTable(
      `Statistics of ${rows.toLocaleString('en-US')} rows (${megabytes.toFixed(0)} MB CSV)`,
      [tsfx, summarize, pandas].map((m) => ({
        subject: m.name,
        seconds: m.seconds.toFixed(2),
        'peak RSS MB': m.peakRssMb.toFixed(0),
        'time vs SUMMARIZE': (m.seconds / summarize.seconds).toFixed(2),
        'time vs tsfx': (m.seconds / tsfx.seconds).toFixed(2),
        'RSS vs tsfx': (m.peakRssMb / tsfx.peakRssMb).toFixed(2),
        output: m.note ?? '',
      })),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
