// One component of the taxi pipeline (or the Transform's SQL reference) per process, so that each
// one's time and peak RSS are its own.
//   tsx bench/lib/pipelineWorker.ts component <csv> <pipeline root> <component id>
//   tsx bench/lib/pipelineWorker.ts reference <csv> <out.parquet>
import { join } from 'node:path';
import { sqlString, withDuckDB } from '../../kernel-lib/src/duckdb/withDuckDB';
import { runPipeline } from 'tsfx';
import { createPipeline } from '../../notebooks/dags/taxi_pipeline';
import { transformReferenceSql } from './transformReference';

async function main(): Promise<void> {
  const [what, csv, out, id] = process.argv.slice(2);
  let note = '';
  if (what === 'component') {
    const pipeline = createPipeline({
      dataRoot: csv,
      pipelineRoot: out,
      metadataPath: join(out, 'metadata.sqlite'),
      servingModelDir: join(out, 'serving_model'),
      enableCache: false,
    });
    const { results } = await runPipeline(pipeline, {
      componentIds: [id],
      runId: 'bench',
      enableCache: false,
    });
    const [result] = results;
    if (result.state !== 'COMPLETE') throw new Error(`${id} ended ${result.state}`);
    const first = Object.values(result.outputs)[0]?.[0];
    note = first ? JSON.stringify(first.properties).slice(0, 120) : '';
  } else {
    await withDuckDB(
      async (db) => {
        const result = await db.runAndReadAll(
          `COPY (${transformReferenceSql(sqlString(csv))}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        note = `${result.rowsChanged} rows`;
      },
      // Transform's own DuckDB settings (transformDuckDB in kernel-lib/src/transform/sqlBatch.ts):
      // bounded memory that spills, as a like-for-like peer.
      { threads: 2, memoryLimit: '600MB' },
    );
  }
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  console.log(JSON.stringify({ maxRssKb: usage.maxRSS, cpuSeconds, note }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
