// One benchmark subject per process, so that each one's peak RSS is its own.
//   tsx bench/lib/ingestWorker.ts tsfx|duckdb <csv> <out dir>
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CsvExampleGen } from '../../kernel-lib/src/components/CsvExampleGen';
import { sqlString, withDuckDB } from '../../kernel-lib/src/duckdb/withDuckDB';
import { MetadataStore } from '../../kernel-lib/src/metadata/MetadataStore';
import { runComponent } from '../../kernel-lib/src/orchestration/runComponent';

async function main(): Promise<void> {
  const [subject, csv, out] = process.argv.slice(2);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let note = '';
  if (subject === 'tsfx') {
    const store = new MetadataStore(join(out, 'metadata.sqlite'));
    const result = await runComponent(
      store,
      { pipelineName: 'bench', pipelineRoot: out, runId: 'bench' },
      new CsvExampleGen({ inputBase: csv }),
      {
        enableCache: false,
      },
    );
    note = String(result.outputs.examples[0].properties.row_counts);
    store.close();
  } else {
    // The peer: DuckDB's own CSV reader (type sniffing) straight to one Parquet file, no validation pass, no split.
    await withDuckDB(async (db) => {
      const result = await db.runAndReadAll(
        `COPY (SELECT * FROM read_csv(${sqlString(csv)})) TO ${sqlString(join(out, 'all.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
      );
      note = `${result.rowsChanged} rows`;
    });
  }
  console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, note }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
