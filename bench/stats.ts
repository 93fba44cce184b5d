// Statistics benchmark: tsfx's TFDV statistics of a generated taxi-like CSV against DuckDB's
// SUMMARIZE of the same CSV and pandas (read_csv + describe + quantiles + value_counts), each in
// its own process (wall time and peak RSS). Rows: BENCH_STATS_ROWS, comma-separated
// (default "1000000,2000000,5000000"); BENCH_STATS_REPEAT rounds, each subject once per round in turn
// (default 3, the fastest of each kept).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bestOfRounds, measureProcess, printTable, REPO_ROOT, taxiCsv } from './lib/measure';

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_STATS_ROWS ?? '1000000,2000000,5000000').split(',').map(Number);
  const rounds = Number(process.env.BENCH_STATS_REPEAT ?? 3);
  const worker = join(REPO_ROOT, 'bench', 'lib', 'statsWorker.ts');
  for (const rows of sizes) {
    const csv = await taxiCsv(rows);
    const megabytes = statSync(csv).size / 1e6;
    const node = (name: string, subject: string) => () =>
      measureProcess(name, process.execPath, ['--import', 'tsx', worker, subject, csv]);
    const [tsfx, summarize, pandas] = await bestOfRounds(rounds, [
      node('tsfx statistics (TFDV)', 'tsfx'),
      node('DuckDB SUMMARIZE', 'summarize'),
      () =>
        measureProcess('pandas describe+quantiles+value_counts', '/usr/bin/python3', [
          join(REPO_ROOT, 'bench', 'lib', 'pandas_stats.py'),
          csv,
        ]),
    ]);
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
    const met = tsfx.seconds <= summarize.seconds && tsfx.peakRssMb < 400;
    console.log(
      `target: time <= SUMMARIZE's (ratio ${(tsfx.seconds / summarize.seconds).toFixed(2)}) and peak RSS < 400 MB (${tsfx.peakRssMb.toFixed(0)}): ${met ? 'met' : 'NOT met'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
