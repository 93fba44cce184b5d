import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BINARY_METRIC_NAMES,
  binaryMetricValues,
  binaryMetricsOfSorted,
  calibrationBuckets,
  confusionMatricesOfSorted,
  confusionMatrixThresholds,
  sortByPrediction,
} from '../../../kernel-lib/src/evaluation/metrics';
import { binaryMetrics } from '../../../kernel-lib/src/trainer/metrics';
import { tempDir } from '../../helpers';
import { assertClose, sklearnMetrics } from './sklearn';

/** A seeded generator (the tests' own, not the code under test's). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Labels and float32 probabilities with ties (a third rounded to 2 decimals) and extremes. */
export function randomScores(n: number, seed: number) {
  const next = lcg(seed);
  const labels = new Uint8Array(n);
  const predictions = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = next() < 0.3 ? 1 : 0;
    let p = 1 / (1 + Math.exp(-(labels[i] ? 1.2 : -0.8) - 1.6 * (next() - 0.5) * 3));
    if (i % 3 === 0) p = Math.round(p * 100) / 100;
    if (i % 997 === 0) p = i % 2 ? 1 : 0;
    predictions[i] = p;
  }
  return { labels, predictions };
}

describe('binary metrics (TFMA names) equal hand-computed values and scikit-learn', () => {
  it('a hand-computed case with a tie', () => {
    // Sorted down: 0.9 (+), 0.6 (+ and −, tied), 0.4 (+), 0.2 (−). P = 3, N = 2.
    const labels = [1, 0, 1, 0, 1];
    const predictions = [0.9, 0.6, 0.6, 0.2, 0.4];
    const m = binaryMetricValues(labels, predictions);
    // Pairs (+, −) ranked right: 0.9 beats both (2), 0.6 ties 0.6 (½) and beats 0.2 (1), 0.4 beats 0.2 (1).
    assert.equal(m.auc, 4.5 / 6);
    // Precision at each recall step: 1 (R ⅓), ⅔ (R ⅔), ¾ (R 1).
    assertClose(m.auc_precision_recall, (1 + 2 / 3 + 3 / 4) / 3, 'average precision');
    assert.equal(m.example_count, 5);
    assert.equal(m.weighted_example_count, 5);
    assert.equal(m.binary_accuracy, 3 / 5); // > 0.5: 0.9 ✓, 0.6 ✓ and ✗, 0.4 ✗, 0.2 ✓
    assert.equal(m.precision, 2 / 3);
    assert.equal(m.recall, 2 / 3);
    assert.equal(m.mean_label, 3 / 5);
    assertClose(m.mean_prediction, 2.7 / 5, 'mean prediction');
    assertClose(m.calibration, 2.7 / 3, 'calibration');
    assertClose(m.loss, -Math.log(0.9 * 0.6 * 0.4 * 0.4 * 0.8) / 5, 'loss');
    const order = sortByPrediction(predictions);
    const [atHalf] = confusionMatricesOfSorted(labels, predictions, order, [0.5]);
    assert.deepEqual(
      [atHalf.truePositives, atHalf.falsePositives, atHalf.trueNegatives, atHalf.falseNegatives],
      [2, 1, 1, 1],
    );
    const buckets = calibrationBuckets(labels, predictions, order, 10);
    assert.equal(buckets.length, 12);
    assert.deepEqual(
      buckets.map((b) => b.numWeightedExamples),
      [0, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 0],
    );
    assert.equal(buckets[0].lowerThresholdInclusive, -Infinity);
    assert.equal(buckets[11].upperThresholdExclusive, Infinity);
  });

  it('one class: AUC undefined (NaN), precision and recall 0', () => {
    const m = binaryMetricValues([0, 0, 0], [0.2, 0.7, 0.1]);
    assert.ok(Number.isNaN(m.auc) && Number.isNaN(m.auc_precision_recall));
    assert.equal(m.precision, 0);
    assert.equal(m.recall, 0);
    assert.equal(m.binary_accuracy, 2 / 3);
  });

  it('sorts float32 probabilities by radix exactly as by comparison', () => {
    const { predictions } = randomScores(20_000, 3);
    const radix = sortByPrediction(predictions);
    const plain = sortByPrediction(Array.from(predictions));
    assert.deepEqual(Array.from(radix), Array.from(plain));
  });

  it('20,000 examples with ties and extremes, unweighted and Poisson-weighted, equal scikit-learn', () => {
    const dir = tempDir();
    const { labels, predictions } = randomScores(20_000, 7);
    const next = lcg(11);
    const weights = Uint8Array.from({ length: labels.length }, () => Math.floor(next() * 4));
    const expected = sklearnMetrics(dir, { label: labels, prediction: predictions }, [{}]);
    const weighted = sklearnMetrics(
      dir,
      { label: labels, prediction: predictions, w: weights },
      [{}],
      'w',
    );
    const order = sortByPrediction(predictions);
    const cases = [
      { actual: binaryMetricsOfSorted(labels, predictions, order), want: expected.Overall },
      {
        actual: binaryMetricsOfSorted(labels, predictions, order, weights),
        want: weighted.Overall,
      },
    ];
    for (const { actual, want } of cases) {
      for (const name of BINARY_METRIC_NAMES) assertClose(actual[name], want[name], name);
    }
    const thresholds = confusionMatrixThresholds(100);
    const matrices = confusionMatricesOfSorted(labels, predictions, order, thresholds, weights);
    assert.equal(matrices.length, weighted.Overall.confusion.length);
    matrices.forEach((row, i) => {
      const [t, tp, fp, tn, fn, precision, recall] = weighted.Overall.confusion[i];
      assert.equal(row.threshold, t);
      assert.deepEqual(
        [row.truePositives, row.falsePositives, row.trueNegatives, row.falseNegatives],
        [tp, fp, tn, fn],
        `threshold ${t}`,
      );
      assertClose(row.precision, precision, `precision at ${t}`);
      assertClose(row.recall, recall, `recall at ${t}`);
    });
    const buckets = calibrationBuckets(labels, predictions, order, 100);
    buckets.forEach((b, i) => {
      const [count, labelSum, predictionSum] = expected.Overall.calibration_plot[i];
      assert.equal(b.numWeightedExamples, count, `bucket ${i}`);
      assert.equal(b.totalWeightedLabel, labelSum, `bucket ${i}`);
      assertClose(b.totalWeightedRefinedPrediction, predictionSum, `bucket ${i}`);
    });
  });

  it("the Trainer's metrics are the same functions", () => {
    const { labels, predictions } = randomScores(3000, 5);
    const all = binaryMetricValues(labels, predictions);
    assert.deepEqual(binaryMetrics(labels, predictions), {
      loss: all.loss,
      accuracy: all.binary_accuracy,
      auc: all.auc,
    });
  });
});
