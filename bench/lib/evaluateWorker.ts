// The Evaluator benchmark's processes (each measured on its own):
//   tsx bench/lib/evaluateWorker.ts prepare <dir> <train.csv> <eval.csv>
//     trains the taxi model on <train.csv> (the pipeline's chain, 200 steps), ingests <eval.csv> as
//     one `eval` split, and writes the model's predictions with labels and slicing features to
//     <dir>/predictions.csv (the pandas + scikit-learn peer's input); prints the artifacts' uris.
//   tsx bench/lib/evaluateWorker.ts evaluate <dir>
//     evaluates the eval split with the taxi EvalConfig, end to end (read Parquet, transform,
//     score, slice, metrics and plots, validation, write); prints its timings and peak RSS.
//     BENCH_EVAL_THREADS sets the Evaluator's scoring threads (default: one a core).
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { METRICS_FILE, PLOTS_FILE } from '@tsfx/protocol';
import { CsvExampleGen } from '../../kernel-lib/src/components/CsvExampleGen';
import { parseEvalConfig } from '../../kernel-lib/src/components/Evaluator';
import { Trainer } from '../../kernel-lib/src/components/Trainer';
import { Transform } from '../../kernel-lib/src/components/Transform';
import { writeJsonLinesFile } from '../../kernel-lib/src/artifacts/protoJsonFiles';
import { evaluate } from '../../kernel-lib/src/evaluation/evaluate';
import { splitParquetFiles } from '../../kernel-lib/src/examples/parquetExamples';
import { compileTransform } from '../../kernel-lib/src/transform/graph';
import { readParquetRows } from '../../kernel-lib/src/transform/rows';
import { loadTf } from '../../kernel-lib/src/trainer/backend';
import { loadServingBundle } from '../../kernel-lib/src/trainer/servingBundle';
import { runTaxiChain } from '../../test/kernel-lib/taxiChain';
import { MODULE_FILE, TRAIN_STEPS } from '../../notebooks/dags/taxi_pipeline';
import { BENCH_EVAL_CONFIG } from './evaluateConfig';

interface Prepared {
  modelUri: string;
  evalFiles: string[];
}

async function prepare(dir: string, trainCsv: string, evalCsv: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { store, run, exampleGen, schemaGen } = await runTaxiChain(join(dir, 'train'), trainCsv);
  const transform = new Transform({
    examples: exampleGen.outputs.examples,
    schema: schemaGen.outputs.schema,
    moduleFile: MODULE_FILE,
  });
  await run(transform);
  const trainer = new Trainer({
    examples: transform.outputs.transformed_examples,
    transformGraph: transform.outputs.transform_graph,
    schema: schemaGen.outputs.schema,
    moduleFile: MODULE_FILE,
    trainArgs: { numSteps: TRAIN_STEPS },
  });
  await run(trainer);
  const evalGen = new CsvExampleGen({
    inputBase: evalCsv,
    splits: [{ name: 'eval', hashBuckets: 1 }],
  }).withId('EvalExampleGen');
  await run(evalGen);
  store.close();
  const prepared: Prepared = {
    modelUri: trainer.outputs.model.artifacts[0].uri,
    evalFiles: splitParquetFiles(evalGen.outputs.examples.artifacts[0].uri, 'eval'),
  };
  // The peer's input: the same model's predictions, the label and the slicing features.
  const { tf } = await loadTf('auto');
  const bundle = await loadServingBundle(tf, prepared.modelUri);
  const label = compileTransform(bundle.graph, ['tips_xf']);
  const columns = [
    ...new Set([
      ...bundle.manifest.rawFeatures.map((f) => f.name),
      ...label.requiredFeatures,
      'trip_start_hour',
      'trip_start_day',
    ]),
  ];
  const out = createWriteStream(join(dir, 'predictions.csv'));
  out.write('label,prediction,trip_start_hour,trip_start_day\n');
  let pending: Record<string, unknown>[] = [];
  const flush = async () => {
    const rows = pending as Parameters<typeof bundle.predictRaw>[0];
    const p = bundle.predictRaw(rows);
    const lines = rows.map(
      (row, i) =>
        `${label.apply(row).tips_xf},${p[i]},${row.trip_start_hour ?? ''},${row.trip_start_day ?? ''}`,
    );
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
    pending = [];
  };
  for await (const chunk of readParquetRows(prepared.evalFiles, columns)) {
    for (const row of chunk) pending.push(row);
    if (pending.length >= 8192) await flush();
  }
  if (pending.length > 0) await flush();
  out.end();
  await once(out, 'finish');
  writeFileSync(join(dir, 'prepared.json'), JSON.stringify(prepared));
  console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, ...prepared }));
}

async function evaluateRun(dir: string): Promise<void> {
  const prepared = JSON.parse(readFileSync(join(dir, 'prepared.json'), 'utf8')) as Prepared;
  const started = process.hrtime.bigint();
  const { tf } = await loadTf('auto');
  const candidate = await loadServingBundle(tf, prepared.modelUri);
  const result = await evaluate({
    files: prepared.evalFiles,
    config: parseEvalConfig(BENCH_EVAL_CONFIG),
    candidate,
    threads: process.env.BENCH_EVAL_THREADS ? Number(process.env.BENCH_EVAL_THREADS) : undefined,
  });
  const out = join(dir, 'evaluation');
  mkdirSync(out, { recursive: true });
  writeJsonLinesFile(join(out, METRICS_FILE), result.metrics);
  writeJsonLinesFile(join(out, PLOTS_FILE), result.plots);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();
  const overall = result.metrics[0].metricKeysAndValues?.find((e) => e.key?.name === 'auc');
  console.log(
    JSON.stringify({
      maxRssKb: process.resourceUsage().maxRSS,
      seconds,
      // CPU time of every thread (DuckDB reads on two): what the run costs on a busy machine.
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      examples: result.numExamples,
      slices: result.numSlices,
      scoreSeconds: result.timings.scoreSeconds,
      metricSeconds: result.timings.metricSeconds,
      scoreCpuSeconds: result.timings.scoreCpuSeconds,
      metricCpuSeconds: result.timings.metricCpuSeconds,
      auc: overall?.value?.doubleValue,
    }),
  );
}

const [mode, dir, ...rest] = process.argv.slice(2);
(mode === 'prepare' ? prepare(dir, rest[0], rest[1]) : evaluateRun(dir)).catch((error) => {
  console.error(error);
  process.exit(1);
});
