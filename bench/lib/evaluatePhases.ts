// The Evaluator's scoring phases, one at a time, in one thread, over the eval split the
// Evaluator benchmark prepared (run `bench/evaluate.ts` once first):
//   node --import tsx bench/lib/evaluatePhases.ts [build/bench/evaluate-1000000] [rows]
// Chunk by chunk as the Evaluator's threads go, the CPU time of each phase: reading Parquet as
// column chunks, the transform graph (the model's features, then the label), encoding, the
// forward pass, slicing. The row-by-row transform (`compileTransform`, the reference the column
// one must equal) runs too, on the same chunks, for comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvalConfig } from '../../kernel-lib/src/components/Evaluator';
import { BATCH_ROWS } from '../../kernel-lib/src/evaluation/parallelScoring';
import { readParquetColumnChunks } from '../../kernel-lib/src/evaluation/columnChunks';
import { SpecSlicer } from '../../kernel-lib/src/evaluation/slicing';
import {
  compileColumnTransform,
  valuesOf,
  valuesOfColumns,
  type Column,
} from '../../kernel-lib/src/transform/columns';
import { compileTransform, type Value } from '../../kernel-lib/src/transform/graph';
import { loadTf } from '../../kernel-lib/src/trainer/backend';
import { encodeFeatureColumns, specColumns } from '../../kernel-lib/src/trainer/features';
import { loadServingBundle } from '../../kernel-lib/src/trainer/servingBundle';
import { REPO_ROOT } from './measure';
import { BENCH_EVAL_CONFIG } from './evaluateConfig';

const dir = process.argv[2] ?? join(REPO_ROOT, 'build', 'bench', 'evaluate-1000000');
const maxRows = Number(process.argv[3] ?? Infinity);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function main(): Promise<void> {
  const prepared = JSON.parse(readFileSync(join(dir, 'prepared.json'), 'utf8')) as {
    modelUri: string;
    evalFiles: string[];
  };
  const { tf } = await loadTf('auto');
  const bundle = await loadServingBundle(tf, prepared.modelUri);
  const spec = bundle.manifest.featureSpec;
  const config = parseEvalConfig(BENCH_EVAL_CONFIG);
  const features = compileColumnTransform(bundle.graph, specColumns(spec, false));
  const label = compileColumnTransform(bundle.graph, [config.labelKey]);
  const sliceFeatures = ['trip_start_hour', 'trip_start_day'];
  const columns = [
    ...new Set([...features.requiredFeatures, ...label.requiredFeatures, ...sliceFeatures]),
  ];
  const times: Record<string, number> = {};
  const phase = <T>(name: string, run: () => T): T => {
    const start = cpu();
    const result = run();
    times[name] = (times[name] ?? 0) + cpu() - start;
    return result;
  };

  const rowByRow = compileTransform(bundle.graph, specColumns(spec, false));
  const forward = bundle.forward!;
  const slicers = config.slicingSpecs.map((s, i) => new SpecSlicer(i, s, {}));
  const predictions: Float32Array[] = [];
  let rows = 0;
  const start = cpu();
  for await (const chunk of readParquetColumnChunks(prepared.evalFiles, columns, BATCH_ROWS, {
    threads: 1,
  })) {
    const n = chunk.numRows;
    const arrays = phase('(arrays for the row-by-row transform)', () =>
      valuesOfColumns(chunk.columns),
    );
    phase('transform, row by row (before)', () => rowByRow.applyToColumns(arrays, n));
    const transformed = phase('transform, by column', () => features.apply(chunk.columns, n));
    phase('label', () => label.apply(chunk.columns, n));
    const encoded = phase('encode', () => encodeFeatureColumns(spec, n, transformed));
    predictions.push(phase('forward pass', () => forward.predict(encoded)));
    phase('slicing', () => {
      const values: Record<string, Value[]> = {};
      for (const name of sliceFeatures) values[name] = valuesOf(chunk.columns[name] as Column);
      for (const slicer of slicers) slicer.assign(values, n, new Int32Array(n));
    });
    rows += n;
    if (rows >= maxRows) break;
  }
  // Reading is what the loop spent outside the phases.
  times.read = cpu() - start - Object.values(times).reduce((a, b) => a + b, 0);
  const checksum = predictions.reduce((sum, p) => p.reduce((a, b) => a + b, sum), 0);
  console.log(`${rows} rows, ${columns.length} columns; CPU seconds per phase:`);
  for (const [name, seconds] of Object.entries(times)) {
    console.log(
      `  ${name.padEnd(32)} ${seconds.toFixed(2).padStart(6)} s  ${((seconds / rows) * 1e6).toFixed(2)} s per 1M rows`,
    );
  }
  console.log(`  (sum of predictions ${checksum})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
