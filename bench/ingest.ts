// Ingest benchmark: CsvExampleGen (validate + infer types + hash split + Parquet) on a generated
// taxi-like CSV, against DuckDB's CSV-to-Parquet COPY of the same file, each in its own process.
// Rows: BENCH_INGEST_ROWS (default 5,000,000).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { measureProcess, printTable, REPO_ROOT, taxiCsv } from './lib/measure';

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_INGEST_ROWS ?? 5_000_000);
  const csv = await taxiCsv(rows);
  const megabytes = statSync(csv).size / 1e6;
  const worker = join(REPO_ROOT, 'bench', 'lib', 'ingestWorker.ts');
  const out = join(REPO_ROOT, 'build', 'bench', 'ingest-out');
  const tsfx = await measureProcess('tsfx CsvExampleGen', process.execPath, [
    '--import',
    'tsx',
    worker,
    'tsfx',
    csv,
    join(out, 'tsfx'),
  ]);
  const duckdb = await measureProcess('DuckDB COPY csv->parquet', process.execPath, [
    '--import',
    'tsx',
    worker,
    'duckdb',
    csv,
    join(out, 'duckdb'),
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
  console.log(
    `target: tsfx peak RSS < 400 MB: ${tsfx.peakRssMb < 400 ? 'met' : 'NOT met'} (${tsfx.peakRssMb.toFixed(0)} MB)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
