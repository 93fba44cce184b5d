/**
 * The Trainer's metrics (loss, accuracy, AUC per batch and per epoch): the Evaluator's binary
 * metrics (`evaluation/metrics.ts`), so that training curves and evaluation agree by construction.
 */
import { binaryMetricValues } from '../evaluation/metrics';

/** Area under the ROC curve (ties count one half: the Mann-Whitney statistic); NaN with one class. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return binaryMetricValues(labels, scores).auc;
}

/** The fraction of examples whose prediction (> 0.5) matches the label. */
export function accuracy(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return binaryMetricValues(labels, scores).binary_accuracy;
}

/** Mean binary cross-entropy, with probabilities clipped to [1e-7, 1 - 1e-7] as Keras does. */
export function logLoss(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  return binaryMetricValues(labels, scores).loss;
}

export interface BinaryMetrics {
  loss: number;
  accuracy: number;
  auc: number;
}

export function binaryMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>): BinaryMetrics {
  const m = binaryMetricValues(labels, scores);
  return { loss: m.loss, accuracy: m.binary_accuracy, auc: m.auc };
}
