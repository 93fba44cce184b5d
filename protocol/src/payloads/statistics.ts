import * as v from 'valibot';
import { int64Field, list, literal, obj, repeated, str } from '../check';
import {
  FeatureNameStatisticsSchema,
  type DatasetFeatureStatisticsList,
} from '../proto/statistics';
import { ArtifactRefSchema, type ArtifactRef } from './artifact';
import { TimeFormatsSchema } from './timeFormats';

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
  /** The INT features a schema marks as Unix times (shown as dates), when one was given. */
  timeFormats: v.optional(TimeFormatsSchema),
});

export type StatisticsPayload = v.InferOutput<typeof StatisticsPayloadSchema>;

/** One split's statistics file of an artifact. */
export interface SplitStatistics {
  split: string;
  statistics: DatasetFeatureStatisticsList;
}

/**
 * TFDV's `allowlist_features` / `denylist_features` of `visualize_statistics`: the features kept
 * are the allowlisted ones (all when there is no allowlist) that are not denylisted.
 */
export interface FeatureSelection {
  allowlistFeatures?: readonly string[];
  denylistFeatures?: readonly string[];
}

/** Whether a feature named `name` is kept by `selection`. */
export function featureSelected(name: string, selection: FeatureSelection = {}): boolean {
  const { allowlistFeatures: allow, denylistFeatures: deny } = selection;
  return (allow === undefined || allow.includes(name)) && !(deny ?? []).includes(name);
}

/** One artifact's splits in a statistics payload, and the name its datasets go by. */
export interface StatisticsItem {
  artifact: ArtifactRef;
  splits: readonly SplitStatistics[];
  /**
   * What its datasets are called (TFDV's `lhs_name` / `rhs_name`): the name alone for a single
   * split, else `<name> <split>`. Without it, the split (prefixed by the artifact id when several
   * artifacts are compared).
   */
  name?: string;
}

function datasetName(item: StatisticsItem, split: string, several: boolean): string {
  if (item.name !== undefined)
    return item.splits.length === 1 ? item.name : `${item.name} ${split}`;
  return several ? `#${item.artifact.id ?? item.artifact.uri} ${split}` : split;
}

/**
 * The statistics payload of one or several ExampleStatistics artifacts: every split of each, as
 * datasets (see StatisticsItem for their names). Several artifacts go split by split (the train
 * split of each, then the eval split of each), so that the first two datasets, whose drift the
 * views show, are the same split of two artifacts.
 */
export function statisticsPayloadOf(items: readonly StatisticsItem[]): StatisticsPayload {
  const several = items.length > 1;
  const entries = items.flatMap((item) => item.splits.map((split) => ({ item, ...split })));
  const order = [...new Set(entries.map((e) => e.split))];
  // Array.prototype.sort is stable: within a split, the artifacts keep the caller's order.
  if (several) entries.sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split));
  return {
    kind: 'statistics',
    artifacts: items.map((i) => i.artifact),
    datasets: entries.flatMap(({ item, split, statistics }) =>
      statistics.datasets.map((dataset) => ({
        ...dataset,
        name: datasetName(item, split, several),
      })),
    ),
  };
}
