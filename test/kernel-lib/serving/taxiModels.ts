import { join } from 'node:path';
import { Trainer } from '../../../kernel-lib/src/components/Trainer';
import { Transform } from '../../../kernel-lib/src/components/Transform';
import type { ArtifactRecord } from '../../../kernel-lib/src/metadata/types';
import { duckdbRows, REPO_ROOT, TAXI_CSV } from '../../helpers';
import { runTaxiChain, type TaxiChain } from '../taxiChain';

const MODULE = join(REPO_ROOT, 'notebooks', 'dags', 'taxi_utils.ts');

export interface TaxiModels {
  chain: TaxiChain;
  /** One Trainer per entry of `steps`, trained that many steps, and its Model artifact. */
  trainers: Trainer[];
  models: ArtifactRecord[];
  /** The eval split as a raw CSV (what `tsfx predict` and the server score). */
  evalCsv: string;
}

/**
 * The taxi model trained for a few steps (tests need a real serving bundle, not a good model):
 * ExampleGen, StatisticsGen, SchemaGen, Transform, then one Trainer per entry of `steps`, so that
 * tests of hot reloads have versions that score differently.
 */
export async function trainTaxiModels(root: string, steps: number[]): Promise<TaxiModels> {
  const chain = await runTaxiChain(root, TAXI_CSV);
  const transform = new Transform({
    examples: chain.exampleGen.outputs.examples,
    schema: chain.schemaGen.outputs.schema,
    moduleFile: MODULE,
  });
  await chain.run(transform);
  const trainers: Trainer[] = [];
  for (const numSteps of steps) {
    const trainer = new Trainer({
      examples: transform.outputs.transformed_examples,
      transformGraph: transform.outputs.transform_graph,
      schema: chain.schemaGen.outputs.schema,
      moduleFile: MODULE,
      trainArgs: { numSteps },
      evalArgs: { numSteps: 1 },
    }).withId(`Trainer_${numSteps}`);
    await chain.run(trainer);
    trainers.push(trainer);
  }
  const examplesUri = chain.exampleGen.outputs.examples.artifacts[0].uri;
  const evalCsv = join(root, 'eval.csv');
  await duckdbRows(
    `COPY (SELECT * FROM '${examplesUri}/Split-eval/data.parquet') TO '${evalCsv}' (HEADER)`,
  );
  const models = trainers.map((t) => t.outputs.model.artifacts[0]);
  return { chain, trainers, models, evalCsv };
}
