import type { FeatureNameStatistics, Histogram } from './proto/statistics';

/** Orders strings by their UTF-8 bytes (std::string / std::map order): UTF-8 keeps code point order. */
export function byteCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * The string values of a feature with their counts, in byte order: its rank histogram, as TFDV's
 * FeatureStatsView reads them (a numeric feature has none).
 */
export function stringValuesWithCounts(stats: FeatureNameStatistics): Map<string, number> {
  const out = new Map<string, number>();
  const buckets = stats.stringStats?.rankHistogram.buckets ?? [];
  for (const b of [...buckets].sort((a, b) => byteCompare(a.label, b.label)))
    out.set(b.label, b.sampleCount);
  return out;
}

/**
 * Distances between two datasets' statistics of a feature, as TFDV measures drift and skew:
 * the L-infinity distance of the normalized value frequencies (categorical features) and the
 * approximate Jensen–Shannon divergence (string frequencies, else numeric histograms aligned on
 * the union of their bucket edges, mass spread evenly within a bucket).
 */

/** L-infinity distance of the normalized frequencies, and the value where it is reached. */
export function lInftyDistance(
  treatment: FeatureNameStatistics,
  control: FeatureNameStatistics,
): { value: string; distance: number } {
  const a = normalize(stringValuesWithCounts(treatment));
  const b = normalize(stringValuesWithCounts(control));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort(byteCompare);
  let best = { value: '', distance: 0 };
  for (const key of keys) {
    const d = Math.abs((a.get(key) ?? 0) - (b.get(key) ?? 0));
    if (d >= best.distance) best = { value: key, distance: d };
  }
  return best;
}

function normalize(counts: Map<string, number>): Map<string, number> {
  let sum = 0;
  for (const v of counts.values()) sum += v;
  if (sum === 0) return counts;
  return new Map([...counts].map(([k, v]) => [k, v / sum]));
}

/** Jensen–Shannon divergence of two frequency maps (log base 2, capped at 1). */
export function jensenShannonOfCounts(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): number {
  if (a.size === 0 || b.size === 0) throw new Error('Input maps must not be empty.');
  let aSum = 0;
  let bSum = 0;
  for (const v of a.values()) aSum += v;
  for (const v of b.values()) bSum += v;
  let kl = 0;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const p = (a.get(key) ?? 0) / aSum;
    const q = (b.get(key) ?? 0) / bSum;
    const m = (p + q) / 2;
    if (p > 0) kl += p * Math.log2(p / m);
    if (q > 0) kl += q * Math.log2(q / m);
  }
  return Math.min(kl / 2, 1);
}

/** Jensen–Shannon divergence of two histograms of the same type. */
export function jensenShannonOfHistograms(h1: Histogram, h2: Histogram): number {
  if (h1.type !== h2.type) throw new Error('Input histograms must have same type.');
  const [p, q] = alignHistograms(h1, h2);
  const pn = normalizeMasses(p);
  const qn = normalizeMasses(q);
  let kl = 0;
  for (let i = 0; i < pn.length; i++) {
    const m = (pn[i] + qn[i]) / 2;
    if (pn[i] > 0 && m > 0) kl += pn[i] * Math.log2(pn[i] / m);
    if (qn[i] > 0 && m > 0) kl += qn[i] * Math.log2(qn[i] / m);
  }
  return Math.min(kl / 2, 1);
}

interface Stripped {
  regular: { low: number; high: number; count: number }[];
  points: Map<number, number>;
  infinite: number;
  nan: number;
}

function strip(h: Histogram): Stripped {
  const out: Stripped = { regular: [], points: new Map(), infinite: 0, nan: Number(h.numNan ?? 0) };
  for (const b of h.buckets) {
    if (!Number.isFinite(b.lowValue) || !Number.isFinite(b.highValue))
      out.infinite += b.sampleCount;
    else if (b.lowValue === b.highValue)
      out.points.set(b.lowValue, (out.points.get(b.lowValue) ?? 0) + b.sampleCount);
    else out.regular.push({ low: b.lowValue, high: b.highValue, count: b.sampleCount });
  }
  return out;
}

/** Masses of both histograms over common slots (TFDV's AlignHistograms). */
function alignHistograms(h1: Histogram, h2: Histogram): [number[], number[]] {
  const a = strip(h1);
  const b = strip(h2);
  const edges = [...new Set([...a.regular, ...b.regular].flatMap((x) => [x.low, x.high]))].sort(
    (x, y) => x - y,
  );
  const rebucket = (s: Stripped): number[] => {
    const masses: number[] = [];
    for (let k = 0; k + 1 < edges.length; k++) {
      const lo = edges[k];
      const hi = edges[k + 1];
      let mass = 0;
      for (const bucket of s.regular) {
        if (bucket.low <= lo && hi <= bucket.high)
          mass += (bucket.count * (hi - lo)) / (bucket.high - bucket.low);
      }
      masses.push(mass);
    }
    return masses;
  };
  const p = rebucket(a);
  const q = rebucket(b);
  const points = [...new Set([...a.points.keys(), ...b.points.keys()])].sort((x, y) => x - y);
  for (const v of points) {
    p.push(a.points.get(v) ?? 0);
    q.push(b.points.get(v) ?? 0);
  }
  if (a.infinite !== 0) {
    p.push(a.infinite);
    q.push(0);
  }
  if (b.infinite !== 0) {
    p.push(0);
    q.push(b.infinite);
  }
  if (a.nan > 0 || b.nan > 0) {
    p.push(0, a.nan);
    q.push(b.nan, 0);
  }
  return [p, q];
}

function normalizeMasses(masses: number[]): number[] {
  const total = masses.reduce((s, x) => s + x, 0);
  if (total === 0) throw new Error('Unable to normalize an empty histogram');
  return masses.map((x) => x / total);
}

/**
 * The divergence TFDV's jensen_shannon_divergence comparator measures: of the string
 * frequencies when both sides have them, else of the numeric histograms of `source` type
 * (STANDARD by default). Null when the statistics cannot be compared.
 */
export function jensenShannonDivergence(
  treatment: FeatureNameStatistics,
  control: FeatureNameStatistics,
  source: 'DEFAULT' | 'QUANTILES' | 'STANDARD' = 'DEFAULT',
): number | null {
  const a = stringValuesWithCounts(treatment);
  const b = stringValuesWithCounts(control);
  if (a.size > 0 && b.size > 0) return jensenShannonOfCounts(a, b);
  const type = source === 'QUANTILES' ? 'QUANTILES' : 'STANDARD';
  const h1 = treatment.numStats?.histograms.find((h) => h.type === type);
  const h2 = control.numStats?.histograms.find((h) => h.type === type);
  if (!h1 || !h2) return null;
  try {
    return jensenShannonOfHistograms(h1, h2);
  } catch {
    return null;
  }
}

/**
 * The drift of a feature between two datasets' statistics, as ExampleValidator measures it and
 * the statistics views show it: the L-infinity distance of the value frequencies (features with
 * string values only, as TFDV) and the Jensen–Shannon divergence (value frequencies, else
 * STANDARD histograms). Undefined when the two cannot be compared.
 */
export function featureDrift(
  a: FeatureNameStatistics | undefined,
  b: FeatureNameStatistics | undefined,
): { lInfinity: number | undefined; jensenShannon: number | undefined } {
  if (!a || !b) return { lInfinity: undefined, jensenShannon: undefined };
  const strings = stringValuesWithCounts(a).size > 0 && stringValuesWithCounts(b).size > 0;
  return {
    lInfinity: strings ? lInftyDistance(a, b).distance : undefined,
    jensenShannon: jensenShannonDivergence(a, b) ?? undefined,
  };
}

/** A feature's drift as the statistics views write it (`L∞ 0.123 · JS 0.045`); null if none. */
export function driftText(drift: {
  lInfinity: number | undefined;
  jensenShannon: number | undefined;
}): string | null {
  const parts = [
    drift.lInfinity === undefined ? null : `L∞ ${drift.lInfinity.toFixed(3)}`,
    drift.jensenShannon === undefined ? null : `JS ${drift.jensenShannon.toFixed(3)}`,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
