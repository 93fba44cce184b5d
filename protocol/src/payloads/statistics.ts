import * as v from 'valibot';
import { int64Field, list, literal, obj, repeated, str } from '../check';
import { FeatureNameStatisticsSchema } from '../proto/statistics';
import { ArtifactRefSchema } from './artifact';

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
