import { includedSplits, readSplitStatistics, SCHEMA_FILE } from '../artifacts/splitFiles';
import { join } from 'node:path';
import { Component, type ExecutorContext } from '../pipeline/Component';
import type { Channel } from '../pipeline/Channel';
import { inferSchema } from '../schema/infer';
import { writeJsonFile } from '../artifacts/protoJsonFiles';

export type SchemaGenParameters = {
  inferFeatureShape: boolean;
  excludeSplits: string[];
};

/**
 * Infers TFDV's Schema from statistics (TFDV's inference rules), written as proto3 JSON at
 * `<uri>/schema.json`. It infers from the first split it is given (`train` in the taxi pipeline);
 * the other splits are for ExampleValidator to check against the schema.
 */
export class SchemaGen extends Component<SchemaGenParameters> {
  readonly type = 'SchemaGen';

  constructor(options: {
    statistics: Channel;
    inferFeatureShape?: boolean;
    excludeSplits?: string[];
  }) {
    super({
      inputs: { statistics: options.statistics },
      outputs: { schema: 'Schema' },
      parameters: {
        inferFeatureShape: options.inferFeatureShape ?? true,
        excludeSplits: options.excludeSplits ?? [],
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
  }: ExecutorContext<SchemaGenParameters>): Promise<void> {
    const statistics = inputs.statistics[0];
    const [split] = includedSplits(statistics, parameters.excludeSplits);
    if (!split) throw new Error('SchemaGen has no split left to infer from');
    const stats = readSplitStatistics(statistics, split);
    const schema = inferSchema(stats, { inferFeatureShape: parameters.inferFeatureShape });
    writeJsonFile(join(outputs.schema.uri, SCHEMA_FILE), schema);
    outputs.schema.properties = { inferred_from_split: split };
    log(`schema of ${schema.feature?.length ?? 0} features inferred from split ${split}`);
  }
}
