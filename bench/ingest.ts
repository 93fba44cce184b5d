// Ingest benchmark: CsvExampleGen (validate + infer types + hash split + Parquet) on a generated
// taxi-like CSV, against DuckDB's CSV-to-Parquet COPY of the same file, each in its own process
// (wall time and peak RSS). Rows: BENCH_INGEST_ROWS (default 5,000,000); BENCH_INGEST_REPEAT
// rounds, each subject once per round in turn (default 3, the fastest of each kept).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bestOfRounds, measureProcess, printTable, REPO_ROOT, taxiCsv } from './lib/measure';

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_INGEST_ROWS ?? 5_000_000);
  const csv = await taxiCsv(rows);
  const megabytes = statSync(csv).size / 1e6;
  const worker = join(REPO_ROOT, 'bench', 'lib', 'ingestWorker.ts');
  const out = join(REPO_ROOT, 'build', 'bench', 'ingest-out');
  const rounds = Number(process.env.BENCH_INGEST_REPEAT ?? 3);
  const subject = (name: string, which: string) => () =>
    measureProcess(name, process.execPath, [
      '--import',
      'tsx',
      worker,
      which,
      csv,
      join(out, which),
    ]);
  const [tsfx, duckdb] = await bestOfRounds(rounds, [
    subject('tsfx CsvExampleGen', 'tsfx'),
    subject('DuckDB COPY csv->parquet', 'duckdb'),
  ]);
  printTable(
    `Ingest of ${rows.toLocaleString('en-US')} rows (${megabytes.toFixed(0)} MB CSV)`,
    [tsfx, duckdb].map((m) => ({
      subject: m.name,
      seconds: m.seconds.toFixed(2),
      'rows/s': Math.round(rows / m.seconds).toLocaleString('en-US'),
      'peak RSS MB': m.peakRssMb.toFixed(0),
      'time vs DuckDB': (m.seconds / duckdb.seconds).toFixed(2),
      output: m.note ?? '',
    })),
  );
  const ratio = tsfx.seconds / duckdb.seconds;
  const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  console.log(
    `targets: tsfx time <= 1.5x DuckDB COPY: ${met(ratio <= 1.5)} (${ratio.toFixed(2)}x); ` +
      `tsfx peak RSS < 300 MB: ${met(tsfx.peakRssMb < 300)} (${tsfx.peakRssMb.toFixed(0)} MB)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
