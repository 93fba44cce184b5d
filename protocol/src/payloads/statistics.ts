import * as v from 'valibot';
import { int64Field, list, literal, obj, repeated, str } from '../check';
import {
  FeatureNameStatisticsSchema,
  type DatasetFeatureStatisticsList,
} from '../proto/statistics';
import { ArtifactRefSchema, type ArtifactRef } from './artifact';

/**
 * Statistics of one or several datasets (the splits of an ExampleStatistics artifact, or
 * statistics put side by side to compare them, e.g. train vs eval). Each dataset is TFDV's
 * `DatasetFeatureStatistics`; `name` is the split (or a label the caller gave).
 */
export const StatisticsPayloadSchema = obj({
  kind: literal('statistics'),
  /** The artifacts the datasets come from (one, or several when comparing). */
  artifacts: list(ArtifactRefSchema),
  datasets: list(
    obj({
      name: str(),
      numExamples: int64Field(),
      features: repeated(FeatureNameStatisticsSchema),
    }),
  ),
});

export type StatisticsPayload = v.InferOutput<typeof StatisticsPayloadSchema>;

/** One split's statistics file of an artifact. */
export interface SplitStatistics {
  split: string;
  statistics: DatasetFeatureStatisticsList;
}

/**
 * The statistics payload of one or several ExampleStatistics artifacts: every split of each, as
 * datasets named after the split (prefixed by the artifact id when several are compared).
 */
export function statisticsPayloadOf(
  items: readonly { artifact: ArtifactRef; splits: readonly SplitStatistics[] }[],
): StatisticsPayload {
  const several = items.length > 1;
  return {
    kind: 'statistics',
    artifacts: items.map((i) => i.artifact),
    datasets: items.flatMap(({ artifact, splits }) =>
      splits.flatMap(({ split, statistics }) =>
        statistics.datasets.map((dataset) => ({
          ...dataset,
          name: several ? `#${artifact.id ?? artifact.uri} ${split}` : split,
        })),
      ),
    ),
  };
}
