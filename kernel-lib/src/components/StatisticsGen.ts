import { includedSplits, STATISTICS_FILE, writeSplitJson } from '../artifacts/splitFiles';
import { splitUri } from '../artifacts/splits';
import { splitParquetFiles } from '../examples/parquetExamples';
import { Component, type ExecutorContext } from '../pipeline/Component';
import type { Channel } from '../pipeline/Channel';
import { generateStatisticsJson } from '../statistics/generate';

export type StatisticsGenParameters = {
  excludeSplits: string[];
  /** Features to leave out. */
  excludedFeatures: string[];
  /** Share of rows to compute over, in (0, 1]; null for all rows. */
  sampleRate: number | null;
  numTopValues: number;
  numHistogramBuckets: number;
  numQuantilesHistogramBuckets: number;
  numRankHistogramBuckets: number;
};

/**
 * Computes TFDV's statistics of each split of an Examples artifact, written as proto3 JSON
 * `DatasetFeatureStatisticsList` at `<uri>/Split-<name>/FeatureStats.json` (one dataset, named
 * after the split).
 */
export class StatisticsGen extends Component<StatisticsGenParameters> {
  readonly type = 'StatisticsGen';

  constructor(
    options: { examples: Channel; excludeSplits?: string[] } & Partial<
      Omit<StatisticsGenParameters, 'excludeSplits'>
    >,
  ) {
    super({
      inputs: { examples: options.examples },
      outputs: { statistics: 'ExampleStatistics' },
      parameters: {
        excludeSplits: options.excludeSplits ?? [],
        excludedFeatures: options.excludedFeatures ?? [],
        sampleRate: options.sampleRate ?? null,
        numTopValues: options.numTopValues ?? 20,
        numHistogramBuckets: options.numHistogramBuckets ?? 10,
        numQuantilesHistogramBuckets: options.numQuantilesHistogramBuckets ?? 10,
        numRankHistogramBuckets: options.numRankHistogramBuckets ?? 1000,
      },
    });
  }

  async execute({
    inputs,
    outputs,
    parameters,
    log,
  }: ExecutorContext<StatisticsGenParameters>): Promise<void> {
    const examples = inputs.examples[0];
    const splits = includedSplits(examples, parameters.excludeSplits);
    for (const split of splits) {
      const started = Date.now();
      const statistics = await generateStatisticsJson(
        { parquet: splitParquetFiles(examples.uri, split) },
        {
          datasetName: split,
          excludedFeatures: parameters.excludedFeatures,
          sampleRate: parameters.sampleRate ?? undefined,
          numTopValues: parameters.numTopValues,
          numHistogramBuckets: parameters.numHistogramBuckets,
          numQuantilesHistogramBuckets: parameters.numQuantilesHistogramBuckets,
          numRankHistogramBuckets: parameters.numRankHistogramBuckets,
        },
      );
      writeSplitJson(outputs.statistics.uri, split, STATISTICS_FILE, statistics);
      log(
        `split ${split}: ${statistics.datasets?.[0]?.numExamples ?? 0} examples, ${statistics.datasets?.[0]?.features?.length ?? 0} features in ${Date.now() - started} ms (${splitUri(examples.uri, split)})`,
      );
    }
    outputs.statistics.properties = { split_names: JSON.stringify(splits) };
  }
}
