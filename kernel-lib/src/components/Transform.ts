import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { includedSplits, SCHEMA_FILE, writeSplitJson } from '../artifacts/splitFiles';
import { requireSplit, splitUri } from '../artifacts/splits';
import { TsfxError } from '../errors';
import { splitParquetFiles } from '../examples/parquetExamples';
import { Component, type ExecutorContext } from '../pipeline/Component';
import type { Channel } from '../pipeline/Channel';
import { readSchemaFile } from '../artifacts/protoJsonFiles';
import { generateStatistics } from '../statistics/generate';
import { saveTransformGraph } from '../transform/io';
import { loadModuleFile, moduleFunction } from '../transform/moduleFile';
import { parquetColumns } from '../transform/rows';
import { buildTransformGraph, transformParquetBatch, type BatchEngine } from '../transform/run';
import { schemaFeatures } from '../transform/schemaFeatures';
import type { PreprocessingFn } from '../transform/tft';

export type TransformParameters = {
  /** A TypeScript or JavaScript file exporting `preprocessingFn(inputs, tft)`. */
  moduleFile: string;
  /** The exported function's name (default `preprocessingFn`). */
  preprocessingFn: string;
  /** The split the analyzers read (default `train`). */
  analyzeSplit: string;
  /** Splits not to transform. */
  excludeSplits: string[];
};

/** Pre- and post-transform statistics of the analysis split, inside the TransformGraph artifact. */
export const PRE_TRANSFORM_STATS_DIR = 'pre_transform_stats';
export const POST_TRANSFORM_STATS_DIR = 'post_transform_stats';

/**
 * TensorFlow Transform's component: traces the module file's `preprocessingFn` over the schema's
 * features, computes its analyzers in full passes over the analysis split, saves the finished
 * TransformGraph (`transform_graph.json` plus `vocabularies/`), and applies it to every split,
 * written as Examples (`Split-<name>/data.parquet`, rows in input order). Pre- and post-transform
 * statistics of the analysis split go to `pre_transform_stats/` and `post_transform_stats/`
 * of the TransformGraph artifact (`Split-<name>/FeatureStats.json`).
 */
export class Transform extends Component<TransformParameters> {
  readonly type = 'Transform';

  constructor(options: {
    examples: Channel;
    schema: Channel;
    moduleFile: string;
    preprocessingFn?: string;
    analyzeSplit?: string;
    excludeSplits?: string[];
  }) {
    super({
      inputs: { examples: options.examples, schema: options.schema },
      outputs: { transform_graph: 'TransformGraph', transformed_examples: 'Examples' },
      parameters: {
        moduleFile: resolve(options.moduleFile),
        preprocessingFn: options.preprocessingFn ?? 'preprocessingFn',
        analyzeSplit: options.analyzeSplit ?? 'train',
        excludeSplits: options.excludeSplits ?? [],
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
    signal,
  }: ExecutorContext<TransformParameters>): Promise<void> {
    const examples = inputs.examples[0];
    const schema = readSchemaFile(join(inputs.schema[0].uri, SCHEMA_FILE));
    const splits = includedSplits(examples, parameters.excludeSplits);
    const analyzeSplit = parameters.analyzeSplit;
    requireSplit(examples, analyzeSplit, 'analyzeSplit', 'examples');
    const analysisFiles = splitParquetFiles(examples.uri, analyzeSplit);
    const present = new Set((await parquetColumns(analysisFiles)).map((c) => c.name));
    const rawFeatures = schemaFeatures(schema).filter((f) => present.has(f.name));
    const module = loadModuleFile(parameters.moduleFile);
    const preprocessingFn = moduleFunction<PreprocessingFn>(
      module,
      parameters.preprocessingFn,
      parameters.moduleFile,
    );

    const started = Date.now();
    const engineNote = (batch: BatchEngine): string =>
      batch.engine === 'duckdb' ? 'in DuckDB' : `in JavaScript (${batch.reason})`;
    const loaded = await buildTransformGraph(
      preprocessingFn,
      rawFeatures,
      analysisFiles,
      (pass, n) => log(`analysis pass ${pass} over split ${analyzeSplit}: ${n} analyzer(s)`),
      { onBatch: (batch) => log(`analyzers computed ${engineNote(batch)}`) },
    );
    const graphUri = outputs.transform_graph.uri;
    saveTransformGraph(graphUri, loaded);
    log(
      `transform graph: ${loaded.graph.outputs.length} outputs from ${loaded.graph.rawFeatures.length} raw features, analyzers over ${loaded.graph.analyzedRows} rows in ${Date.now() - started} ms`,
    );

    const counts: Record<string, number> = {};
    const transformedUri = outputs.transformed_examples.uri;
    for (const split of splits) {
      if (signal.aborted) throw new TsfxError('interrupted');
      const dir = splitUri(transformedUri, split);
      mkdirSync(dir, { recursive: true });
      const done = await transformParquetBatch(
        loaded,
        splitParquetFiles(examples.uri, split),
        join(dir, 'data.parquet'),
      );
      counts[split] = done.rows;
      log(`split ${split}: ${counts[split]} rows transformed ${engineNote(done.batch)}`);
    }

    const stats = async (files: string[], into: string): Promise<void> => {
      const list = await generateStatistics({ parquet: files }, { datasetName: analyzeSplit });
      writeSplitJson(join(graphUri, into), analyzeSplit, 'FeatureStats.json', list);
    };
    await stats(analysisFiles, PRE_TRANSFORM_STATS_DIR);
    if (splits.includes(analyzeSplit)) {
      await stats(splitParquetFiles(transformedUri, analyzeSplit), POST_TRANSFORM_STATS_DIR);
    }

    outputs.transform_graph.properties = {
      num_outputs: loaded.graph.outputs.length,
      analyzed_rows: loaded.graph.analyzedRows,
      analyze_split: analyzeSplit,
    };
    outputs.transformed_examples.properties = {
      split_names: JSON.stringify(splits),
      row_counts: JSON.stringify(counts),
      file_format: 'parquet',
    };
  }
}
