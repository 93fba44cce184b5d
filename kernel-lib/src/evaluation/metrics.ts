/**
 * Binary classification metrics of 0/1 labels and probabilities, under TensorFlow Model
 * Analysis's names, exact (no threshold discretisation): the Trainer's per-batch and per-epoch
 * metrics and the Evaluator's per-slice metrics are these same functions.
 *
 * Every metric is computed from the examples sorted by prediction (ascending), in one pass over a
 * slice, optionally with a weight per example (Poisson-bootstrap replicates use integer weights):
 *
 * - `auc`: area under the ROC curve, ties counting one half (scikit-learn's `roc_auc_score`;
 *   TFMA approximates it with 10,000 thresholds)
 * - `auc_precision_recall`: average precision (scikit-learn's `average_precision_score`: the
 *   step-wise area over every distinct prediction; TFMA interpolates over 10,000 thresholds)
 * - `binary_accuracy`, `precision`, `recall`: predicted positive when the prediction is > 0.5
 *   (Keras's and TFMA's rule); precision and recall are 0 when undefined
 * - `loss`: binary cross-entropy with predictions clipped to [1e-7, 1 − 1e-7], as Keras does
 * - `calibration`: mean prediction / mean label
 */

// The metric names and TFMA's class names are part of the contract (the view reads thresholds
// configured by class name): @tsfx/protocol holds them.
import type { BinaryMetricName } from '@tsfx/protocol';
export { BINARY_METRIC_NAMES, METRIC_CLASS_NAMES, type BinaryMetricName } from '@tsfx/protocol';
export type BinaryMetricValues = Record<BinaryMetricName, number>;

/** The decision threshold of accuracy, precision and recall: positive when prediction > 0.5. */
export const DECISION_THRESHOLD = 0.5;
const EPSILON = 1e-7;

/**
 * Indices of `predictions` in ascending order of prediction. Probabilities in a Float32Array are
 * radix-sorted on their bits (for non-negative floats the bit pattern orders as the value),
 * anything else by comparison.
 */
export function sortByPrediction(predictions: ArrayLike<number>): Int32Array {
  const n = predictions.length;
  if (predictions instanceof Float32Array && n > 256 && allNonNegative(predictions)) {
    return radixArgsort(new Uint32Array(predictions.buffer, predictions.byteOffset, n));
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return order.sort((a, b) => predictions[a] - predictions[b] || a - b);
}

function allNonNegative(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++)
    if (!(values[i] >= 0) || Object.is(values[i], -0)) return false;
  return true;
}

/** A stable LSD radix argsort of 32-bit keys in four 8-bit passes. */
function radixArgsort(keys: Uint32Array): Int32Array {
  const n = keys.length;
  let order = new Int32Array(n);
  let next = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Int32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & 255]++;
    if (counts.some((c) => c === n)) continue; // every key has this byte: nothing moves
    for (let b = 0, sum = 0; b < 256; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const row = order[i];
      next[counts[(keys[row] >>> shift) & 255]++] = row;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * Every metric of one slice: `rows` are the slice's example indices in ascending order of
 * prediction (a subsequence of `sortByPrediction`'s order), `weights` optional per-example weights.
 */
export function binaryMetricsOfSorted(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  rows: ArrayLike<number>,
  weights?: ArrayLike<number>,
): BinaryMetricValues {
  let count = 0;
  let total = 0;
  let positives = 0;
  let predictionSum = 0;
  let lossSum = 0;
  let truePositives = 0; // at the 0.5 threshold
  let falsePositives = 0;
  let trueNegatives = 0;
  // ROC and precision-recall areas, sweeping from the highest prediction down, a tie group at a time.
  let area = 0;
  let precisionSum = 0; // sum over groups of (group's positives) × precision at the group
  let tpAbove = 0;
  let fpAbove = 0;
  for (let end = rows.length - 1; end >= 0;) {
    const p = predictions[rows[end]];
    let groupPositive = 0;
    let groupNegative = 0;
    let start = end;
    for (; start >= 0; start--) {
      const row = rows[start];
      const prediction = predictions[row];
      if (prediction !== p) break;
      const w = weights ? weights[row] : 1;
      if (w === 0) continue;
      const label = labels[row];
      count++;
      total += w;
      predictionSum += w * prediction;
      const clipped = Math.min(1 - EPSILON, Math.max(EPSILON, prediction));
      if (label > 0.5) {
        groupPositive += w;
        lossSum -= w * Math.log(clipped);
      } else {
        groupNegative += w;
        lossSum -= w * Math.log(1 - clipped);
      }
    }
    end = start;
    area += groupNegative * (tpAbove + groupPositive / 2);
    tpAbove += groupPositive;
    fpAbove += groupNegative;
    if (groupPositive > 0) precisionSum += (groupPositive * tpAbove) / (tpAbove + fpAbove);
    positives += groupPositive;
    if (p > DECISION_THRESHOLD) {
      truePositives += groupPositive;
      falsePositives += groupNegative;
    } else {
      trueNegatives += groupNegative;
    }
  }
  const negatives = total - positives;
  return {
    example_count: weights ? count : rows.length,
    weighted_example_count: total,
    binary_accuracy: (truePositives + trueNegatives) / total,
    auc: positives > 0 && negatives > 0 ? area / (positives * negatives) : NaN,
    auc_precision_recall: positives > 0 ? precisionSum / positives : NaN,
    precision:
      truePositives + falsePositives > 0 ? truePositives / (truePositives + falsePositives) : 0,
    recall: positives > 0 ? truePositives / positives : 0,
    mean_label: positives / total,
    mean_prediction: predictionSum / total,
    calibration: predictionSum / positives,
    loss: lossSum / total,
  };
}

/** Every metric of all the examples given. */
export function binaryMetricValues(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  weights?: ArrayLike<number>,
): BinaryMetricValues {
  return binaryMetricsOfSorted(labels, predictions, sortByPrediction(predictions), weights);
}

/** The thresholds of TFMA's confusion matrix plot: −1e-6, then 0, 1/n, …, 1. */
export function confusionMatrixThresholds(numThresholds: number): number[] {
  return [-1e-6, ...Array.from({ length: numThresholds + 1 }, (_, i) => i / numThresholds)];
}

export interface ConfusionMatrixRow {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  /** 1 when nothing is predicted positive (TFMA's rule). */
  precision: number;
  /** 0 when there are no positives. */
  recall: number;
  falsePositiveRate: number;
  f1: number;
  accuracy: number;
}

/**
 * The confusion matrix at each threshold (predicted positive when prediction > threshold), from a
 * slice's rows in ascending order of prediction; thresholds ascending.
 */
export function confusionMatricesOfSorted(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  rows: ArrayLike<number>,
  thresholds: readonly number[],
  weights?: ArrayLike<number>,
): ConfusionMatrixRow[] {
  let positives = 0;
  let total = 0;
  for (let j = 0; j < rows.length; j++) {
    const w = weights ? weights[rows[j]] : 1;
    total += w;
    if (labels[rows[j]] > 0.5) positives += w;
  }
  const negatives = total - positives;
  const result: ConfusionMatrixRow[] = [];
  let j = 0;
  let positivesBelow = 0; // predicted negative: prediction <= threshold
  let negativesBelow = 0;
  for (const threshold of thresholds) {
    for (; j < rows.length && predictions[rows[j]] <= threshold; j++) {
      const w = weights ? weights[rows[j]] : 1;
      if (labels[rows[j]] > 0.5) positivesBelow += w;
      else negativesBelow += w;
    }
    const tp = positives - positivesBelow;
    const fp = negatives - negativesBelow;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 1;
    const recall = positives > 0 ? tp / positives : 0;
    result.push({
      threshold: Math.round(threshold * 1e6) / 1e6,
      truePositives: tp,
      falsePositives: fp,
      trueNegatives: negativesBelow,
      falseNegatives: positivesBelow,
      precision,
      recall,
      falsePositiveRate: fp / negatives,
      f1: (2 * precision * recall) / (precision + recall),
      accuracy: (tp + negativesBelow) / total,
    });
  }
  return result;
}

export interface CalibrationBucket {
  lowerThresholdInclusive: number;
  upperThresholdExclusive: number;
  numWeightedExamples: number;
  totalWeightedLabel: number;
  totalWeightedRefinedPrediction: number;
}

/**
 * TFMA's calibration plot over [0, 1] in `numBuckets` equal buckets, plus (−∞, 0) and [1, +∞):
 * examples, labels and predictions summed per bucket of prediction.
 */
export function calibrationBuckets(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  rows: ArrayLike<number>,
  numBuckets: number,
  weights?: ArrayLike<number>,
): CalibrationBucket[] {
  const examples = new Float64Array(numBuckets + 2);
  const labelSums = new Float64Array(numBuckets + 2);
  const predictionSums = new Float64Array(numBuckets + 2);
  for (let j = 0; j < rows.length; j++) {
    const row = rows[j];
    const p = predictions[row];
    const w = weights ? weights[row] : 1;
    const at = p * numBuckets + 1;
    const bucket = at < 0 ? 0 : at >= numBuckets + 1 ? numBuckets + 1 : Math.floor(at);
    examples[bucket] += w;
    labelSums[bucket] += w * labels[row];
    predictionSums[bucket] += w * p;
  }
  const edges = [-Infinity, ...Array.from({ length: numBuckets + 1 }, (_, i) => i / numBuckets)];
  return Array.from({ length: numBuckets + 2 }, (_, b) => ({
    lowerThresholdInclusive: edges[b],
    upperThresholdExclusive: b + 1 < edges.length ? edges[b + 1] : Infinity,
    numWeightedExamples: examples[b],
    totalWeightedLabel: labelSums[b],
    totalWeightedRefinedPrediction: predictionSums[b],
  }));
}
