import { join } from 'node:path';
import { CsvExampleGen } from '../../kernel-lib/src/components/CsvExampleGen';
import { SchemaGen } from '../../kernel-lib/src/components/SchemaGen';
import { StatisticsGen } from '../../kernel-lib/src/components/StatisticsGen';
import { MetadataStore } from '../../kernel-lib/src/metadata/MetadataStore';
import {
  runComponent,
  type ExecutionResult,
} from '../../kernel-lib/src/orchestration/runComponent';
import type { ProgressReporter } from '../../kernel-lib/src/orchestration/progress';
import type { Component } from '../../kernel-lib/src/pipeline/Component';

export interface TaxiChain {
  store: MetadataStore;
  /** Runs one more component in the same store and pipeline root (its progress to `reporter`). */
  run(component: Component, reporter?: ProgressReporter): Promise<ExecutionResult>;
  exampleGen: CsvExampleGen;
  statisticsGen: StatisticsGen;
  schemaGen: SchemaGen;
}

/**
 * The first part of the taxi pipeline, as taxi_pipeline.ts wires it (ExampleGen, StatisticsGen,
 * SchemaGen without feature shapes), run into `root`; tests and benchmarks add what they check.
 */
export async function runTaxiChain(
  root: string,
  inputBase: string,
  enableCache = true,
): Promise<TaxiChain> {
  const store = new MetadataStore(join(root, 'metadata.sqlite'));
  const run = (c: Component, reporter?: ProgressReporter) =>
    runComponent(store, { pipelineName: 'p', pipelineRoot: root, runId: 'r' }, c, {
      enableCache,
      reporter,
    });
  const exampleGen = new CsvExampleGen({ inputBase });
  await run(exampleGen);
  const statisticsGen = new StatisticsGen({ examples: exampleGen.outputs.examples });
  await run(statisticsGen);
  const schemaGen = new SchemaGen({
    statistics: statisticsGen.outputs.statistics,
    inferFeatureShape: false,
  });
  await run(schemaGen);
  return { store, run, exampleGen, statisticsGen, schemaGen };
}
