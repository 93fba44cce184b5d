// One training run per process (TensorFlow.js allows one backend per process):
//   tsx bench/lib/trainingWorker.ts <backend> <root> [<export dir>]
// Runs the taxi chain up to the Trainer on <backend>; prints the run's throughput, fit time, the
// Trainer component's whole run time (reading, fitting, evaluating, writing) and eval AUC as JSON. With <export dir>, also writes the transformed train and eval splits as CSV there
// (for the scikit-learn peers).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CsvExampleGen } from '../../kernel-lib/src/components/CsvExampleGen';
import { SchemaGen } from '../../kernel-lib/src/components/SchemaGen';
import { StatisticsGen } from '../../kernel-lib/src/components/StatisticsGen';
import { Trainer } from '../../kernel-lib/src/components/Trainer';
import { Transform } from '../../kernel-lib/src/components/Transform';
import { sqlString, withDuckDB } from '../../kernel-lib/src/duckdb/withDuckDB';
import { MetadataStore } from '../../kernel-lib/src/metadata/MetadataStore';
import { runComponent } from '../../kernel-lib/src/orchestration/runComponent';
import type { Component } from '../../kernel-lib/src/pipeline/Component';
import type { BackendChoice } from '../../kernel-lib/src/trainer/backend';
import { EVENTS_FILE, type TrainingEvent } from '../../kernel-lib/src/trainer/events';
import { REPO_ROOT } from './measure';
import { runTaxiChain } from '../../test/kernel-lib/taxiChain';
import { TRAIN_STEPS as PIPELINE_TRAIN_STEPS } from '../../notebooks/dags/taxi_pipeline';

/** The taxi pipeline's steps, or another number (TRAIN_STEPS) for slow backends. */
const TRAIN_STEPS = Number(process.env.TRAIN_STEPS ?? PIPELINE_TRAIN_STEPS);

async function main(): Promise<void> {
  const [backend, root, exportDir] = process.argv.slice(2);
  rmSync(root, { recursive: true, force: true });
  const { store, run, exampleGen, schemaGen } = await runTaxiChain(
    root,
    join(REPO_ROOT, 'data', 'chicago_taxi'),
    false,
  );
  const moduleFile = join(REPO_ROOT, 'notebooks', 'dags', 'taxi_utils.ts');
  const transform = new Transform({
    examples: exampleGen.outputs.examples,
    schema: schemaGen.outputs.schema,
    moduleFile,
  });
  await run(transform);
  const trainer = new Trainer({
    examples: transform.outputs.transformed_examples,
    transformGraph: transform.outputs.transform_graph,
    schema: schemaGen.outputs.schema,
    moduleFile,
    trainArgs: { numSteps: TRAIN_STEPS },
    evalArgs: { numSteps: 0 },
    backend: backend as BackendChoice,
  });
  const started = process.hrtime.bigint();
  await run(trainer);
  const runSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const events = readFileSync(join(trainer.outputs.model_run.artifacts[0].uri, EVENTS_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TrainingEvent);
  const start = events.find((e) => e.type === 'start');
  const end = events.find((e) => e.type === 'end');
  if (!start || start.type !== 'start' || !end || end.type !== 'end')
    throw new Error('no start/end event');
  if (exportDir) {
    const uri = transform.outputs.transformed_examples.artifacts[0].uri;
    await withDuckDB(async (db) => {
      for (const split of ['train', 'eval']) {
        await db.runAndReadAll(
          `COPY (SELECT * FROM read_parquet(${sqlString(join(uri, `Split-${split}`, '*.parquet'))})) TO ${sqlString(join(exportDir, `${split}.csv`))} (HEADER)`,
        );
      }
    });
  }
  store.close();
  console.log(
    JSON.stringify({
      maxRssKb: process.resourceUsage().maxRSS,
      backend: start.backend,
      trainSeconds: end.trainSeconds,
      runSeconds,
      examplesPerSecond: end.examplesPerSecond,
      examples: start.batchSize * TRAIN_STEPS,
      auc: end.validation.auc,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
