// A small, fast DAG for the DAG panel's browser test: the taxi pipeline's first four components
// (ExampleGen, StatisticsGen, SchemaGen, ExampleValidator) on the few hundred rows the test
// copies into mini_taxi_data/ next to this file.
import { join } from 'node:path';
import {
  CsvExampleGen,
  ExampleValidator,
  Pipeline,
  SchemaGen,
  StatisticsGen,
  type DagOptions,
} from 'tsfx';

export const dag: DagOptions = {
  dagId: 'mini_taxi',
  description: 'The taxi pipeline, part 1, on a few hundred rows',
  schedule: null,
  isPausedUponCreation: false,
  params: { note: 'from the panel' },
};

export function createPipeline(params: { metadataPath?: string; enableCache?: boolean }): Pipeline {
  const exampleGen = new CsvExampleGen({ inputBase: join(__dirname, 'mini_taxi_data') });
  const statisticsGen = new StatisticsGen({ examples: exampleGen.outputs.examples });
  const schemaGen = new SchemaGen({ statistics: statisticsGen.outputs.statistics });
  const exampleValidator = new ExampleValidator({
    statistics: statisticsGen.outputs.statistics,
    schema: schemaGen.outputs.schema,
  });
  const home = params.metadataPath ? join(params.metadataPath, '..') : __dirname;
  return new Pipeline({
    name: 'mini_taxi',
    pipelineRoot: join(home, 'mini_taxi'),
    metadataPath: params.metadataPath,
    enableCache: params.enableCache ?? false,
    components: [exampleGen, statisticsGen, schemaGen, exampleValidator],
  });
}
