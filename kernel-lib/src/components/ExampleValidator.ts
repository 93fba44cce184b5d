import { readSchemaFile } from '../artifacts/protoJsonFiles';
import { join } from 'node:path';
import {
  ANOMALIES_FILE,
  includedSplits,
  readSplitStatistics,
  SCHEMA_FILE,
  writeSplitJson,
} from '../artifacts/splitFiles';
import { requireSplit } from '../artifacts/splits';
import { Component, type ExecutorContext } from '../pipeline/Component';
import type { Channel } from '../pipeline/Channel';
import type { DatasetFeatureStatisticsList } from '@tsfx/protocol';
import { validateStatistics } from '../validation/validate';

export type ExampleValidatorParameters = {
  excludeSplits: string[];
  /**
   * A split whose statistics the others are compared with by the schema's skew comparators
   * (e.g. `train`): TFDV's training/serving skew check, between splits.
   */
  skewBaselineSplit: string | null;
};

/**
 * Validates each split's statistics against the schema, writing TFDV's Anomalies as proto3 JSON
 * at `<uri>/Split-<name>/SchemaDiff.json`.
 */
export class ExampleValidator extends Component<ExampleValidatorParameters> {
  readonly type = 'ExampleValidator';

  constructor(options: {
    statistics: Channel;
    schema: Channel;
    excludeSplits?: string[];
    skewBaselineSplit?: string;
  }) {
    super({
      inputs: { statistics: options.statistics, schema: options.schema },
      outputs: { anomalies: 'ExampleAnomalies' },
      parameters: {
        excludeSplits: options.excludeSplits ?? [],
        skewBaselineSplit: options.skewBaselineSplit ?? null,
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
  }: ExecutorContext<ExampleValidatorParameters>): Promise<void> {
    const statistics = inputs.statistics[0];
    const schema = readSchemaFile(join(inputs.schema[0].uri, SCHEMA_FILE));
    const splits = includedSplits(statistics, parameters.excludeSplits);
    const baselineSplit = parameters.skewBaselineSplit;
    if (baselineSplit !== null) {
      requireSplit(statistics, baselineSplit, 'skewBaselineSplit', 'statistics');
    }
    const read = (split: string): DatasetFeatureStatisticsList =>
      readSplitStatistics(statistics, split);
    const baseline = baselineSplit === null ? undefined : read(baselineSplit);
    const counts: Record<string, number> = {};
    for (const split of splits) {
      const stats = split === baselineSplit ? baseline! : read(split);
      const anomalies = validateStatistics(stats, schema, {
        serving: split === baselineSplit ? undefined : baseline,
      });
      writeSplitJson(outputs.anomalies.uri, split, ANOMALIES_FILE, anomalies);
      counts[split] =
        Object.keys(anomalies.anomalyInfo).length + (anomalies.datasetAnomalyInfo ? 1 : 0);
      log(`split ${split}: ${counts[split]} anomalies`);
    }
    outputs.anomalies.properties = {
      split_names: JSON.stringify(splits),
      anomaly_counts: JSON.stringify(counts),
    };
  }
}
