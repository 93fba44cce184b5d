/**
 * The features across datasets: one FeatureModel per feature name (in the order of the first
 * dataset that has it), its statistics in each dataset, and the measures it is sorted by.
 */
import {
  featureDrift,
  featureFormat,
  type CommonStatistics,
  type DatasetFeatureStatistics,
  type FeatureFormat,
  type FeatureNameStatistics,
  type Histogram,
  type StatisticsPayload,
  type StatsFeatureType,
} from '@tsfx/protocol';
import { normalise } from './distributions.js';

export type FeatureKind = 'numeric' | 'categorical';

export interface FeatureModel {
  name: string;
  /** Position in the first dataset that has it (feature order). */
  index: number;
  kind: FeatureKind;
  type: StatsFeatureType;
  /** Per dataset (payload order): the feature's statistics there, or undefined if absent. */
  stats: (FeatureNameStatistics | undefined)[];
  nonUniformity: number;
  missingOrZero: number;
  /** Between the first two datasets; undefined with fewer than two or when one lacks values. */
  lInfinity: number | undefined;
  jensenShannon: number | undefined;
  /** How its numbers are written (one format for its statistics, dates for timestamps). */
  format: FeatureFormat;
}

/** A proto3 JSON int64 (a decimal string) or double as a number; absent is 0. */
export const num = (v: string | number | undefined): number =>
  v === undefined ? 0 : typeof v === 'number' ? v : Number(v);

export function commonOf(f: FeatureNameStatistics | undefined): CommonStatistics | undefined {
  return f?.numStats?.commonStats ?? f?.stringStats?.commonStats;
}

export function histogramOf(
  f: FeatureNameStatistics | undefined,
  type: 'STANDARD' | 'QUANTILES',
): Histogram | undefined {
  return f?.numStats?.histograms.find((hh) => hh.type === type && hh.buckets.length > 0);
}

/** A categorical feature's value counts, most frequent first (rank histogram, else top values). */
export function valueCounts(f: FeatureNameStatistics | undefined): [string, number][] {
  const st = f?.stringStats;
  if (!st) return [];
  const ranked = st.rankHistogram.buckets.map((b): [string, number] => [b.label, b.sampleCount]);
  const pairs =
    ranked.length >= st.topValues.length
      ? ranked
      : st.topValues.map((t): [string, number] => [t.value, t.frequency]);
  return pairs.filter(([, c]) => Number.isFinite(c) && c >= 0);
}

export function numExamples(ds: DatasetFeatureStatistics): number {
  return num(ds.numExamples);
}

export function missingShare(ds: DatasetFeatureStatistics, f: FeatureNameStatistics): number {
  const c = commonOf(f);
  if (!c) return 0;
  const total = num(c.numMissing) + num(c.numNonMissing) || numExamples(ds);
  return total > 0 ? num(c.numMissing) / total : 0;
}

export function zerosShare(f: FeatureNameStatistics): number {
  const st = f.numStats;
  if (!st) return 0;
  const values = num(st.commonStats.totNumValues) || num(st.commonStats.numNonMissing);
  return values > 0 ? num(st.numZeros) / values : 0;
}

/**
 * 1 - normalised entropy of the feature's distribution in the first dataset that has it (STANDARD
 * histogram buckets, or value counts): 0 for a uniform spread, 1 for a single value.
 */
function nonUniformityOf(kind: FeatureKind, f: FeatureNameStatistics | undefined): number {
  let counts: number[];
  let k: number;
  if (kind === 'numeric') {
    counts = histogramOf(f, 'STANDARD')?.buckets.map((b) => Math.max(0, b.sampleCount)) ?? [];
    k = counts.length;
  } else {
    counts = valueCounts(f).map(([, c]) => c);
    k = Math.max(counts.length, num(f?.stringStats?.unique));
  }
  const p = normalise(counts).filter((v) => v > 0);
  if (p.length === 0) return 0;
  if (k <= 1 || p.length === 1) return 1;
  const entropy = -p.reduce((sum, v) => sum + v * Math.log2(v), 0);
  return Math.max(0, 1 - entropy / Math.log2(k));
}

/** One model per feature name, in order of first appearance, its statistics per dataset. */
function collectFeatures(payload: StatisticsPayload): FeatureModel[] {
  const byName = new Map<string, FeatureModel>();
  const order: FeatureModel[] = [];
  payload.datasets.forEach((ds, d) => {
    ds.features.forEach((f) => {
      let model = byName.get(f.name);
      if (!model) {
        model = {
          name: f.name,
          index: order.length,
          kind: 'categorical',
          type: f.type,
          stats: payload.datasets.map(() => undefined),
          nonUniformity: 0,
          missingOrZero: 0,
          lInfinity: undefined,
          jensenShannon: undefined,
          format: { number: String, date: undefined },
        };
        byName.set(f.name, model);
        order.push(model);
      }
      model.stats[d] ??= f;
    });
  });
  return order;
}

/** Sets the kind and the measures of a collected feature. */
function measure(m: FeatureModel, payload: StatisticsPayload): void {
  m.kind = m.stats.some((f) => f?.numStats) ? 'numeric' : 'categorical';
  const first = m.stats.find((f) => f !== undefined);
  m.format = featureFormat(m.name, m.stats, payload.timeFormats?.[m.name]);
  m.nonUniformity = nonUniformityOf(m.kind, first);
  m.missingOrZero = Math.max(
    0,
    ...payload.datasets.map((ds, d) => {
      const f = m.stats[d];
      if (!f) return 1;
      return Math.min(1, missingShare(ds, f) + zerosShare(f));
    }),
  );
  // Drift as ExampleValidator measures it (the protocol's distances), first dataset vs second.
  if (payload.datasets.length >= 2) Object.assign(m, featureDrift(m.stats[0], m.stats[1]));
}

export function buildModel(payload: StatisticsPayload): FeatureModel[] {
  const features = collectFeatures(payload);
  for (const m of features) measure(m, payload);
  return features;
}
