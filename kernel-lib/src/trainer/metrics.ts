/** Binary classification metrics of probabilities against 0/1 labels, computed in plain JS. */

/** Area under the ROC curve (ties count one half: the Mann-Whitney statistic); NaN with one class. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] > 0.5) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function accuracy(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (scores[i] >= 0.5 === labels[i] > 0.5) right++;
  return labels.length === 0 ? NaN : right / labels.length;
}

/** Mean binary cross-entropy, with probabilities clipped to [1e-7, 1 - 1e-7] as Keras does. */
export function logLoss(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, scores[i]));
    sum -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length === 0 ? NaN : sum / labels.length;
}

export interface BinaryMetrics {
  loss: number;
  accuracy: number;
  auc: number;
}

export function binaryMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>): BinaryMetrics {
  return {
    loss: logLoss(labels, scores),
    accuracy: accuracy(labels, scores),
    auc: rocAuc(labels, scores),
  };
}
